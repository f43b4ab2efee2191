"""Where every item stands at a date: its status from the progress reports, overdue, and a warning colour.

An item's status is that of the latest report row on it up to the date asked
(``as_of``, default: the latest report loaded); an item reported on only through
its sub-items takes the worst of theirs.  **Overdue**: the deadline has passed
and the item is not reported done.  Warnings (三色督办单), by :class:`WarningRules`:

- ``three-colour`` (the default, as offices publish it): 红 red = overdue; 黄 yellow =
  behind schedule (未达序时进度); 蓝 blue = deadline within ``near_days`` (30) and not done.
- ``escalating``: 蓝 blue → 橙 orange → 红 red as an item stays behind on 1, 2, 3 successive
  reports; overdue is red.

Scoped to a unit or a leader, an item counts with the rows on the parts they are
named on (livelihood item 9 has two parts under two leaders).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from pydantic import computed_field

from respgraph.graph.progress import STATUS_ORDER, Status, due_quarter
from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import EDGE_OF_ROLE
from respgraph.queries.lookup import resolve_one
from respgraph.queries.progress_reports import reports, targets
from respgraph.queries.rows import Row

__all__ = ["item_status", "status_rollup", "status_trend", "WarningRules", "ItemStatus", "RollupRow", "TrendRow"]

PRESETS = ("three-colour", "escalating")
WARNINGS = ("red", "orange", "yellow", "blue")
_SEVERITY = {s: n for n, s in enumerate(STATUS_ORDER)}


@dataclass(frozen=True)
class WarningRules:
    """How warning colours are given; see the module docstring."""

    preset: str = "three-colour"
    near_days: int = 30
    orange_after: int = 2  # escalating: successive reports behind before orange
    red_after: int = 3  # escalating: … before red

    def __post_init__(self):
        if self.preset not in PRESETS:
            raise ValueError(f"unknown preset {self.preset!r}: use one of {', '.join(PRESETS)}")


class ItemStatus(Row):
    """An item at a date.  The JSON answer is :meth:`public`; the rest serves notices and roll-ups."""

    id: str
    attachment: int
    number: str
    title: str
    city: str
    status: str
    overdue: bool
    warning: str | None
    reported: dt.date | None
    why: str
    document: str
    deadline: dt.date | None
    leaders: list[str]
    lead: list[str]
    behind_streak: int
    missed: list[str]
    next_targets: list[str]
    problems: str = ""
    next_steps: str = ""
    #: The deadline is outside the table's year and nobody has corrected it: never overdue.
    deadline_doubtful: bool = False
    #: What ``respgraph fix`` corrected on the item, in Chinese; "" when nothing.
    corrected: str = ""

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form, which mypy does not model
    @property
    def year(self) -> int:
        """The year of the item's table (issue 22: years are never mixed unseen)."""
        return int(self.document.removeprefix("doc:").split("/")[1])

    def public(self) -> dict:
        return self.model_dump(
            mode="json",
            include={
                "id",
                "attachment",
                "number",
                "title",
                "city",
                "year",
                "document",
                "status",
                "overdue",
                "warning",
                "reported",
                "why",
                "deadline",
                "deadline_doubtful",
                "corrected",
            },
        )


class RollupRow(Row):
    name: str
    city: str
    items: int
    done: int
    ahead: int
    on_track: int
    behind: int
    not_started: int
    other: int
    no_report: int
    overdue: int
    red: int
    orange: int
    yellow: int
    blue: int
    share_behind: float


class TrendRow(Row):
    date: dt.date
    items: int
    done: int
    ahead: int
    on_track: int
    behind: int
    not_started: int
    other: int
    no_report: int
    overdue: int
    red: int
    orange: int
    yellow: int
    blue: int


def latest_report_date(store: GraphStore) -> dt.date | None:
    """The date of the latest progress report loaded, or None."""
    dates = [r["as_of"] for r in reports(store)]
    return max(dates) if dates else None


def item_status(
    store: GraphStore,
    *,
    as_of: dt.date | None = None,
    unit: str | None = None,
    role: str | None = None,
    leader: str | None = None,
    city: str | None = None,
    rules: WarningRules = WarningRules(),
    documents: list[str] | None = None,
) -> list[ItemStatus]:
    """Every item (of ``unit``, ``leader`` or ``city`` when given) at ``as_of``, worst first.

    Parameters
    ----------
    store : GraphStore (the embedded SqliteStore, or Neo4jStore)
    as_of : date, optional
        Default: the date of the latest report loaded (today when there is none).
    unit, role : str, optional
        Only items the unit is named on (in ``role``: lead, implement or assist, when given).
    leader, city : str, optional
    rules : WarningRules

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> rows = item_status(sample_store(), as_of=dt.date(2023, 7, 1))
    >>> [(r.number, r.status, r.overdue, r.warning) for r in rows][:2]
    [('20', 'no_report', True, 'red'), ('24', 'no_report', True, 'red')]
    """
    as_of = as_of or latest_report_date(store) or dt.date.today()
    groups = _scoped(store, unit=unit, role=role, leader=leader, city=city, documents=documents)
    out = [_evaluate(ts, as_of, rules) for ts in groups.values()]
    return sorted(out, key=_worst_first)


def _worst_first(r: ItemStatus) -> tuple:
    warn = WARNINGS.index(r.warning) if r.warning else len(WARNINGS)
    return (warn, _SEVERITY[Status(r.status)], r.document, int(r.number) if r.number.isdigit() else 10**9, r.number)


def status_rollup(
    store: GraphStore,
    *,
    by: str = "unit",
    role: str = "lead",
    as_of: dt.date | None = None,
    city: str | None = None,
    rules: WarningRules = WarningRules(),
    documents: list[str] | None = None,
) -> list[RollupRow]:
    """Counts per unit (in ``role``, default the lead unit) or per leader, most behind first.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> rows = status_rollup(sample_store(), by="leader", as_of=dt.date(2023, 7, 1))
    >>> [(r.name, r.items, r.no_report, r.red) for r in rows][:1]
    [('张仁建', 38, 38, 4)]
    """
    if by not in ("unit", "leader"):
        raise ValueError("by must be unit or leader")
    as_of = as_of or latest_report_date(store) or dt.date.today()
    all_targets = [t for t in targets(store, documents) if city is None or t["city"] == city]
    named: dict[tuple[str, str], set[str]] = defaultdict(set)  # (name, city) -> target keys
    for t in all_targets:
        if by == "leader":
            names = t["leaders"]
        else:
            names = [u["name"] for u in t["units"] if u["role"] == EDGE_OF_ROLE[role]]
        for name in names:
            named[(name, t["city"])].add(t["key"])
    rows = []
    for (name, place), keys in named.items():
        items = _group(_with_item_rows(all_targets, keys))
        evaluated = [_evaluate(ts, as_of, rules) for ts in items.values()]
        rows.append(_count(RollupRow, evaluated, name=name, city=place))
    return sorted(rows, key=lambda r: (-r.red, -r.behind, -r.overdue, -r.items, r.name))


def status_trend(
    store: GraphStore,
    *,
    as_of: dt.date | None = None,
    unit: str | None = None,
    role: str | None = None,
    leader: str | None = None,
    city: str | None = None,
    rules: WarningRules = WarningRules(),
    documents: list[str] | None = None,
) -> list[TrendRow]:
    """Status counts at every report date up to ``as_of``: the trend across reports.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> status_trend(sample_store())
    []
    """
    dates = sorted({r["as_of"] for r in reports(store)})
    if as_of is not None:
        dates = [d for d in dates if d <= as_of]
    groups = _scoped(store, unit=unit, role=role, leader=leader, city=city, documents=documents)
    return [_count(TrendRow, [_evaluate(ts, d, rules) for ts in groups.values()], date=d) for d in dates]


def _count(cls, evaluated: list[ItemStatus], **fields):
    counts = {s.value: 0 for s in Status}
    for r in evaluated:
        counts[r.status] += 1
    colours = {w: sum(r.warning == w for r in evaluated) for w in WARNINGS}
    extra = (
        {"share_behind": round(counts["behind"] / len(evaluated), 3) if evaluated else 0.0} if cls is RollupRow else {}
    )
    return cls(**fields, items=len(evaluated), **counts, overdue=sum(r.overdue for r in evaluated), **colours, **extra)


def _scoped(store: GraphStore, *, unit, role, leader, city, documents) -> dict[str, list[dict]]:
    """The targets of every item in scope, grouped by item."""
    all_targets = [t for t in targets(store, documents) if city is None or t["city"] == city]
    keep: set[str] | None = None
    if unit is not None:
        # One jurisdiction: a name found in two cities is refused with both (AmbiguousName).
        found = resolve_one(store, unit, ("Unit", "UnitGroup"), city=city, documents=documents)
        edges = {EDGE_OF_ROLE[role]} if role else set(EDGE_OF_ROLE.values())
        keep = {
            t["key"]
            for t in all_targets
            if t["city"] == found.get("city")
            and any(u["name"] == found["name"] and u["role"] in edges for u in t["units"])
        }
    if leader is not None:
        found = resolve_one(store, leader, ("Leader",), city=city, documents=documents)
        by_leader = {t["key"] for t in all_targets if t["city"] == found.get("city") and found["name"] in t["leaders"]}
        keep = by_leader if keep is None else keep & by_leader
    if keep is None:
        return _group(all_targets)
    return _group(_with_item_rows(all_targets, keep))


def _with_item_rows(all_targets: list[dict], keys: set[str]) -> list[dict]:
    """The targets named by ``keys``; a row on a whole item counts for whoever is on any of its parts,
    and someone named on a whole item is on all its parts."""
    items = {t["item"] for t in all_targets if t["key"] in keys}
    whole = {t["item"] for t in all_targets if t["key"] in keys and t["label"] == "Item"}
    return [
        t
        for t in all_targets
        if t["key"] in keys or (t["item"] in items and t["label"] == "Item") or t["item"] in whole
    ]


def _group(ts: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for t in ts:
        grouped[t["item"]].append(t)
    return grouped


def _latest(t: dict, as_of: dt.date) -> dict | None:
    rows = [r for r in t["records"] if r["as_of"] <= as_of]
    return max(rows, key=lambda r: r["as_of"]) if rows else None


def _quarter_texts(t: dict, quarter: int) -> list[str]:
    prefix = f"{t['part']}. {t['title']}：" if t["label"] == "SubItem" else ""
    return [
        f"{prefix}{m.get('period') or ''}：{m['text']}".replace("：：", "：")
        for m in t["milestones"]
        if m.get("quarters") and max(m["quarters"]) == quarter
    ]


def _evaluate(ts: list[dict], as_of: dt.date, rules: WarningRules) -> ItemStatus:
    item = next((t for t in ts if t["label"] == "Item"), None)
    parts = sorted((t for t in ts if t["label"] == "SubItem"), key=lambda t: t["part"])
    first = item or parts[0]
    latest = {t["key"]: _latest(t, as_of) for t in ts}
    own = latest.get(item["key"]) if item else None
    reported_parts = [(t, r) for t in parts if (r := latest[t["key"]])]
    if own is not None:
        status, why, used = Status(own["status"]), own["why"], [own]
    elif reported_parts:
        t, worst = min(reported_parts, key=lambda tr: _SEVERITY[Status(tr[1]["status"])])
        status = Status(worst["status"])
        why = f"part {t['part']} ({t['title'][:20]}): {worst['why']}"
        if len(reported_parts) < len(parts):
            why += f" ({len(reported_parts)} of {len(parts)} parts reported)"
        used = [r for _, r in reported_parts]
    else:
        status, why, used = Status.NO_REPORT, "no report row on this item", []
    deadline = first.get("deadline")
    doubtful = bool(first.get("deadline_doubtful"))
    # A misprinted deadline (2013 in a 2023 table) says nothing about being late.
    overdue = deadline is not None and not doubtful and deadline < as_of and status != Status.DONE
    streak = _behind_streak(ts, as_of)
    warning = _warning(rules, status, overdue, None if doubtful else deadline, as_of, streak)
    quarter = due_quarter(as_of, first["year"])
    targets_of = [item] if item else []
    targets_of += parts
    missed = [x for t in targets_of for x in _quarter_texts(t, quarter)] if status == Status.BEHIND else []
    return ItemStatus(
        id=first["item"],
        attachment=first["attachment"],
        number=first["number"],
        title=first["item_title"],
        city=first["city"],
        status=status.value,
        overdue=overdue,
        warning=warning,
        reported=max((r["as_of"] for r in used), default=None),
        why=why,
        document=first["document"],
        deadline=deadline,
        leaders=sorted({n for t in ts for n in t["leaders"]}),
        lead=sorted({u["name"] for t in ts for u in t["units"] if u["role"] == "LEADS"}),
        behind_streak=streak,
        missed=missed,
        next_targets=[x for t in targets_of for x in _quarter_texts(t, quarter + 1)] if quarter < 4 else [],
        problems="；".join(r.get("problems", "") for r in used if r.get("problems")),
        next_steps="；".join(r.get("next_steps", "") for r in used if r.get("next_steps")),
        deadline_doubtful=doubtful,
        corrected=first.get("corrected", ""),
    )


def _behind_streak(ts: list[dict], as_of: dt.date) -> int:
    """Successive report dates, latest first, on which some target of the item was behind."""
    by_date: dict[dt.date, list[str]] = defaultdict(list)
    for t in ts:
        for r in t["records"]:
            if r["as_of"] <= as_of:
                by_date[r["as_of"]].append(r["status"])
    streak = 0
    for d in sorted(by_date, reverse=True):
        if Status.BEHIND.value not in by_date[d]:
            break
        streak += 1
    return streak


def _warning(rules: WarningRules, status: Status, overdue: bool, deadline, as_of: dt.date, streak: int) -> str | None:
    if status == Status.DONE:
        return None
    if overdue:
        return "red"
    if rules.preset == "escalating":
        if status == Status.BEHIND or streak:
            if streak >= rules.red_after:
                return "red"
            return "orange" if streak >= rules.orange_after else "blue"
        return None
    if status == Status.BEHIND:
        return "yellow"
    if deadline is not None and as_of <= deadline <= as_of + dt.timedelta(days=rules.near_days):
        return "blue"
    return None


def latest_item_status(
    store: GraphStore, *, city: str | None = None, documents: list[str] | None = None, **who
) -> list[ItemStatus]:
    """:func:`item_status` at the latest report's date, judging only the tables of its year
    (another year's item has no status then, it is not "no report"); empty when no report
    is loaded or no table of that year is in scope.  ``who``: ``unit``/``role``/``leader``."""
    from respgraph.graph.errors import UnknownDocument
    from respgraph.queries.years import documents_at

    when = latest_report_date(store)
    if when is None:
        return []
    try:
        docs = documents_at(store, when, city=city, documents=documents).documents
    except UnknownDocument:
        return []
    return item_status(store, as_of=when, city=city, documents=docs, **who)


def picture_statuses(store: GraphStore) -> dict[str, str]:
    """Item id -> latest status, or ``overdue``, for colouring pictures (see
    :func:`latest_item_status`).  An overdue item is drawn apart from one with no report,
    whatever its status."""
    return {r.id: "overdue" if r.overdue else r.status for r in latest_item_status(store)}
