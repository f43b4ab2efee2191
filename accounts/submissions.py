"""Progress reported online: what a unit must report, its submissions, the office's review, and the workbook.

A submission is kept as sent, with its author and time; a later one on the same
item and quarter is a new row, never an overwrite, and the latest one not returned
counts.  That one is also the item's status record in the progress report of its
table at the quarter's end (``progress:2023-06-30/…``, the key a workbook of that
date loads under), so the status board, the 三色 lists, the notices and ``respgraph
status`` read it exactly as a row of a loaded workbook.  Returned, it stops
counting: the previous submission not returned counts again, or none.

Loading a workbook for the same table and date replaces that report, online rows
included, as loading a report again always does; submissions made after it count
on top of it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from respgraph.accounts.model import ONLINE_SOURCE, AccountError, NotAllowed, Role, Submission, User
from respgraph.accounts.rights import require
from respgraph.accounts.storage import account_storage
from respgraph.accounts.users import clean_text, now_utc, record
from respgraph.graph.progress import ProgressReport, StatusRecord, report_key
from respgraph.graph.protocol import GraphStore
from respgraph.graph.text import clean_name

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "quarter_end",
    "quarter_of",
    "due_targets",
    "allow_implementers",
    "implementers_may_report",
    "submit",
    "return_submission",
    "submissions",
    "latest",
    "who_reported",
    "export_workbook",
    "MAX_TEXT",
]

#: Characters of the "done" and "obstacles" texts: a page of Chinese, as a workbook cell holds.
MAX_TEXT = 4000
MAX_COMMENT = 1000
#: The header a status word is read under, online and in the exported workbook alike.
STATUS_HEADER = "状态"


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a quarter: the date a quarter's report is as of.

    >>> quarter_end(2023, 2), quarter_end(2023, 4)
    (datetime.date(2023, 6, 30), datetime.date(2023, 12, 31))
    """
    if quarter not in (1, 2, 3, 4):
        raise AccountError(f"quarter {quarter}: 1, 2, 3 or 4")
    month = 3 * quarter
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(day: dt.date) -> int:
    """The quarter a day is in.

    >>> quarter_of(dt.date(2023, 6, 30)), quarter_of(dt.date(2023, 7, 1))
    (2, 3)
    """
    return (day.month - 1) // 3 + 1


def quarter_asked(
    store: GraphStore,
    year: int | None = None,
    quarter: int | None = None,
    *,
    documents: list[str] | None = None,
    today: dt.date | None = None,
) -> tuple[int, int]:
    """The quarter a question about reporting is about, for the CLI and the web alike:
    the one asked, else today's quarter of this year when its tables are loaded, else the
    latest year with tables up to this one (its last quarter), else the first year loaded.
    With ``documents`` (keys), the years are theirs: a question about one table is about its year.

    >>> from respgraph.ingest import sample_store
    >>> quarter_asked(sample_store(), today=dt.date(2023, 8, 1)), quarter_asked(sample_store(), today=dt.date(2026, 12, 8))
    ((2023, 3), (2023, 4))
    >>> quarter_asked(sample_store(), 2023, 2, today=dt.date(2026, 12, 8))
    (2023, 2)
    """
    today = today or dt.date.today()
    years = sorted(
        {d["year"] for d in store.documents() if d.get("year") and (documents is None or d["key"] in documents)}
    )
    if year is None:
        earlier = [y for y in years if y <= today.year]
        year = today.year if today.year in years or not years else max(earlier) if earlier else years[0]
    if quarter is None:
        quarter = quarter_of(today) if year == today.year else 4
    return year, quarter


def who_reported_rows(rows: list[dict]) -> list[dict]:
    """The flat rows (CSV, the terminal's table) of :func:`who_reported`'s answer."""
    return [
        {
            "unit": r["name"],
            "due": r["due"],
            "reported": r["reported"],
            "missing": [m["number"] for m in r["missing"]],
            "accounts": r["accounts"],
        }
        for r in rows
    ]


def _targets(store: GraphStore, documents=None) -> list[dict]:
    from respgraph.queries.progress_reports import targets

    return targets(store, documents)


def _unit_names(store: GraphStore, unit: str) -> set[str]:
    """The unit's own key and the groups it belongs to: what it is named on items through."""
    return {unit, *(m["group"] for m in store.memberships(units=[unit]))}


def implementers_may_report(store: GraphStore, document: str) -> bool:
    """Whether the office lets the implementing units of ``document`` report (lead units always may)."""
    return account_storage(store).setting(f"implementers:{document}") == "yes"


def _reporting_roles(store: GraphStore, document: str) -> set[str]:
    return {"LEADS", "IMPLEMENTS"} if implementers_may_report(store, document) else {"LEADS"}


def allow_implementers(store: GraphStore, user: User, document: str, allow: bool, *, address: str = "") -> None:
    """Let the implementing units of ``document`` report on the items they implement too (or not)."""
    require(user, "review")
    if store.document(document) is None:
        raise AccountError(f"no table {document!r} is loaded")
    entry = record(
        store, user.login, "table.implementers", document, "may report" if allow else "may not report", address
    )
    account_storage(store).set_setting(f"implementers:{document}", "yes" if allow else "no", entry)


def _in_quarter(target: dict, quarter: int) -> list[dict]:
    """The target's milestones due in ``quarter``; every milestone when none has a quarter label."""
    labelled = [m for m in target["milestones"] if m.get("quarters")]
    if not labelled:
        return list(target["milestones"])
    return [m for m in labelled if quarter in m["quarters"]]


def due_targets(store: GraphStore, user: User, *, year: int, quarter: int) -> list[dict]:
    """The items and sub-items ``user``'s unit reports on for ``quarter`` of ``year``.

    One dict per target: ``key``, ``item``, ``document``, ``number``, ``part``, ``title``,
    ``role`` (LEADS, or IMPLEMENTS where the office allows it for the table), ``targets``
    (the quarter's target texts) and ``latest`` (the submission that counts, or None).
    A target with milestones but none in the quarter is not due.
    """
    if user.role != Role.UNIT or not user.bound:
        raise NotAllowed(f"{user.login} reports for no unit")
    quarter_end(year, quarter)
    mine = _unit_names(store, user.bound)
    roles = store.roles(sources=sorted(mine))
    docs = sorted({r["document"] for r in roles})
    docs = [d["key"] for d in store.documents() if d["key"] in docs and d.get("year") == year]
    if not docs:
        return []
    allowed = {d: _reporting_roles(store, d) for d in docs}
    mine_on: dict[str, set[str]] = defaultdict(set)
    for r in roles:
        mine_on[r["target"]].add(r["type"])
    current = _current(store, year=year, quarter=quarter)
    out = []
    for t in _targets(store, docs):
        role = next(
            (e for e in ("LEADS", "IMPLEMENTS") if e in allowed[t["document"]] and e in mine_on[t["key"]]), None
        )
        if role is None:
            continue
        due = _in_quarter(t, quarter)
        if t["milestones"] and not due:
            continue
        out.append(
            {
                "key": t["key"],
                "item": t["item"],
                "document": t["document"],
                "number": t["number"],
                "part": t["part"],
                "title": t["title"],
                "role": role,
                "targets": [f"{m.get('period') or ''}：{m['text']}".lstrip("：") for m in due],
                "latest": current.get(t["key"]),
            }
        )
    return sorted(out, key=_order)


def _current(store: GraphStore, *, year: int, quarter: int, document: str | None = None) -> dict[str, Submission]:
    """target -> the submission that counts (latest not returned)."""
    out: dict[str, Submission] = {}
    for s in account_storage(store).submissions(year=year, quarter=quarter, document=document):
        if s.returned is None:
            out[s.target] = s  # oldest first: the last one wins
    return out


def latest(store: GraphStore, *, year: int, quarter: int, document: str | None = None) -> list[Submission]:
    """The submissions that count for a quarter, one per target."""
    return sorted(
        _current(store, year=year, quarter=quarter, document=document).values(), key=lambda s: (s.document, s.target)
    )


def submissions(
    store: GraphStore,
    *,
    year: int | None = None,
    quarter: int | None = None,
    document: str | None = None,
    target: str | None = None,
) -> list[Submission]:
    """Every submission asked for, returned ones too, oldest first: the history."""
    return account_storage(store).submissions(year=year, quarter=quarter, document=document, target=target)


def _report(store: GraphStore, document: str, year: int, quarter: int) -> dict:
    doc = store.document(document)
    if doc is None:
        raise AccountError(f"no table {document!r} is loaded")
    as_of = quarter_end(year, quarter)
    return ProgressReport(
        key=report_key(document, as_of),
        document=document,
        city=doc.get("city", ""),
        as_of=as_of,
        title=f"{year}年第{quarter}季度网上报送",
        source=ONLINE_SOURCE,
        rows=0,
    ).model_dump(mode="json")


def submit(
    store: GraphStore,
    user: User,
    *,
    target: str,
    year: int,
    quarter: int,
    status_word: str,
    done: str,
    obstacles: str = "",
    vocabulary,
    address: str = "",
    now: dt.datetime | None = None,
) -> Submission:
    """Keep ``user``'s report on ``target`` (an item or sub-item key) for ``quarter`` of ``year``.

    The target must be one :func:`due_targets` gives the user for that quarter; the
    status word one of ``vocabulary``'s (the words ``progress load`` reads), decided
    exactly as in a workbook's 状态 column.
    """
    from respgraph.loaders.progress.status import decide

    require(user, "submit")
    word = clean_name(status_word or "")
    if word not in vocabulary.status:
        main = ", ".join(w for w in ("已完成", "超进度", "序时推进", "滞后", "未启动") if w in vocabulary.status)
        raise AccountError(
            f"status {status_word!r} is no status word the progress reader knows: use one of "
            f"{main} (`respgraph progress words` lists them all)"
        )
    done = clean_text(done, limit=MAX_TEXT, what="what was done", lines=True)
    obstacles = clean_text(obstacles, limit=MAX_TEXT, what="what is in the way", lines=True)
    due = {t["key"]: t for t in due_targets(store, user, year=year, quarter=quarter)}
    if target not in due:
        from respgraph.graph.i18n import gettext
        from respgraph.graph.notes import what

        # The item by its number (and part), never its key: a page shows this refusal.
        number, _, part = target.rsplit("/", 1)[-1].partition(".")
        raise NotAllowed(
            gettext("{unit} does not report on {what} for {year} Q{quarter}").format(
                unit=user.display,
                what=what(number, int(part) if part.isdigit() else None, None),
                year=year,
                quarter=quarter,
            )
        )
    found = next(t for t in _targets(store, [due[target]["document"]]) if t["key"] == target)
    now = now or now_utc()
    as_of = quarter_end(year, quarter)
    decision = decide(
        status_text=word,
        progress=done,
        milestones=found["milestones"],
        as_of=as_of,
        year=year,
        vocabulary=vocabulary,
        status_header=STATUS_HEADER,
    )
    report = _report(store, found["document"], year, quarter)
    sub = Submission(
        key=f"submission:{now.strftime('%Y%m%dT%H%M%S%f')}/{uuid.uuid4().hex[:12]}",
        author=user.login,
        unit=user.bound,
        target=target,
        item=found["item"],
        document=found["document"],
        year=year,
        quarter=quarter,
        status_word=word,
        status=decision.status.value,
        done=done,
        obstacles=obstacles,
        submitted=now,
    )
    status_record = StatusRecord(
        key=f"status:{as_of.isoformat()}/{target}",
        report=report["key"],
        target=target,
        item=found["item"],
        as_of=as_of,
        status=decision.status,
        why=decision.why,
        inferred=decision.inferred,
        status_text=word,
        progress=done,
        problems=obstacles,
        next_steps="",
        line=0,
    )
    from respgraph.graph.i18n import gettext
    from respgraph.graph.notes import what

    number, _, part = target.rsplit("/", 1)[-1].partition(".")
    entry = record(
        store,
        user.login,
        "submission.add",
        sub.key,
        gettext("{what}, {year} Q{quarter}: {word}").format(
            what=what(number, int(part) if part.isdigit() else None, None), year=year, quarter=quarter, word=word
        ),
        address,
        now,
    )
    account_storage(store).add_submission(sub, status_record.model_dump(mode="json"), report, entry)
    return sub


def return_submission(store: GraphStore, user: User, key: str, comment: str, *, address: str = "") -> Submission:
    """The office sends a submission back with a comment: it stops counting (the one before it counts again)."""
    require(user, "review")
    comment = clean_text(comment, limit=MAX_COMMENT, what="the comment", lines=True)
    if not comment:
        raise AccountError("say why the submission goes back (a comment)")
    storage = account_storage(store)
    found = storage.submissions(key=key)
    if not found:
        raise AccountError(f"no submission {key!r}")
    sub = found[0]
    now = now_utc()
    entry = record(store, user.login, "submission.return", key, comment, address, now)
    return storage.return_submission(
        key,
        {"returned": now.isoformat(), "returned_by": user.login, "return_comment": comment},
        _report(store, sub.document, sub.year, sub.quarter),
        entry,
    )


def who_reported(store: GraphStore, *, year: int, quarter: int, documents: list[str] | None = None) -> list[dict]:
    """Per lead unit: the targets due from it in ``quarter`` of ``year``, which are reported, which not.

    One dict per unit, those with something missing first: ``unit`` (key), ``name``,
    ``city``, ``due``, ``reported``, ``missing`` (target keys with their number and
    title), ``returned`` (targets whose latest submission was returned and none since),
    ``accounts`` (logins bound to the unit: none means it cannot report online).
    """
    docs = [
        d["key"] for d in store.documents() if d.get("year") == year and (documents is None or d["key"] in documents)
    ]
    if not docs:
        return []
    current = _current(store, year=year, quarter=quarter)
    returned = {
        s.target for s in account_storage(store).submissions(year=year, quarter=quarter) if s.returned is not None
    } - set(current)
    members: dict[str, list[str]] = defaultdict(list)
    for m in store.memberships():
        members[m["group"]].append(m["unit"])
    units = {n["key"]: n for n in store.nodes(["Unit"])}
    accounts: dict[str, list[str]] = defaultdict(list)
    for u in account_storage(store).users():
        if u.role == Role.UNIT and u.bound and u.active:
            accounts[u.bound].append(u.login)
    leads: dict[str, set[str]] = defaultdict(set)  # target -> its lead units and groups, in one read
    for r in store.roles(documents=docs):
        if r["type"] == "LEADS":
            leads[r["target"]].add(r["source"])
    per_unit: dict[str, list[dict]] = defaultdict(list)
    for t in _targets(store, docs):
        if t["milestones"] and not _in_quarter(t, quarter):
            continue
        for source in leads[t["key"]]:
            for unit in [source] if source in units else members.get(source, []):
                per_unit[unit].append(t)
    out = []
    for unit, ts in per_unit.items():
        ts = sorted(ts, key=_order)
        missing = [t for t in ts if t["key"] not in current]
        out.append(
            {
                "unit": unit,
                "name": units[unit]["name"],
                "city": units[unit].get("city", ""),
                "due": len(ts),
                "reported": len(ts) - len(missing),
                # Attachment and number, as the board writes them (1-75, 2-7): two tables number from 1.
                "missing": [
                    {"key": t["key"], "number": f"{t['attachment']}-{_number(t)}", "title": t["title"]} for t in missing
                ],
                "returned": sorted(t["key"] for t in ts if t["key"] in returned),
                "accounts": sorted(accounts.get(unit, [])),
            }
        )
    return sorted(out, key=lambda r: (-(r["due"] - r["reported"]), r["city"], r["name"]))


def _order(t: dict) -> tuple:
    """Tables, then items by number (2 before 10), then parts."""
    number = str(t["number"])
    return (t["document"], int(number) if number.isdigit() else 10**9, number, t.get("part") or 0)


def _number(t: dict) -> str:
    return f"{t['number']}-{t['part']}" if t["label"] == "SubItem" else str(t["number"])


def export_workbook(store: GraphStore, *, document: str, year: int, quarter: int, path: Path) -> int:
    """Write the quarter's submissions that count on ``document`` as a progress workbook
    ``respgraph progress load`` reads back to the same status records; the rows written."""
    import openpyxl

    doc = store.document(document)
    if doc is None:
        raise AccountError(f"no table {document!r} is loaded")
    as_of = quarter_end(year, quarter)
    current = _current(store, year=year, quarter=quarter, document=document)
    book = openpyxl.Workbook()
    sheet: Worksheet = book.active  # type: ignore[assignment]  # a new workbook's one sheet is a Worksheet
    sheet.title = f"{year}Q{quarter}"
    sheet.append([f"{doc.get('title', document)}进展情况（截至{as_of.year}年{as_of.month}月{as_of.day}日）"])
    sheet.append(["序号", "事项", "牵头单位", STATUS_HEADER, "进展情况", "存在问题"])
    rows = 0
    for t in sorted(_targets(store, [document]), key=_order):
        sub = current.get(t["key"])
        if sub is None:
            continue
        lead = "、".join(u["name"] for u in t["units"] if u["role"] == "LEADS")
        # Text cells: a number such as 12 must not become 12.0, nor 79-3 a date.
        sheet.append([_number(t), t["title"], lead, sub.status_word, sub.done, sub.obstacles])
        for cell in sheet[sheet.max_row]:
            # Every cell text, as typed: openpyxl would store "=…" as a formula (a unit's text run
            # as one in the office's Excel), and a number format keeps 12 from becoming 12.0.
            cell.data_type = "s"
            cell.number_format = "@"
        rows += 1
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return rows
