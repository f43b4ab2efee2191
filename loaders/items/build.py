"""Give a raw table its meaning: items, parts, milestones, units, groups and roles."""

from __future__ import annotations

import re

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits, too_big
from respgraph.graph.model import (
    Assignment,
    Category,
    District,
    Document,
    Governs,
    Item,
    Leader,
    Membership,
    Milestone,
    Part,
    Quirk,
    Role,
    Table,
    Unit,
    UnitGroup,
    document_id,
)
from respgraph.graph.vocabulary import ROLES
from respgraph.loaders.grid.headings import heading_level
from respgraph.loaders.items.leaders import leader_lines
from respgraph.loaders.items.names import (
    Aliases,
    City,
    NameTooLong,
    clean_name,
    clean_text,
    is_group_name,
    name_core,
    split_cell,
)
from respgraph.loaders.items.similar import similar_pairs
from respgraph.loaders.items.targets import parse_deadline, quantities_of, split_targets
from respgraph.loaders.table.columns import FIELD_ZH, UNIT_FIELDS
from respgraph.loaders.table.raw import RawRow, RawTable
from respgraph.loaders.table.source_notes import clean_controls, numbering_notes

# Targets are never inherited: a merged targets cell would count its milestones twice.
_INHERITED = ("title", "content", "deadline", "leader", *ROLES)
_YEAR = re.compile(r"(\d{4})\s*年")
#: How alike two names must be (difflib ratio) for ``check`` to suggest an alias.
SIMILAR = 0.85


def category_of(title: str) -> Category:
    if "民生实事" in title:
        return Category.LIVELIHOOD
    if "督办" in title or "重点" in title:
        return Category.KEY_ITEM
    return Category.OTHER


def year_of(title: str) -> int | None:
    m = _YEAR.search(title)
    return int(m.group(1)) if m else None


def build_table(
    raw: RawTable,
    *,
    city: City,
    aliases: Aliases,
    year: int | None = None,
    level: str = "city",
) -> Table:
    """The typed :class:`~respgraph.graph.model.Table` of one raw table."""
    notes = clean_controls(raw) + numbering_notes(raw)  # hardening: before anything reads the cells
    year = year_of(raw.title) if year is None else year
    if year is None:
        raise LoadError(raw.file, "the title names no year; give it with --year", line=raw.title_line or None)
    title = clean_text(raw.title) or raw.file.replace("\\", "/").rsplit("/", 1)[-1]
    doc = Document(
        key=f"doc:{document_id(city.name, year, raw.attachment, title)}",
        city=city.name,
        year=year,
        attachment=raw.attachment,
        title=title,
        category=category_of(raw.title),
        source=raw.file.replace("\\", "/").rsplit("/", 1)[-1],
        level=level,  # issue #6
    )
    b = _Builder(raw, doc, city, aliases)
    b.quirks += notes
    for first, rest in _group_rows(raw):
        b.add_item(first, rest)
    b.check_similar_names()
    b.check_run_together()
    b.check_leaders_run_together()
    return b.table()


def split_names(file: str, row: RawRow, field: str) -> list[str]:
    """The names one cell of ``row`` prints; a name past the ``name_chars`` limit is an
    error naming the file, line and cell (a 19 MB cell is not a unit)."""
    try:
        return split_cell(row.cells.get(field, ""))
    except NameTooLong as exc:
        raise too_big(file, "name_chars", f"{exc}", line=row.line, cell=FIELD_ZH.get(field, field)) from None


def is_heading_row(cells: dict[str, str]) -> bool:
    """A row that only titles the rows below it: no number (or ``一、`` / ``（一）``),
    a title, and nothing else — no leader, units, deadline or targets.

    >>> is_heading_row({"number": "", "title": "强化科技创新支撑能力。", "lead": ""})
    True
    >>> is_heading_row({"number": "（一）", "title": "科技", "lead": ""}), is_heading_row({"number": "3", "title": "x"})
    (True, False)
    >>> is_heading_row({"number": "", "title": "", "lead": "市财政局"})
    False
    """
    number = clean_name(cells.get("number", ""))
    if number and not heading_level(number):
        return False
    rest = [v for k, v in cells.items() if k not in ("number", "title", "section") and v.strip()]
    return bool(clean_text(cells.get("title", ""))) and not rest


def _group_rows(raw: RawTable) -> list[tuple[RawRow, list[RawRow]]]:
    """Rows with a 序号 open an item; rows without continue the one above; heading
    rows name the section of the items below them."""
    from respgraph.loaders.grid.grid_tables import Sections

    groups: list[tuple[RawRow, list[RawRow]]] = []
    sections = Sections()
    for row in raw.rows:
        if is_heading_row(row.cells):
            number = clean_name(row.cells.get("number", ""))
            sections.enter(number + clean_text(row.cells["title"]))
            continue
        if sections.path and not row.cells.get("section"):
            row.cells["section"] = sections.name
            opens = row.cells.get("number", "").strip()
            if sections.leader and opens and "leader" in row.cells and not row.cells["leader"].strip():
                row.cells["leader"] = sections.leader
        if row.cells.get("number", "").strip():
            groups.append((row, []))
        elif not groups:
            raise LoadError(
                raw.file, "a continuation row (empty 序号) with no item above it", line=row.line, cell="序号"
            )
        else:
            groups[-1][1].append(row)
    return groups


class _Builder:
    def __init__(self, raw: RawTable, doc: Document, city: City, aliases: Aliases):
        self.raw, self.doc, self.city, self.aliases = raw, doc, city, aliases
        self.items: list[Item] = []
        self.parts: list[Part] = []
        self.milestones: list[Milestone] = []
        self.assignments: list[Assignment] = []
        self.quirks: list[Quirk] = []
        self.leaders: dict[str, int] = {}
        self.names: dict[str, int] = {}  # unit or group name -> first line
        self.seen_numbers: dict[str, list[int]] = {}

    def quirk(self, line: int, kind: str, cell: str | None = None, *, form: str = "", **fields) -> None:
        self.quirks.append(Quirk.of(line, kind, cell, form=form, **fields))

    def add_item(self, first: RawRow, rest: list[RawRow]) -> None:
        number = clean_name(first.cells["number"])
        key = f"item:{self.doc.key.removeprefix('doc:')}/{number}"
        key = self.repeat_key(number, key, first.line)
        title = clean_text(first.cells.get("title", ""))
        if not title:
            raise LoadError(self.raw.file, f"item {number} has no title", line=first.line, cell=FIELD_ZH["title"])
        deadline_text = clean_text(first.cells.get("deadline", ""))
        deadline = self.deadline(first.line, number, None, deadline_text)
        leaders = self.leader_names(first)
        self.items.append(
            Item(
                key=key,
                document=self.doc.key,
                city=self.doc.city,
                attachment=self.doc.attachment,
                number=number,
                title=title,
                category=self.doc.category,
                content=clean_text(first.cells.get("content", "")),
                deadline=deadline,
                deadline_text=deadline_text,
                leaders=leaders,
                line=first.line,
                section=clean_text(first.cells.get("section", "")),  # issue #6: set by the grid and prose readers
            )
        )
        if not rest:
            self.add_row(key, first, number, None, split=False)
            return
        for n, row in enumerate([first, *rest], start=1):
            if n > 1:
                self.inherit(row, first, number, n)
                self.deadline(row.line, number, n, clean_text(row.cells.get("deadline", "")))
            part_key = f"{key}.{n}"
            heading = self.add_row(part_key, row, number, n, split=True)
            self.parts.append(
                Part(
                    key=part_key,
                    item=key,
                    part=n,
                    title=heading or f"{title}（第{n}部分）",
                    leaders=self.leader_names(row),
                    line=row.line,
                )
            )

    def repeat_key(self, number: str, key: str, line: int) -> str:
        """A number printed twice loads as two items; the second is keyed ``N~2`` and noted."""
        lines = self.seen_numbers.setdefault(number, [])
        lines.append(line)
        if len(lines) == 1:
            return key
        self.quirk(
            line,
            "numbering_repeat",
            FIELD_ZH["number"],
            form="twice" if len(lines) == 2 else "",
            item=number,
            count=len(lines),
            first_line=lines[0],
            key=f"{number}~{len(lines)}",
        )
        return f"{key}~{len(lines)}"

    def inherit(self, row: RawRow, first: RawRow, number: str, part: int) -> None:
        for field in _INHERITED:
            if field in row.cells and not row.cells[field].strip() and first.cells.get(field, "").strip():
                row.cells[field] = first.cells[field]
                self.quirk(
                    row.line,
                    "inherited",
                    FIELD_ZH[field],
                    item=number,
                    part=part,
                    column=FIELD_ZH[field],
                    from_line=first.line,
                    value=clean_text(first.cells[field]),
                )

    def deadline(self, line: int, number: str, part: int | None, text: str):
        cell = FIELD_ZH["deadline"]
        if not text:
            if "deadline" in self.raw.columns:  # issue #6: a table without the column is no source error
                self.quirk(line, "no_deadline", cell, item=number, part=part)
            return None
        date = parse_deadline(text)
        if date is None:
            self.quirk(line, "bad_deadline", cell, item=number, part=part, value=text)
        elif date.year != self.doc.year:
            self.quirk(line, "deadline_year", cell, item=number, part=part, value=text, year=self.doc.year)
        return date

    def leader_names(self, row: RawRow) -> tuple[str, ...]:
        # Padded (王　伟), several to a line or a cell, wrapped: one leader per line first.
        cell = RawRow(row.line, {"leader": leader_lines(row.cells.get("leader", ""))})
        names = tuple(clean_name(n) for n in split_names(self.raw.file, cell, "leader"))
        for name in names:
            self.leaders.setdefault(name, row.line)
        return names

    def add_row(self, owner: str, row: RawRow, number: str, part: int | None, *, split: bool) -> str:
        """Roles and milestones of one row on ``owner`` (item ``number``, its ``part``); returns the row's heading."""
        if "leader" in self.raw.columns and not row.cells.get("leader", "").strip():
            self.quirk(row.line, "no_leader", FIELD_ZH["leader"], item=number, part=part)
        seen: set[tuple[str, str]] = set()  # a role said inline may repeat another column's
        for field in UNIT_FIELDS:
            if field not in self.raw.columns:
                continue
            names = self.unit_names(row, field)
            if field == "implement" and not names:
                self.quirk(row.line, "no_implementer", FIELD_ZH[field], item=number, part=part)
            for name, role in names:
                if (name, role) in seen:
                    continue
                seen.add((name, role))
                self.assignments.append(Assignment(owner=owner, name=name, role=Role(role), line=row.line))
        heading, targets = split_targets(clean_text(row.cells.get("targets", "")))
        for seq, t in enumerate(targets, start=1):
            self.milestones.append(
                Milestone(
                    key=f"milestone:{owner.removeprefix('item:')}/{seq}",
                    owner=owner,
                    seq=seq,
                    quarters=t.quarters,
                    period=t.label,
                    section=t.section,
                    text=t.text,
                    quantities=quantities_of(t.text),
                )
            )
        return heading if split else ""

    def unit_names(self, row: RawRow, field: str) -> list[tuple[str, str]]:
        """(name, role) of every unit in the row's ``field`` cell: the column's role,
        unless the cell says another after the name (``市体育局配合``)."""
        out: list[tuple[str, str]] = []
        cell = row.cells.get(field, "")
        printed_names = split_names(self.raw.file, row, field)
        limits().check(self.raw.file, "units_per_cell", len(printed_names), f"{FIELD_ZH[field]}: ", line=row.line)
        tail = clean_name(cell)[-1:]
        if printed_names and tail and tail in "，；、,;":  # split_cell drops these silently
            self.quirk(row.line, "stray_text", FIELD_ZH[field], form="tail", text=clean_name(cell), tail=tail)
        for printed in printed_names:
            printed, role = self.clean_unit(row.line, field, printed)
            name = self.aliases.resolve(printed, self.city.name)
            if name != printed:
                self.quirk(row.line, "alias", FIELD_ZH[field], printed=printed, name=name)
            if name in self.city.districts or name in self.city.zones:
                self.quirk(row.line, "bare_place", FIELD_ZH[field], name=name, body=f"{name}政府")
                name = f"{name}政府"
            if (name, role) not in out:
                out.append((name, role))
            self.names.setdefault(name, row.line)
        return out

    def clean_unit(self, line: int, field: str, printed: str) -> tuple[str, str]:
        """A printed name without stray text (``等单位``, a full stop) and without a
        role said inline, each noted; and the role it has on the row."""
        from respgraph.loaders.items.names import inline_role, strip_stray

        name, removed = strip_stray(printed)
        if removed:
            self.quirk(line, "stray_text", FIELD_ZH[field], printed=printed, removed=removed, name=name)
        bare, role = inline_role(name)
        if role is not None:
            word = name[len(bare) :]
            self.quirk(
                line, "inline_role", FIELD_ZH[field], name=name, word=word, bare=bare, role=role, column=FIELD_ZH[field]
            )
            return bare, role
        return name, field

    def check_similar_names(self) -> None:
        """Names so alike they are likely one body under two spellings (a missing alias)."""
        units = sorted(n for n in self.names if not is_group_name(n))
        governments = set(self.city.governments())
        # Blocked by shared rare characters (loaders/items/similar.py): 10,000 units no longer mean 50 million pairs.
        for i, j in similar_pairs([name_core(u) for u in units], SIMILAR):
            a, b = units[i], units[j]
            if a in governments and b in governments:
                continue
            self.quirk(self.names[b], "similar_names", None, a=a, a_line=self.names[a], b=b)

    def check_run_together(self) -> None:
        """Names that are two or more other names of the table printed without a
        separator (a cell whose line breaks were lost): ``县水务局县住建局``."""
        known = {n for n in self.names if not is_group_name(n)} | self.aliases.canonical_names(self.city.name)
        for name in self.names:
            parts = _segment(name, known - {name})
            if parts and len(parts) > 1:
                self.quirk(self.names[name], "run_together", None, name=name, count=len(parts), parts="、".join(parts))

    def check_leaders_run_together(self) -> None:
        """Leader names that are two of the table's other leaders printed as one
        (``王伟张三丰`` where 王伟 and 张三丰 lead other items): a cell whose line break was lost."""
        for name, line in self.leaders.items():
            parts = _segment(name, set(self.leaders) - {name})
            if parts and len(parts) > 1:
                self.quirk(
                    line, "run_together", FIELD_ZH["leader"], name=name, count=len(parts), parts="、".join(parts)
                )

    def unit(self, name: str) -> Unit:
        city = self.city.name
        return Unit(
            key=f"unit:{city}/{name}",
            name=name,
            city=city,
            kind=self.city.unit_kind(name),
            aliases=self.aliases.variants(name, city),
        )

    def table(self) -> Table:
        city = self.city.name
        governments = self.city.governments()
        groups, units = [], {}
        memberships: list[Membership] = []
        for name in self.names:
            if not is_group_name(name):
                units[name] = self.unit(name)
        for name in self.names:
            if not is_group_name(name):
                continue
            members = self.city.group_members(name)
            groups.append(
                UnitGroup(key=f"group:{city}/{name}", name=name, city=city, members_known=members is not None)
            )
            for member in members or []:
                units.setdefault(member, self.unit(member))
                memberships.append(Membership(unit=f"unit:{city}/{member}", group=f"group:{city}/{name}"))
        districts, governs = {}, []
        for name, unit in units.items():
            place = governments.get(name)
            if place:
                kind = self.city.districts.get(place, "zone")
                districts[place] = District(key=f"district:{city}/{place}", name=place, city=city, kind=kind)
                governs.append(Governs(unit=unit.key, district=f"district:{city}/{place}"))
        return Table(
            document=self.doc,
            items=tuple(self.items),
            parts=tuple(self.parts),
            milestones=tuple(self.milestones),
            assignments=tuple(self.assignments),
            leaders=tuple(Leader(key=f"leader:{city}/{n}", name=n, city=city) for n in self.leaders),
            units=tuple(units.values()),
            groups=tuple(groups),
            districts=tuple(districts.values()),
            memberships=tuple(memberships),
            governs=tuple(governs),
            quirks=tuple(sorted(self.quirks, key=lambda q: q.line)),
        )


def _segment(text: str, known: set[str]) -> list[str] | None:
    """``text`` as a sequence of ``known`` names, or None.

    >>> _segment("县水务局县住建局", {"县水务局", "县住建局"})
    ['县水务局', '县住建局']
    """
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 40), end):
            if start in best and text[start:end] in known:
                best[end] = best[start] + [text[start:end]]
                break
    return best.get(len(text))
