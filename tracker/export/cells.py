"""Cell-level encoding shared by the CSV writer and the importer (pure).

Lists are joined with "; ". An item that contains ";" or begins with '"' is written in double
quotes with inner quotes doubled, so that `split_list(join_list(items)) == items` for any
items the validator accepts (text is stripped, so no item begins or ends with a space).

The spreadsheet copy prefixes "'" to every cell that a spreadsheet would run as a formula
(= + - @ tab CR) and to every cell already beginning with "'", so that `unneutralise` can
undo it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.export.columns import LIST_SEPARATOR

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"


class CellError(ValueError):
    """A cell that cannot be read; the message says what is wrong."""


def _quote_item(item: str) -> str:
    if ";" in item or item.startswith('"'):
        return '"' + item.replace('"', '""') + '"'
    return item


def join_list(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(_quote_item(i) for i in items)


def split_list(cell: str) -> list[str]:
    """Items of a "; "-joined cell; "" is one empty item (the caller decides what it means).

    Lenient on spacing ("a;b", "a ;  b"), strict on quotes: an unclosed quote is an error.
    """
    items: list[str] = []
    i, n = 0, len(cell)
    while True:
        while i < n and cell[i] == " ":
            i += 1
        if i < n and cell[i] == '"':
            i += 1
            buf = []
            while True:
                j = cell.find('"', i)
                if j < 0:
                    raise CellError(
                        'a quoted item has no closing quote; write "item" with inner quotes '
                        'doubled ("")'
                    )
                buf.append(cell[i:j])
                if j + 1 < n and cell[j + 1] == '"':
                    buf.append('"')
                    i = j + 2
                    continue
                i = j + 1
                break
            items.append("".join(buf))
            while i < n and cell[i] == " ":
                i += 1
            if i < n and cell[i] != ";":
                raise CellError(
                    f"unexpected text after a quoted item: {cell[i : i + 20]!r}; separate "
                    "items with '; '"
                )
        else:
            j = cell.find(";", i)
            end = n if j < 0 else j
            items.append(cell[i:end].strip())
            i = end
        if i >= n:
            return items
        i += 1  # past the ";"


def neutralise(cell: str) -> str:
    """The spreadsheet-safe form of one cell."""
    if cell.startswith(FORMULA_STARTS) or cell.startswith(_ESCAPE):
        return _ESCAPE + cell
    return cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise` (and accept cells a spreadsheet already stripped of the prefix)."""
    if cell.startswith(_ESCAPE) and cell[1:2] and cell[1] in (*FORMULA_STARTS, _ESCAPE):
        return cell[1:]
    return cell
