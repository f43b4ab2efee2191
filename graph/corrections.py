"""Corrections an office records beside a document: a misprinted deadline set right.

A correction is a ``Correction`` node of its own, not part of the document: loading
the table again (which replaces everything the document owns) keeps it, and
``respgraph fix --undo`` takes it away.  It is found again by ``target``, the key
of the item it corrects, the way a progress report's status records are.

Only the deadline is corrected today: it is the one field `check` can prove wrong
from the table itself (a year outside the table's year, item 92 of the sample).
"""

from __future__ import annotations

import datetime as dt

from respgraph.graph.protocol import GraphStore

__all__ = [
    "FIELDS",
    "correction_key",
    "correction_keys",
    "corrections_by_target",
    "deadline_doubtful",
    "correction_note",
]

#: The fields a correction may set.
FIELDS = ("deadline",)
FIELD_ZH = {"deadline": "完成时限"}


def correction_key(item: str, field: str) -> str:
    """The key of the correction of ``field`` on ``item``: one per field, a new one replaces it.

    >>> correction_key("湛江市/2023/1/92", "deadline")
    'correction:湛江市/2023/1/92:deadline'
    """
    return f"correction:{item}:{field}"


def correction_keys(items: list[str]) -> list[str]:
    """The keys every correction of ``items`` would have: found by key, never by a scan."""
    return [correction_key(item, field) for item in items for field in FIELDS]


def corrections_by_target(store: GraphStore) -> dict[str, dict[str, dict]]:
    """Every correction in ``store``, as {item key: {field: correction row}}."""
    out: dict[str, dict[str, dict]] = {}
    for row in store.corrections():
        out.setdefault(row["target"], {})[row["field"]] = row
    return out


def deadline_doubtful(deadline, year) -> bool:
    """A deadline outside the table's year, as ``check`` flags it (``deadline_year``):
    item 92 of the sample reads ``2013年12月`` in a 2023 table.  Until an office
    corrects it, no answer treats it as overdue.

    >>> deadline_doubtful(dt.date(2013, 12, 31), 2023), deadline_doubtful(dt.date(2023, 12, 31), 2023)
    (True, False)
    """
    if deadline is None or year is None:
        return False
    if isinstance(deadline, str):  # as a table row or a correction holds it
        deadline = dt.date.fromisoformat(deadline)
    return deadline.year != int(year)


def correction_note(row: dict) -> str:
    """One line in Chinese saying what was corrected and why.

    >>> correction_note({"field": "deadline", "was": "2013年12月", "value": "2023-12-31", "why": "原表笔误"})
    '完成时限已更正：原表“2013年12月”，更正为2023年12月31日（原表笔误）'
    """
    value = row["value"]
    try:
        d = dt.date.fromisoformat(value)
        value = f"{d.year}年{d.month}月{d.day}日"
    except ValueError:
        pass
    was = f"原表“{row['was']}”，" if row.get("was") else ""
    why = f"（{row['why']}）" if row.get("why") else ""
    return f"{FIELD_ZH.get(row['field'], row['field'])}已更正：{was}更正为{value}{why}"


def _item(store: GraphStore, document: str, number: str) -> dict:
    from respgraph.graph.errors import RespgraphError

    items = store.items([document])
    found = [i for i in items if str(i["number"]) == str(number).strip()]
    if not found:
        numbers = sorted((str(i["number"]) for i in items), key=lambda n: (len(n), n))
        raise RespgraphError(
            f"{document} has no item {number!r} (its items are {numbers[0]}–{numbers[-1]})"
            if numbers
            else f"{document} has no items"
        )
    return found[0]


def record_correction(
    store: GraphStore, *, document: str, number: str, field: str, value: str, why: str, made: dt.date | None = None
) -> dict:
    """Correct ``field`` of item ``number`` of ``document`` (a key) to ``value``; the row written.

    The value is checked as the field needs (a deadline is a date, ``YYYY-MM-DD``);
    a reason is required, since an office must be able to say why a table was overridden.
    """
    from respgraph.graph.errors import RespgraphError

    if field not in FIELDS:
        raise RespgraphError(f"{field!r} cannot be corrected: only {', '.join(FIELDS)}")
    if not why.strip():
        raise RespgraphError('say why the table is corrected (--why "原表笔误")')
    try:
        value = dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise RespgraphError(f"{field}={value!r}: give the date as YYYY-MM-DD") from None
    item = _item(store, document, number)
    row = {
        "key": correction_key(item["key"], field),
        "target": item["key"],
        "document": document,
        "number": str(item["number"]),
        "field": field,
        "value": value,
        "was": item.get("deadline_text") or str(item.get(field) or ""),
        "why": why.strip(),
        "made": (made or dt.date.today()).isoformat(),
    }
    store.write_correction(row)
    return row


def undo_correction(store: GraphStore, *, document: str, number: str, field: str = "deadline") -> bool:
    """Take back the correction of ``field`` on item ``number``; False when there was none."""
    item = _item(store, document, number)
    return store.remove_correction(correction_key(item["key"], field))
