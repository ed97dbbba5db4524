"""tracker add / edit / remove / actor add: options, prompts, messages, exit codes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.api import load_dataset, load_valid_dataset
from tracker.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
BATCH = {"TRACKER_INTERACTIVE": "0"}  # CliRunner is not a terminal anyway; say so explicitly
TERMINAL = {"TRACKER_INTERACTIVE": "1"}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TRACKER_INTERACTIVE", raising=False)


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    target = tmp_path / "real" / "events.yaml"
    target.parent.mkdir()
    shutil.copyfile(ROOT / "data" / "events.yaml", target)
    return target


SOURCE = [
    "--source-publisher",
    "Example Press",
    "--source-title",
    "A report",
    "--source-type",
    "press",
    "--source-language",
    "en",
]


def full_add(path: Path, *extra: str) -> list[str]:
    return [
        "add",
        "--data",
        str(path),
        "--date",
        "15 Jun 2010",
        "--kind",
        "call",
        "--title",
        "Officials hold a call",
        "--summary",
        "A call is held.",
        *SOURCE,
        *extra,
    ]


def diff(a: Path, b: Path) -> str:
    out = subprocess.run(
        ["git", "diff", "--no-index", "--no-color", "-U0", str(a), str(b)],
        capture_output=True,
        text=True,
    )
    return out.stdout


# --- the "done when" -----------------------------------------------------------------------


def test_one_command_adds_the_kuala_lumpur_meeting(runner: CliRunner, real_copy: Path) -> None:
    """The real file has this meeting already; a distinct title keeps the test honest about
    what is added, and the diff is the new lines only, readable at a glance."""
    result = runner.invoke(
        app,
        [
            "add",
            "--data",
            str(real_copy),
            "--date",
            "31 Oct 2025",
            "--kind",
            "defense_ministerial",
            "--title",
            "Hegseth and Dong Jun meet in Kuala Lumpur (test copy)",
            "--summary",
            "The two defense chiefs met on the sidelines of the ADMM-Plus.",
            "--channel",
            "defense-ministers",
            "--participant",
            "pete-hegseth:US Secretary of War (Defense)",
            "--participant",
            "dong-jun:PRC Minister of National Defense",
            "--location",
            "Kuala Lumpur, Malaysia",
            "--significance",
            "2",
            "--source-publisher",
            "Example Press",
            "--source-title",
            "Defense chiefs meet",
            "--source-published",
            "31 Oct 2025",
            "--source-url",
            "https://example.org/kl",
            "--source-type",
            "press",
            "--source-language",
            "en",
            "--yes",
        ],
        env=BATCH,
    )
    assert result.exit_code == 0, result.output
    eid = "2025-10-31-hegseth-dong-jun-meet-kuala-lumpur"
    assert result.stdout == f"{eid}\n"
    assert f"Added {eid} at {real_copy}:" in result.stderr
    patch = diff(ROOT / "data" / "events.yaml", real_copy)
    body = [ln for ln in patch.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    assert all(ln.startswith("+") for ln in body)
    assert body == [
        f'+  - id: "{eid}"',
        '+    date: "2025-10-31"',
        '+    kind: "defense_ministerial"',
        '+    title: "Hegseth and Dong Jun meet in Kuala Lumpur (test copy)"',
        '+    summary: "The two defense chiefs met on the sidelines of the ADMM-Plus."',
        '+    channels: ["defense-ministers"]',
        "+    participants:",
        '+      - actor: "pete-hegseth"',
        '+        role: "US Secretary of War (Defense)"',
        '+      - actor: "dong-jun"',
        '+        role: "PRC Minister of National Defense"',
        '+    location: "Kuala Lumpur, Malaysia"',
        '+    significance: "2"',
        "+    sources:",
        '+      - publisher: "Example Press"',
        '+        title: "Defense chiefs meet"',
        '+        published: "2025-10-31"',
        '+        url: "https://example.org/kl"',
        '+        type: "press"',
        '+        language: "en"',
        "+",
    ]
    ds = load_valid_dataset(real_copy, strict=True)
    ids = [e.id for e in ds.events]
    assert ids.index(eid) + 1 == ids.index("2025-10-31-hegseth-dong-kuala-lumpur")
    # ... and the timeline shows it on the next build
    page = real_copy.parent / "timeline.html"
    shown = runner.invoke(app, ["timeline", "--data", str(real_copy), "--out", str(page)])
    assert shown.exit_code == 0, shown.output
    html = page.read_text("utf-8")
    assert f'id="{eid}"' in html
    assert "Hegseth and Dong Jun meet in Kuala Lumpur (test copy)" in html


def test_adding_the_same_meeting_again_warns_of_a_duplicate(
    runner: CliRunner, real_copy: Path
) -> None:
    before = real_copy.read_bytes()
    result = runner.invoke(
        app,
        [
            "add",
            "--data",
            str(real_copy),
            "--date",
            "2025-10-31",
            "--kind",
            "defense_ministerial",
            "--title",
            "Hegseth and Dong Jun meet at ADMM-Plus in Kuala Lumpur",
            "--summary",
            "Again.",
            *SOURCE,
            "--dry-run",
        ],
        env=BATCH,
    )
    assert result.exit_code == 0, result.output
    assert (
        "warning: looks like a duplicate of '2025-10-31-hegseth-dong-kuala-lumpur'" in result.stderr
    )
    assert result.stdout.startswith('  - id: "2025-10-31-hegseth-dong-jun-meet-admm-plus"')
    assert real_copy.read_bytes() == before


# --- without a terminal ----------------------------------------------------------------------


def test_missing_required_values_name_their_options(runner: CliRunner, valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    result = runner.invoke(
        app, ["add", "--data", str(valid_yaml), "--date", "2010", "--kind", "suspension"], env=BATCH
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "error: missing --title, --summary, --channel, --initiator, --source-publisher, "
        "--source-title, --source-type, --source-language: not on a terminal, so nothing is "
        "asked; pass them as options\n"
    )
    assert valid_yaml.read_bytes() == before


def test_a_write_needs_yes_without_a_terminal(runner: CliRunner, valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    result = runner.invoke(app, full_add(valid_yaml), env=BATCH)
    assert result.exit_code == 2
    assert "pass --yes" in result.stderr and "--dry-run" in result.stderr
    assert valid_yaml.read_bytes() == before


def test_dry_run_prints_the_yaml_and_writes_nothing(runner: CliRunner, valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    result = runner.invoke(app, [*full_add(valid_yaml), "--dry-run"], env=BATCH)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        '  - id: "2010-06-15-officials-hold-call"',
        '    date: "2010-06-15"',
        '    kind: "call"',
    ]
    assert f"the event would start at {valid_yaml}:73" in result.stderr
    assert valid_yaml.read_bytes() == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--kind", "sumit"], "--kind: 'sumit' is not a valid kind (did you mean 'summit'?)"),
        (
            ["--participant", "liang-guanglei"],
            "--participant: actor 'liang-guanglei' is not in the actors list (did you mean "
            "'liang-guanglie'?); add it in the same command with --new-actor",
        ),
        (["--channel", "dtc"], "--channel: channel 'dtc' is not in the channels list"),
        (["--source-url", "ftp://x"], "--source-url: url 'ftp://x' must be an http"),
        (["--date", "31/31/2010"], "--date: '31/31/2010'"),
        (["--date", "Spring 2015"], "--date: 'Spring 2015': cannot read 'Spring'"),
        (["--id", "2010-01-30-prc-suspends"], "id '2010-01-30-prc-suspends' is already used"),
        (["--significance", "5"], "Invalid value for '--significance'"),
    ],
)
def test_invalid_values_are_usage_errors_naming_the_option(
    runner: CliRunner, valid_yaml: Path, extra: list[str], message: str
) -> None:
    before = valid_yaml.read_bytes()
    result = runner.invoke(app, [*full_add(valid_yaml), *extra, "--yes"], env=BATCH)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert valid_yaml.read_bytes() == before


def test_an_invalid_file_is_a_data_error(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    shutil.copyfile(FIXTURES / "invalid-unknown-actor.yaml", path)
    before = path.read_bytes()
    result = runner.invoke(app, [*full_add(path), "--yes"], env=BATCH)
    assert result.exit_code == 1
    assert "[unknown-actor]" in result.stderr and "fix it first" in result.stderr
    assert path.read_bytes() == before


def test_new_actor_in_the_same_command(runner: CliRunner, valid_yaml: Path) -> None:
    args = [
        *full_add(valid_yaml),
        "--participant",
        "dong-jun:Minister of National Defense",
        "--new-actor",
        "dong-jun",
        "--new-actor-name",
        "Dong Jun",
        "--new-actor-country",
        "CN",
        "--new-actor-name-zh",
        "董军",
        "--yes",
    ]
    result = runner.invoke(app, args, env=BATCH)
    assert result.exit_code == 0, result.output
    assert "Added actor dong-jun at" in result.stderr
    ds = load_valid_dataset(valid_yaml, strict=True)
    assert "dong-jun" in {a.id for a in ds.actors}


def test_actor_add(runner: CliRunner, valid_yaml: Path) -> None:
    args = ["actor", "add", "dong-jun", "--data", str(valid_yaml), "--name", "Dong Jun"]
    missing = runner.invoke(app, args, env=BATCH)
    assert missing.exit_code == 2 and "missing --country" in missing.stderr
    bad = runner.invoke(app, [*args, "--country", "China", "--yes"], env=BATCH)
    assert bad.exit_code == 2
    assert "--country: 'China' is not an ISO 3166 alpha-2 code" in bad.stderr
    ok = runner.invoke(app, [*args, "--country", "CN", "--name-zh", "董军", "--yes"], env=BATCH)
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(app, [*args, "--country", "CN", "--yes"], env=BATCH)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert "dong-jun" in {a.id for a in load_valid_dataset(valid_yaml).actors}


# --- on a terminal ---------------------------------------------------------------------------


def test_prompts_fill_in_what_is_missing(runner: CliRunner, valid_yaml: Path) -> None:
    answers = [
        "Oct 2010",  # date: month precision, as typed
        "sumit",  # not a kind: asked again
        "4",  # dialogue_round, by number
        "Ministers talk",  # title
        "They talk.",  # summary
        "y",  # liang-guanglei? did you mean liang-guanglie: yes
        "Example Press",  # source publisher
        "Talk",  # source title
        "",  # url (optional)
        "",  # published (optional)
        "press",
        "en",
        "y",  # confirm
    ]
    result = runner.invoke(
        app,
        ["add", "--data", str(valid_yaml), "--participant", "liang-guanglei:Minister"],
        input="\n".join(answers) + "\n",
        env=TERMINAL,
    )
    assert result.exit_code == 0, result.output
    assert "-> 2010-10 (Oct 2010, month precision)" in result.stderr
    assert "'sumit' is not one of them (did you mean 'summit'?)" in result.stderr
    assert "Did you mean 'liang-guanglie' (Liang Guanglie)?" in result.stderr
    assert "New event, at line 73:" in result.stderr
    assert result.stdout.splitlines()[-1] == "2010-10-ministers-talk"
    ds = load_valid_dataset(valid_yaml, strict=True)
    (ev,) = [e for e in ds.events if e.id == "2010-10-ministers-talk"]
    assert ev.date.text == "2010-10" and ev.kind == "dialogue_round"
    assert ev.participants[0].actor == "liang-guanglie"


def test_a_state_change_prompts_for_channels_and_initiator(
    runner: CliRunner, valid_yaml: Path
) -> None:
    answers = ["all", "US", "y"]
    result = runner.invoke(
        app,
        [*full_add(valid_yaml), "--kind", "suspension", "--title", "US suspends"],
        input="\n".join(answers) + "\n",
        env=TERMINAL,
    )
    assert result.exit_code == 0, result.output
    (ev,) = [e for e in load_valid_dataset(valid_yaml).events if e.title == "US suspends"]
    assert ev.channels == ("all",) and ev.initiator == "US"


def test_declining_the_confirmation_writes_nothing(runner: CliRunner, valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    result = runner.invoke(app, full_add(valid_yaml), input="n\n", env=TERMINAL)
    assert result.exit_code == 1
    assert "Nothing written." in result.stderr
    assert valid_yaml.read_bytes() == before


def test_a_bad_date_is_asked_again(runner: CliRunner, valid_yaml: Path) -> None:
    args = [*full_add(valid_yaml), "--date", "Spring 2015"]
    result = runner.invoke(app, args, input="03/04/2010\n2010-03-04\ny\n", env=TERMINAL)
    assert result.exit_code == 0, result.output
    assert "cannot read 'Spring'" in result.stderr
    assert "is ambiguous (day/month or month/day?)" in result.stderr
    assert "2010-03-04-officials-hold-call" in result.stdout


# --- edit and remove -------------------------------------------------------------------------


def test_edit_shows_and_writes_a_diff_of_the_event(runner: CliRunner, valid_yaml: Path) -> None:
    args = ["edit", "2010-10-12-gates-liang-hanoi", "--data", str(valid_yaml)]
    args += ["--location", "Hanoi", "--title", "Ministers meet in Hanoi, Vietnam"]
    before = valid_yaml.read_bytes()
    dry = runner.invoke(app, [*args, "--dry-run"], env=BATCH)
    assert dry.exit_code == 0, dry.output
    assert '-    title: "Ministers meet in Hanoi"\n' in dry.stdout
    assert '+    title: "Ministers meet in Hanoi, Vietnam"\n' in dry.stdout
    assert '+    location: "Hanoi"\n' in dry.stdout
    assert valid_yaml.read_bytes() == before
    done = runner.invoke(app, [*args, "--yes"], env=BATCH)
    assert done.exit_code == 0, done.output
    assert f"Edited 2010-10-12-gates-liang-hanoi (at {valid_yaml}:73)" in done.stderr
    (ev,) = [e for e in load_valid_dataset(valid_yaml).events if e.id.endswith("hanoi")]
    assert ev.location == "Hanoi"


def test_edit_adds_a_source_and_unsets_a_field(runner: CliRunner, valid_yaml: Path) -> None:
    args = ["edit", "2009-11-17-obama-hu-summit", "--data", str(valid_yaml), *SOURCE]
    result = runner.invoke(app, [*args, "--unset", "location", "--yes"], env=BATCH)
    assert result.exit_code == 0, result.output
    (ev,) = [e for e in load_valid_dataset(valid_yaml).events if e.id.endswith("summit")]
    assert len(ev.sources) == 2 and ev.location == ""


def test_edit_refusals(runner: CliRunner, valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    base = ["edit", "2010-10-12-gates-liang-hanoi", "--data", str(valid_yaml), "--yes"]
    nothing = runner.invoke(app, base, env=BATCH)
    assert nothing.exit_code == 2 and "nothing to change" in nothing.stderr
    bad = runner.invoke(app, [*base, "--kind", "sumit"], env=BATCH)
    assert bad.exit_code == 1 and "did you mean 'summit'" in bad.stderr
    unknown = runner.invoke(app, ["edit", "nope", "--data", str(valid_yaml), "--title", "x"])
    assert unknown.exit_code == 2 and "no event with id 'nope'" in unknown.stderr
    required = runner.invoke(app, [*base, "--unset", "summary"], env=BATCH)
    assert required.exit_code == 2 and "required" in required.stderr
    assert valid_yaml.read_bytes() == before


def test_remove(runner: CliRunner, valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    args = ["remove", "2010-01-29-arms-package", "--data", str(valid_yaml)]
    refused = runner.invoke(app, [*args, "--yes"], env=BATCH)
    assert refused.exit_code == 1
    assert "responds to '2010-01-29-arms-package' [referenced]" in refused.stderr
    assert "pass --force" in refused.stderr
    no_yes = runner.invoke(app, [*args, "--force"], env=BATCH)
    assert no_yes.exit_code == 2
    assert valid_yaml.read_bytes() == before
    done = runner.invoke(app, [*args, "--force"], input="y\n", env=TERMINAL)
    assert done.exit_code == 0, done.output
    assert "its id is retired; references dropped from 1" in done.stderr
    ds, report = load_dataset(valid_yaml)
    assert report.passes(strict=True) and len(ds.events) == 6
    again = runner.invoke(app, [*full_add(valid_yaml), "--id", "2010-01-29-arms-package", "--yes"])
    assert again.exit_code == 2 and "never reused" in again.stderr
