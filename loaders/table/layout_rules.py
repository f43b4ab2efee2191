"""Layout rules every reader's tables go through: the lead-first rule and restarted numbering."""

from __future__ import annotations

from collections import Counter

from respgraph.loaders.grid.headings import strip_rules
from respgraph.loaders.items.build import split_names
from respgraph.loaders.items.names import inline_role, strip_stray
from respgraph.loaders.table.columns import UNIT_FIELDS
from respgraph.loaders.table.raw import RawTable
from respgraph.loaders.table.reading import Column, TableReading


def apply_layout(raw: RawTable, detail: TableReading, *, lead_first: bool = True) -> None:
    """Make ``raw`` say what its layout implies, noting each rule applied in ``detail``.

    - ``（列第一位者为牵头单位）`` in a unit cell is a rule, not a unit: it is removed.
    - With one unit column (责任单位) and no 牵头单位 column, the first unit listed in
      each row also leads, unless ``lead_first`` is False.
    - Numbering that starts again under each section (一、 1. 2. 二、 1. 2.) is made
      unique as ``section.number`` (``2.1``).
    """
    for row in raw.rows:
        for field in UNIT_FIELDS:
            if field in row.cells:
                row.cells[field], had = strip_rules(row.cells[field])
                detail.rule = detail.rule or had
    if "lead" not in raw.columns and "implement" in raw.columns:
        header = raw.columns["implement"]
        if lead_first:
            for row in raw.rows:
                names = split_names(raw.file, row, "implement")
                # A unit the cell itself says leads (市教育局牵头) leads, wherever it stands.
                said = [n for n in names if inline_role(strip_stray(n)[0])[1] == "lead"]
                row.cells["lead"] = (said or names)[0] if names else ""
            raw.columns["lead"] = header
            detail.columns.append(Column(f"{header}（第一位）", "lead", "lead-first"))
            why = "as the table says" if detail.rule else "the usual rule; --no-lead-first turns it off"
            detail.notes.append(f"no 牵头单位 column: the first unit of {header} leads ({why})")
        elif detail.rule:
            detail.notes.append(f"the table says the first unit of {header} leads; not applied (--no-lead-first)")
    _renumber(raw, detail)


def _renumber(raw: RawTable, detail: TableReading) -> None:
    opening = [r for r in raw.rows if r.cells.get("number", "").strip()]
    counts = Counter(r.cells["number"].strip() for r in opening)
    if all(n == 1 for n in counts.values()) or not any(r.cells.get("section") for r in opening):
        return
    tops: dict[str, int] = {}
    renamed = []
    for row in opening:
        top = row.cells.get("section", "").split(" / ")[0]
        index = tops.setdefault(top, len(tops) + 1)
        renamed.append(f"{index}.{row.cells['number'].strip()}")
    if len(set(renamed)) < len(renamed):
        return  # still not unique: the loader reports the repeated number
    for row, number in zip(opening, renamed):
        row.cells["number"] = number
    detail.notes.append("numbering starts again in every section: items are numbered section.number (2.1)")
