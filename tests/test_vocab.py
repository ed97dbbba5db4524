"""The dependency-free vocabulary and the storage model agree."""

from __future__ import annotations

from tracker import model, vocab


def test_every_kind_has_one_family_and_a_description() -> None:
    assert set(vocab.FAMILY_OF_KIND) == set(vocab.KINDS) == set(vocab.KIND_DESCRIPTIONS)


def test_event_table_has_a_column_for_every_scalar_field() -> None:
    columns = set(model.Event.__table__.columns.keys())  # type: ignore[attr-defined]
    scalar = {
        f
        for f in vocab.EVENT_FIELDS
        if f not in {"channels", "participants", "responds_to", "sources", "tags"}
    }
    assert scalar <= columns
    for date_field in ("date", "end_date"):
        for suffix in ("_first", "_last", "_precision"):
            assert date_field + suffix in columns


def test_other_tables_cover_their_records() -> None:
    def cols(table: type) -> set[str]:
        return set(table.__table__.columns.keys())  # type: ignore[attr-defined]

    assert set(vocab.CHANNEL_FIELDS) <= cols(model.Channel)
    assert set(vocab.ACTOR_FIELDS) <= cols(model.Actor)
    assert set(vocab.SOURCE_FIELDS) <= cols(model.Source)
    assert {"event_id", "actor_id", "role"} <= cols(model.Participation)


def test_id_patterns() -> None:
    assert vocab.EVENT_ID_RE.match("2010-01-30-prc-suspends")
    assert vocab.EVENT_ID_RE.match("2010-01-prc-suspends")
    assert vocab.EVENT_ID_RE.match("2010-prc-suspends")
    for bad in ("2010-01-30", "prc-suspends", "2010-01-30-PRC", "2010-01-30--x", "2010-01-30-x_y"):
        assert not vocab.EVENT_ID_RE.match(bad), bad
