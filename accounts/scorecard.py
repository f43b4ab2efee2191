"""The quarter's scorecard by lead unit, and what the 督查通报 is written from.

For each lead unit (a unit, or a group, named in a 牵头单位 cell: the units the status
board counts) and each quarter of the year:

- ``items``: the items it leads in the year's tables; ``due``: those with a target due
  in the quarter (a 季度工作目标 of that quarter, or targets without quarter labels) and
  not reported done in an earlier quarter;
- ``on_time`` / ``late`` / ``missing``: of the items due, those reported for the quarter
  by the reporting deadline, after it, or not at all.  A report for a quarter is a status
  record dated after the previous quarter's deadline, up to this one's (the quarter's end
  plus ``report_days``).  An online
  submission is on time when it was sent (the one that counts: returned ones do not) by
  the end of the deadline day, Beijing time; a row of a loaded workbook counts as on
  time, since a workbook says what a unit reported by the report's date, not when it was
  sent (the office collected it);
- ``on_schedule`` (序时推进 or 超进度), ``behind`` (滞后 or 未启动), ``overdue`` and
  ``completed`` (已完成): the items' statuses at the quarter's end, as ``respgraph status``
  gives them;
- ``score``, out of 100 (:class:`ScoreRules`, settings in ``RESPGRAPH_HOME/bulletin.toml``):
  ``reporting × (on_time + late_credit × late) / due + progress × (completed + on_schedule) / items
  − overdue_penalty × overdue``, at least 0, one decimal; a unit with nothing due has full
  marks for reporting.  Units are ranked by score, then name.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path

from respgraph.accounts.model import AccountError
from respgraph.accounts.submissions import latest, quarter_end
from respgraph.graph.model import Model
from respgraph.graph.progress import Status
from respgraph.graph.protocol import GraphStore

__all__ = [
    "ScoreRules",
    "score_rules",
    "ScoreRow",
    "scorecard",
    "BulletinData",
    "bulletin_data",
    "RULES_FILE",
    "report_deadline",
    "scorecards",
    "default_quarter",
]

#: The settings file, in RESPGRAPH_HOME: ``[score]`` with the fields of :class:`ScoreRules`.
RULES_FILE = "bulletin.toml"
BEIJING = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class ScoreRules:
    """The reporting deadline and the score's weights (see the module docstring)."""

    report_days: int = 10  # the quarter's report is due this many days after its end (次月10日)
    reporting: float = 40.0
    progress: float = 60.0
    late_credit: float = 0.5
    overdue_penalty: float = 5.0

    def score(self, r: ScoreRow) -> float:
        """The score of one row.

        >>> row = ScoreRow(name="市甲局", city="湛江市", quarter=2, items=4, due=2, on_time=1, late=1, missing=0,
        ...                on_schedule=1, behind=1, overdue=1, completed=1, score=0, rank=0)
        >>> ScoreRules().score(row)  # 40 × 1.5/2 + 60 × 2/4 − 5
        55.0
        """
        reporting = (r.on_time + self.late_credit * r.late) / r.due if r.due else 1.0
        progress = (r.completed + r.on_schedule) / r.items if r.items else 1.0
        return round(
            max(0.0, self.reporting * reporting + self.progress * progress - self.overdue_penalty * r.overdue), 1
        )


def score_rules(home: Path | None) -> ScoreRules:
    """The rules of ``home``'s ``bulletin.toml`` (``[score]``), the defaults for what it leaves out;
    an unknown key or a value that is no number is an error naming the file."""
    path = Path(home) / RULES_FILE if home else None
    if path is None or not path.exists():
        return ScoreRules()
    try:
        found = tomllib.loads(path.read_text("utf-8")).get("score", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccountError(f"{path}: {exc}") from None
    known = {f.name: f.type for f in fields(ScoreRules)}
    wrong = sorted(set(found) - set(known))
    if wrong:
        raise AccountError(f"{path}: [score] has no setting {', '.join(wrong)} (known: {', '.join(known)})")
    bad = sorted(k for k, v in found.items() if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0)
    if bad:
        raise AccountError(f"{path}: [score] {', '.join(bad)}: give a number, 0 or more")
    values = {k: int(v) if k == "report_days" else float(v) for k, v in found.items()}
    return ScoreRules(**values)  # type: ignore[arg-type]  # each value made its field's type just above


def scorecards(
    store: GraphStore,
    *,
    year: int,
    quarter: int,
    rules: ScoreRules = ScoreRules(),
    city: str | None = None,
    documents: list[str] | None = None,
) -> dict[int, list[ScoreRow]]:
    """The scorecard of every quarter of ``year`` up to ``quarter``: what the workbook holds."""
    return {
        q: scorecard(store, year=year, quarter=q, rules=rules, city=city, documents=documents)
        for q in range(1, quarter + 1)
    }


def default_quarter(store: GraphStore) -> tuple[int, int]:
    """(year, quarter) of the latest progress report: the quarter a bulletin is about unless asked."""
    from respgraph.accounts.submissions import quarter_of
    from respgraph.queries.status import latest_report_date

    when = latest_report_date(store)
    if when is None:
        raise AccountError("no progress report is loaded: give the quarter and the year")
    return when.year, quarter_of(when)


def report_deadline(year: int, quarter: int, rules: ScoreRules) -> dt.date:
    """The last day a quarter's report is on time.

    >>> report_deadline(2023, 2, ScoreRules())
    datetime.date(2023, 7, 10)
    """
    return quarter_end(year, quarter) + dt.timedelta(days=rules.report_days)


class ScoreRow(Model):
    name: str
    city: str
    quarter: int
    items: int
    due: int
    on_time: int
    late: int
    missing: int
    on_schedule: int
    behind: int
    overdue: int
    completed: int
    score: float
    rank: int
    late_items: list[str] = []  # numbers (attachment-number) of the items reported late
    missing_items: list[str] = []


def _due_in(target: dict, quarter: int) -> bool:
    labelled = [m for m in target["milestones"] if m.get("quarters")]
    return not labelled or any(quarter in m["quarters"] for m in labelled)


def _done_before(t: dict, start: dt.date) -> bool:
    """Reported done before the quarter's reports: not due again."""
    return any(r["status"] == Status.DONE.value and r["as_of"] < start for r in t["records"])


def _label(t: dict) -> str:
    return f"{t['attachment']}-{t['number']}"


def scorecard(
    store: GraphStore,
    *,
    year: int,
    quarter: int,
    rules: ScoreRules = ScoreRules(),
    city: str | None = None,
    documents: list[str] | None = None,
) -> list[ScoreRow]:
    """The scorecard of ``quarter`` of ``year``, ranked (see the module docstring)."""
    from respgraph.queries.progress_reports import reports, targets
    from respgraph.queries.status import status_rollup

    docs = [
        d["key"]
        for d in store.documents()
        if int(d["year"]) == year
        and (city is None or d["city"] == city)
        and (documents is None or d["key"] in documents)
    ]
    if not docs:
        raise AccountError(f"no table of {year} is loaded" + (f" for {city}" if city else ""))
    end = quarter_end(year, quarter)
    deadline = report_deadline(year, quarter, rules)
    online = {r["key"] for r in reports(store) if r.get("source") == "online"}
    sent = {s.target: s.submitted for s in latest(store, year=year, quarter=quarter)}
    # A quarter's reports: those dated after the previous quarter's deadline, up to its own.
    start = report_deadline(year, quarter - 1, rules) + dt.timedelta(days=1) if quarter > 1 else dt.date(year, 1, 1)
    due: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # (name, city) -> item -> state
    labels = {}
    for t in targets(store, docs):
        leads = [u["name"] for u in t["units"] if u["role"] == "LEADS"]
        if not leads or not _due_in(t, quarter) or _done_before(t, start):
            continue
        labels[t["item"]] = _label(t)
        state = _reported(t, start, deadline, online, sent)
        for name in leads:
            mine = due[(name, t["city"])]
            mine[t["item"]] = _better(mine.get(t["item"]), state)
    rollup = {(r.name, r.city): r for r in status_rollup(store, by="unit", role="lead", as_of=end, documents=docs)}
    rows = []
    for (name, place), r in rollup.items():
        states = due.get((name, place), {})
        row = ScoreRow(
            name=name,
            city=place,
            quarter=quarter,
            items=r.items,
            due=len(states),
            on_time=sum(s == "on_time" for s in states.values()),
            late=sum(s == "late" for s in states.values()),
            missing=sum(s == "missing" for s in states.values()),
            on_schedule=r.on_track + r.ahead,
            behind=r.behind + r.not_started,
            overdue=r.overdue,
            completed=r.done,
            score=0,
            rank=0,
            late_items=sorted((labels[i] for i, s in states.items() if s == "late"), key=_order),
            missing_items=sorted((labels[i] for i, s in states.items() if s == "missing"), key=_order),
        )
        rows.append(row.model_copy(update={"score": rules.score(row)}))
    rows.sort(key=lambda r: (-r.score, r.city, r.name))
    return [r.model_copy(update={"rank": n}) for n, r in enumerate(rows, 1)]


def _order(label: str) -> tuple:
    attachment, _, number = label.partition("-")
    return (int(attachment), int(number) if number.isdigit() else 10**9, number)


_RANK = {"on_time": 2, "late": 1, "missing": 0}


def _better(old: str | None, new: str) -> str:
    """An item with several parts due counts as its best-reported part."""
    return new if old is None or _RANK[new] > _RANK[old] else old


def _reported(t: dict, start: dt.date, deadline: dt.date, online: set[str], sent: dict) -> str:
    """on_time, late or missing for one target's report of the quarter."""
    found = [r for r in t["records"] if start <= r["as_of"] <= deadline]
    if not found:
        return "missing"
    for r in found:
        # A submission's record may sit in a workbook's report (same table and date): its
        # line 0 tells it from a workbook's row.
        if r["report"] not in online and r.get("line") != 0:
            return "on_time"  # a loaded workbook: the office's own collection
        when = sent.get(t["key"])
        if when is not None and when.astimezone(BEIJING).date() <= deadline:
            return "on_time"
    return "late"


@dataclass
class BulletinData:
    """What a quarter's 督查通报 says: the items at the quarter's end and the one before, the scorecard."""

    year: int
    quarter: int
    as_of: dt.date
    deadline: dt.date
    now: list = field(default_factory=list)  # ItemStatus at the quarter's end
    before: list = field(default_factory=list)  # … at the previous quarter's end (none for the first)
    before_as_of: dt.date | None = None
    scores: list[ScoreRow] = field(default_factory=list)
    rules: ScoreRules = ScoreRules()


def bulletin_data(
    store: GraphStore,
    *,
    year: int,
    quarter: int,
    rules: ScoreRules = ScoreRules(),
    city: str | None = None,
    documents: list[str] | None = None,
) -> BulletinData:
    """The statuses at the end of ``quarter`` and of the one before, and the scorecard."""
    from respgraph.queries.status import item_status

    scores = scorecard(store, year=year, quarter=quarter, rules=rules, city=city, documents=documents)
    docs = [
        d["key"]
        for d in store.documents()
        if int(d["year"]) == year
        and (city is None or d["city"] == city)
        and (documents is None or d["key"] in documents)
    ]
    end = quarter_end(year, quarter)
    now = item_status(store, as_of=end, city=city, documents=docs)
    before = item_status(store, as_of=quarter_end(year, quarter - 1), city=city, documents=docs) if quarter > 1 else []
    return BulletinData(
        year=year,
        quarter=quarter,
        as_of=end,
        deadline=report_deadline(year, quarter, rules),
        now=now,
        before=before,
        before_as_of=quarter_end(year, quarter - 1) if quarter > 1 else None,
        scores=scores,
        rules=rules,
    )
