"""The typed model: what a responsibility table becomes.

Every node has a readable ``key`` that is stable across loads, built from the city,
year, attachment and printed numbers of the source (``湛江市/2023/1/79``), so loading
the same file twice writes the same nodes again and changes nothing.

The loaders build these models; :func:`to_batch` flattens them into plain
labelled nodes and typed relationships, the only shape the stores see.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from respgraph.graph.notes import NOTE_KIND_ZH, note_text
from respgraph.graph.vocabulary import EDGE_OF_ROLE, ROLES, UNIT_KINDS

#: The part a unit plays on an item (牵头 / 实施 / 协办): the vocabulary's roles as an enum.
Role = StrEnum("Role", {role.upper(): role for role in ROLES}, module=__name__)


class Category(StrEnum):
    KEY_ITEM = "key_item"  # 重点督办事项
    LIVELIHOOD = "livelihood"  # 民生实事
    OTHER = "other"


UnitKind = StrEnum("UnitKind", {kind.upper(): kind for kind in UNIT_KINDS})


class QuantityUnit(StrEnum):
    YI_YUAN = "亿元"
    WAN_YUAN = "万元"
    PERCENT = "%"
    OTHER = "other"


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def document_id(city: str, year: int, attachment: int, title: str) -> str:
    """The identity of a table: its jurisdiction, year, attachment and a digest of its title.

    Two different tables of one city and year (a 重点督办 table and a 民生实事 table,
    both printed as 附件 1) differ in title, so they live side by side; the same
    table loaded again has the same identity and replaces itself.

    >>> document_id("湛江市", 2023, 1, "2023 年市《政府工作报告》重点督办事项分解表")
    '湛江市/2023/1-b6a81b'
    """
    import hashlib
    import unicodedata

    plain = "".join(unicodedata.normalize("NFKC", title).split())
    return f"{city}/{year}/{attachment}-{hashlib.sha1(plain.encode('utf-8')).hexdigest()[:6]}"


class Document(Model):
    """One source table: an attachment of a city's document for a year."""

    key: str
    city: str
    year: int
    attachment: int
    title: str
    category: Category
    source: str = Field(description="file name the table was read from")
    # issue #6: several cities and levels side by side
    level: str = Field("city", description="city, district or county: the government that issued it")
    loaded_at: str = Field("", description="when it was loaded (ISO 8601, UTC); set by the store's loader")


class Quantity(Model):
    """A number a target states: ``累计完成投资 20 亿元`` is 20 亿元, cumulative."""

    value: float
    unit_text: str = Field(description="the unit as printed, e.g. 亿元, 个, 公里")
    cumulative: bool

    @computed_field
    @property
    def unit(self) -> QuantityUnit:
        try:
            return QuantityUnit(self.unit_text)
        except ValueError:
            return QuantityUnit.OTHER

    @computed_field
    @property
    def wan_yuan(self) -> float | None:
        """Money normalised to 万元, so 亿元 and 万元 targets add up."""
        factor = {"亿元": 10000.0, "万元": 1.0}.get(self.unit_text)
        return None if factor is None else self.value * factor


class Milestone(Model):
    """A quarterly target; ``quarters`` is empty when the text names no quarter."""

    key: str
    owner: str = Field(description="key of the item or sub-item it belongs to")
    seq: int
    quarters: tuple[int, ...]
    period: str = Field(description="the quarter label as printed, e.g. 第一至二季度; empty when none")
    section: str = Field("", description="heading of the numbered sub-list it sits in")
    text: str
    quantities: tuple[Quantity, ...] = ()


class Assignment(Model):
    """A unit or group named in a role on an item or sub-item, at a source line."""

    owner: str
    name: str
    role: Role
    line: int


class Part(Model):
    """A sub-item: one source row of an item that spans several rows."""

    key: str
    item: str
    part: int
    title: str
    leaders: tuple[str, ...]
    line: int


class Item(Model):
    key: str
    document: str
    city: str = Field(description="the jurisdiction of its document")
    attachment: int
    number: str
    title: str
    category: Category
    content: str = ""
    deadline: dt.date | None
    deadline_text: str
    leaders: tuple[str, ...] = Field(description="leaders of the first row; parts may differ")
    line: int
    # issue #6: the heading (一、… / （一）…) the item stands under
    section: str = Field("", description="section heading of the item; empty when the table has none")


class Unit(Model):
    key: str
    name: str
    city: str
    kind: UnitKind
    aliases: tuple[str, ...] = Field((), description="other spellings that name this unit")


class UnitGroup(Model):
    """A collective name (各县（市、区）政府（管委会）); members are known or not."""

    key: str
    name: str
    city: str
    members_known: bool


class Leader(Model):
    key: str
    name: str
    city: str


class District(Model):
    key: str
    name: str
    city: str
    kind: str = Field(description="county, county_city, district or zone")


class Node(BaseModel):
    label: str
    key: str
    props: dict[str, Any]


class Rel(BaseModel):
    type: str
    start: str
    end: str
    props: dict[str, Any] = {}


class Batch(BaseModel):
    """Plain nodes and relationships: what a store writes for one document."""

    document: str
    nodes: list[Node]
    rels: list[Rel]


def node(label: str, model: Model) -> Node:
    props = model.model_dump(mode="json")
    if label == "Milestone":
        # Stores hold flat properties; quantities travel as parallel lists.
        qs = props.pop("quantities")
        props["quarters"] = list(props["quarters"])
        props["q_values"] = [q["value"] for q in qs]
        props["q_units"] = [q["unit_text"] for q in qs]
        props["q_cumulative"] = [q["cumulative"] for q in qs]
    return Node(label=label, key=model.key, props={k: v for k, v in props.items() if v is not None})


class Quirk(Model):
    """Something odd in the source that the loader read through, for ``check``.

    ``kind``, ``form`` and ``fields`` are the note; ``message`` is its English sentence
    (what ``check`` prints), made from them by :func:`respgraph.graph.notes.note_text`.
    :meth:`text` says it in another language from the same fields.

    >>> q = Quirk.of(108, "no_implementer", "实施单位", item="51", part=None)
    >>> q.message, q.text("zh")
    ('item 51 has no implementing unit', '第51项没有实施单位')
    """

    line: int
    kind: str
    message: str
    cell: str | None = None
    form: str = ""
    fields: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, line: int, kind: str, cell: str | None = None, *, form: str = "", **fields: Any) -> Quirk:
        message = note_text(kind, form, fields)
        if message is None:
            raise ValueError(f"no sentence for the note {kind}{'.' + form if form else ''}")
        return cls(line=line, kind=kind, message=message, cell=cell, form=form, fields=fields)

    def text(self, lang: str = "en") -> str:
        """The note in ``lang``; a note with no sentence in the catalogue says what its kind means."""
        said = note_text(self.kind, self.form, self.fields, lang)
        if said is not None:
            return said
        return self.message if lang == "en" else NOTE_KIND_ZH.get(self.kind, "需要核实")


class Membership(Model):
    unit: str
    group: str


class Governs(Model):
    unit: str
    district: str


class Table(Model):
    """Everything one source table says, typed; the loaders' output."""

    document: Document
    items: tuple[Item, ...]
    parts: tuple[Part, ...]
    milestones: tuple[Milestone, ...]
    assignments: tuple[Assignment, ...]
    leaders: tuple[Leader, ...]
    units: tuple[Unit, ...]
    groups: tuple[UnitGroup, ...]
    districts: tuple[District, ...]
    memberships: tuple[Membership, ...]
    governs: tuple[Governs, ...]
    quirks: tuple[Quirk, ...] = ()
    found: dict[str, str] = Field(default_factory=dict, description="where the city and the year were read")
    needs: tuple[str, ...] = Field((), description="what `load` will ask for that nothing in the file says")

    def to_batch(self, *, loaded_at: str = "") -> Batch:
        document = self.document.model_copy(update={"loaded_at": loaded_at}) if loaded_at else self.document
        nodes = [node("Document", document)]
        nodes += [node("Item", i) for i in self.items]
        nodes += [node("SubItem", p) for p in self.parts]
        nodes += [node("Milestone", m) for m in self.milestones]
        nodes += [node("Leader", x) for x in self.leaders]
        nodes += [node("Unit", x) for x in self.units]
        nodes += [node("UnitGroup", x) for x in self.groups]
        nodes += [node("District", x) for x in self.districts]
        leader_key = {x.name: x.key for x in self.leaders}
        named = {x.name: x.key for x in (*self.units, *self.groups)}
        rels = [Rel(type="FROM", start=i.key, end=self.document.key) for i in self.items]
        rels += [Rel(type="PART_OF", start=p.key, end=p.item) for p in self.parts]
        rels += [Rel(type="HAS_MILESTONE", start=m.owner, end=m.key) for m in self.milestones]
        split = {p.item for p in self.parts}
        rels += [
            Rel(type="OVERSEES", start=leader_key[name], end=i.key)
            for i in self.items
            if i.key not in split
            for name in i.leaders
        ]
        rels += [Rel(type="OVERSEES", start=leader_key[name], end=p.key) for p in self.parts for name in p.leaders]
        seen = set()
        for a in self.assignments:
            rel = Rel(type=EDGE_OF_ROLE[a.role], start=named[a.name], end=a.owner)
            if (rel.type, rel.start, rel.end) not in seen:
                seen.add((rel.type, rel.start, rel.end))
                rels.append(rel)
        rels += [Rel(type="MEMBER_OF", start=m.unit, end=m.group) for m in self.memberships]
        rels += [Rel(type="GOVERNS", start=g.unit, end=g.district) for g in self.governs]
        return Batch(document=self.document.key, nodes=nodes, rels=rels)
