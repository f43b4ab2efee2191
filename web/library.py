"""The web application's one door into the library: every answer a page shows, as the CLI gives it.

Each function here answers one question and returns an :class:`Answer`: ``data`` is
exactly what the CLI prints for the same question with ``--format json``, ``flat``
the rows of its table and CSV, and ``extra`` what only a page draws (a picture,
the units a unit works with most).  Routes in :mod:`respgraph.web.app` hold no query
logic: they call these.

The answers come from :mod:`respgraph.answers` and the writes from
:mod:`respgraph.ingest`, the very functions the CLI calls, so a page's JSON twin is
the CLI's ``--format json`` by construction (tests/test_web.py still holds them
equal).  What a page shows beside an answer (counts per city, a unit's items by role, due
in 30/90 days, statuses, search, pictures, the scope and the quarter) is the library's
too (:mod:`respgraph.answers.pages`, ``search``, ``pictures``, ``scope``, ``session``),
re-exported here under the names the routes call; the server's :class:`Backend` is the
session both faces open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from respgraph.answers import pictures
from respgraph.answers.one_request import OneRequest
from respgraph.answers.pages import (
    by_role,
    cities,
    due_soon,
    latest_counts,
    leader_statuses,
    leaders_of,
    lorenz_points,
    reference_date,
    removal_preview,
    resolve_all,
    unit_extra,
    unit_statuses,
)
from respgraph.answers.scope import Scope, scope_of
from respgraph.answers.search import names
from respgraph.answers.session import Session, page_quarter
from respgraph.graph.errors import RespgraphError
from respgraph.graph.i18n import gettext

__all__ = [
    "Answer",
    "Backend",
    "Scope",
    "OneRequest",
    "scope_of",
    "by_role",
    "cities",
    "due_soon",
    "latest_counts",
    "leader_statuses",
    "leaders_of",
    "lorenz_points",
    "reference_date",
    "removal_preview",
    "resolve_all",
    "unit_extra",
    "unit_statuses",
    "names",
]


@dataclass
class Answer:
    data: Any
    flat: list[dict] | None = None
    footer: str = ""
    extra: dict = field(default_factory=dict)


class Backend(Session):
    """The server's session (:class:`respgraph.answers.session.Session`): every request reads the
    documents once, through what this generation of the store says."""

    def __init__(self, settings, *, read_only: bool = False):
        super().__init__(settings, read_only=read_only, per_request=True)


def _of(found, **extra) -> Answer:
    """A page's answer from the library's (:class:`respgraph.answers.Answer`): the same rows and JSON
    the CLI prints, and what only the page draws in ``extra``."""
    return Answer(data=found.data, flat=found.rows, footer=found.footer, extra={"head": found.head, **extra})


# --- what is loaded ---------------------------------------------------------------------
def info(store) -> Answer:
    from respgraph.answers.listings import info as answer

    return _of(answer(store))


def documents(store, *, city: str | None = None) -> Answer:
    from respgraph.answers.listings import documents as answer

    return _of(answer(store, city=city))


# --- one entity ---------------------------------------------------------------------------
def unit(backend: Backend, store, name: str, scope: Scope, *, keep=None) -> Answer:
    """The unit page: ``respgraph items --unit NAME`` (its JSON), the units it works with most;
    ``keep`` (item keys, for a unit reading another unit's page): only those items."""
    from respgraph.answers.entities import items

    name = backend.name(name, city=scope.city)
    found = items(store, name, city=scope.city, documents=scope.docs)
    if keep is not None:
        shown = [n for n, r in enumerate(found.result) if r.id in keep]
        total = len(found.result)
        found.data, found.rows = [found.data[n] for n in shown], [found.rows[n] for n in shown]
        found.result = [found.result[n] for n in shown]
        found.footer = f"{len(shown)} of its {total} items: those you may see"
    return _of(found, rows=found.result, name=name)


def without_progress_text(answer: Answer) -> Answer:
    """An item's answer without the units' own words in its progress history (status and date stay)."""
    history = [{**h, "progress": ""} for h in answer.data.get("history", [])]
    whole = answer.extra["item"]
    whole = whole.model_copy(update={"history": [h.model_copy(update={"progress": ""}) for h in whole.history]})
    return Answer(
        data={**answer.data, "history": history},
        flat=answer.flat,
        footer=answer.footer,
        extra={**answer.extra, "item": whole},
    )


def unit_picture(store, name: str, rows, scope: Scope) -> str:
    """The unit's picture (``items --unit NAME --html``)."""
    return pictures.unit_picture(store, name, rows, scope.documents).html


def unit_picture_png(store, name: str, rows, scope: Scope) -> bytes:
    """The unit's picture as it opens, as a PNG (``items --png``): what its page prints."""
    from respgraph.viz.picture import picture_bytes

    return picture_bytes(pictures.unit_picture(store, name, rows, scope.documents), "png")


def leader(store, name: str, scope: Scope) -> Answer:
    """The leader page: ``respgraph portfolio LEADER`` (its JSON)."""
    from respgraph.answers.entities import portfolio

    found = portfolio(store, name, city=scope.city, documents=scope.docs)
    return _of(found, portfolio=found.result)


def leader_picture(store, p, scope: Scope, group_by: str = "lead") -> str:
    """The portfolio picture (``portfolio LEADER --html``)."""
    return pictures.portfolio_picture(store, p, scope.documents, group_by=group_by).html


def leader_picture_png(store, p, scope: Scope, group_by: str = "lead") -> bytes:
    """The portfolio picture as it opens, as a PNG (``portfolio --png``): what the leader page prints."""
    from respgraph.viz.picture import picture_bytes

    return picture_bytes(pictures.portfolio_picture(store, p, scope.documents, group_by=group_by), "png")


def leader_brief(store, name: str, scope: Scope, fmt: str, *, group_by: str = "lead"):
    """``(brief, bytes)``: the leader's meeting brief (``docx``, ``pdf``) or its table (``xlsx``,
    ``csv``), as ``respgraph portfolio LEADER --brief --out FILE`` writes them."""
    from respgraph.answers.brief import leader_brief as brief_of
    from respgraph.viz.brief import brief_bytes

    brief = brief_of(store, name, city=scope.city, documents=scope.docs)
    data = brief_bytes(brief, "docx" if fmt == "pdf" else fmt, group_by=group_by)
    if fmt == "pdf":
        from respgraph.loaders.formats.office_convert import to_pdf

        data = to_pdf(f"{brief.leader}.docx", data)
    return brief, data


def can_print_pdf() -> bool:
    """Whether LibreOffice is here to print a brief as PDF (the page offers the PDF only then)."""
    from respgraph.loaders.formats.office_convert import soffice

    return soffice() is not None


def item(store, document: str, number: str) -> Answer:
    """The item page: ``respgraph item DOC NUMBER`` (its JSON)."""
    from respgraph.answers.entities import item as answer

    found = answer(store, document, number)
    return Answer(data=found.data, flat=found.rows, extra={"item": found.result})


# --- whole-graph questions ----------------------------------------------------------------
def workload(store, scope: Scope, *, by: str = "unit", kind: str | None = None, weights: dict | None = None) -> Answer:
    """The workload page: ``respgraph workload`` (its JSON); ``kind`` keeps units of one kind."""
    from respgraph.answers.aggregates import workload as answer

    found = answer(store, by=by, weights=weights, city=scope.city, documents=scope.docs)
    w = found.result
    rows = [r for r in w.rows if kind is None or r.kind == kind]
    if kind is not None:
        keep = {(r.city, r.name) for r in rows}
        found.data = [d for d in found.data if (d.get("city", ""), d["name"]) in keep]
        found.rows = [f for f, d in zip(found.rows, found.data) if (d.get("city", ""), d["name"]) in keep]
    return _of(found, workload=w, rows=rows)


def co(
    backend: Backend, store, scope: Scope, *, unit: str | None = None, min_shared: int = 1, top: int | None = None
) -> Answer:
    """The collaboration page: ``respgraph co [UNIT]`` (its JSON)."""
    from respgraph.answers.entities import co as answer

    return _of(
        answer(
            store,
            backend.name(unit, city=scope.city) if unit else None,
            min_shared=min_shared,
            city=scope.city,
            documents=scope.docs,
        ).top(top)
    )


def co_picture(store, scope: Scope, *, min_shared: int = 1) -> str:
    """The co-responsibility network (``co --html``)."""
    return pictures.co_picture(
        store, min_shared=min_shared, city=scope.city, documents=scope.documents, shown=scope.docs
    ).html


def board(store, scope: Scope, *, as_of: dt.date | None = None, warnings: tuple[str, ...] = ()) -> Answer:
    """The status board: ``respgraph status`` (its JSON), and the counts by unit and by leader."""
    from respgraph.answers.supervision import status, status_scope
    from respgraph.queries.status import latest_report_date, status_rollup

    found = status(store, as_of=as_of, city=scope.city, documents=scope.docs, warnings=warnings)
    # The counts judge the same tables as the list: those of the date's year.
    docs = status_scope(store, as_of, city=scope.city, documents=scope.docs).documents
    by_unit = status_rollup(store, by="unit", role="lead", as_of=as_of, city=scope.city, documents=docs)
    by_leader = status_rollup(store, by="leader", as_of=as_of, city=scope.city, documents=docs)
    return _of(found, rows=found.result, by_unit=by_unit, by_leader=by_leader, as_of=as_of or latest_report_date(store))


def notices(store, scope: Scope, out: Path, *, as_of: dt.date | None = None) -> list[Path]:
    """The notices of the scope as drafts, their numbers left blank (a GET never issues a
    number): the files written, the summary workbook last."""
    from respgraph.accounts.register import default_prefix
    from respgraph.answers.supervision import notice_items
    from respgraph.viz.issued import draft_number
    from respgraph.viz.notices import notice_plan, write_notices

    rows, rollup, when, _ = notice_items(store, as_of=as_of, city=scope.city, documents=scope.docs)
    plan = notice_plan(rows)
    return write_notices(
        rows,
        rollup,
        as_of=when,
        out=out,
        plan=plan,
        numbers=[draft_number(default_prefix(dt.date.today()))] * len(plan),
    )


def issue_notices(
    store,
    user,
    scope: Scope,
    out: Path,
    *,
    prefix: str | None,
    date: dt.date | None,
    reply_by: dt.date | None,
    contact: str,
    office: str,
    address: str,
):
    """``respgraph notices --out OUT`` for the scope: one batch of the register, written; the batch."""
    from respgraph.accounts.register import issue
    from respgraph.answers.supervision import notice_items
    from respgraph.viz.issued import write_batch
    from respgraph.viz.notices import notice_plan

    rows, rollup, when, _ = notice_items(store, city=scope.city, documents=scope.docs)
    batch = issue(
        store,
        user,
        notice_plan(rows),
        prefix=prefix or None,
        date=date,
        as_of=when,
        reply_by=reply_by,
        contact=contact,
        office=office,
        city=scope.city,
        documents=scope.docs,
        address=address,
    )
    write_batch(rows, rollup, batch, as_of=when, out=out)
    return batch


def issued_notices(store, key: str, out: Path, *, may_see=lambda batch: True):
    """``respgraph notices --batch KEY --out OUT``: an issued batch written again, its own numbers;
    (the batch, the files written)."""
    from respgraph.accounts.register import batch as find_batch
    from respgraph.answers.supervision import notice_items
    from respgraph.viz.issued import write_batch

    batch = find_batch(store, key)
    if not may_see(batch):
        raise RespgraphError(f"no batch of notices {key!r} was issued")  # as for one that does not exist
    rows, rollup, when, _ = notice_items(
        store, as_of=batch.as_of, city=batch.city, documents=batch.documents, rules=batch.rules()
    )
    return batch, write_batch(rows, rollup, batch, as_of=when, out=out)


def _quarter(store, scope: Scope, quarter: int | None) -> tuple[int, int]:
    return page_quarter(store, scope.year, quarter)


def scorecard(backend: Backend, store, scope: Scope, *, quarter: int | None = None) -> Answer:
    """``respgraph bulletin --scores`` (its JSON): the quarter's scorecard by lead unit, ranked."""
    from respgraph.accounts.scorecard import report_deadline, score_rules
    from respgraph.accounts.scorecard import scorecard as scores
    from respgraph.viz.bulletin import score_table

    year, quarter = _quarter(store, scope, quarter)
    rules = score_rules(backend.settings.home)
    found = scores(store, year=year, quarter=quarter, rules=rules, city=scope.city, documents=scope.docs)
    flat, data = score_table(found)
    return Answer(
        data=data,
        flat=flat,
        footer=f"{year} Q{quarter}: {len(flat)} lead units",
        extra={
            "rows": found,
            "year": year,
            "quarter": quarter,
            "rules": rules,
            "deadline": report_deadline(year, quarter, rules),
        },
    )


def bulletin_files(
    backend: Backend,
    store,
    scope: Scope,
    out: Path,
    *,
    quarter: int | None = None,
    batch=None,
    number: str | None = None,
    date: dt.date | None = None,
    office: str | None = None,
) -> list[Path]:
    """``respgraph bulletin --out OUT``'s files for an issued ``batch`` (its number, date, office and
    scope), or a draft with the number left blank."""
    from respgraph.accounts.register import bulletin_prefix
    from respgraph.accounts.scorecard import bulletin_data, score_rules, scorecards
    from respgraph.viz.bulletin import write_bulletin

    if batch is not None:
        year, quarter = batch.as_of.year, (batch.as_of.month - 1) // 3 + 1
        city, docs, number, date, office = batch.city, batch.documents, batch.numbers()[0], batch.date, batch.office
    else:
        year, quarter = _quarter(store, scope, quarter)
        city, docs, date = scope.city, scope.docs, date or dt.date.today()
        number = f"{number or bulletin_prefix(date)}\u3000\u3000号"
    rules = score_rules(backend.settings.home)
    data = bulletin_data(store, year=year, quarter=quarter, rules=rules, city=city, documents=docs)
    return write_bulletin(
        data,
        scorecards(store, year=year, quarter=quarter, rules=rules, city=city, documents=docs),
        number=number,
        date=date,
        office=office or None,
        city=city,
        out=out,
    )


def issue_bulletin(
    backend: Backend,
    store,
    user,
    scope: Scope,
    *,
    quarter: int | None,
    prefix: str | None,
    date: dt.date | None,
    office: str,
    address: str,
):
    """``respgraph bulletin``'s number: one batch of the register for the quarter's bulletin; the batch."""
    from respgraph.accounts.register import BULLETIN, bulletin_prefix, issue
    from respgraph.accounts.scorecard import bulletin_data, score_rules
    from respgraph.accounts.submissions import quarter_end

    year, quarter = _quarter(store, scope, quarter)
    # Asked first, so that a quarter with no table refuses before a number is taken.
    bulletin_data(
        store,
        year=year,
        quarter=quarter,
        rules=score_rules(backend.settings.home),
        city=scope.city,
        documents=scope.docs,
    )
    return issue(
        store,
        user,
        [(BULLETIN, "督查通报", [])],
        prefix=prefix or bulletin_prefix(date or dt.date.today()),
        date=date,
        as_of=quarter_end(year, quarter),
        office=office,
        city=scope.city,
        documents=scope.docs,
        address=address,
    )


def notice_register(store, login: str) -> tuple[list, dict]:
    """The batches issued, newest first, and what ``login`` gave last time (the form's defaults)."""
    from respgraph.accounts.register import batches, remembered

    return batches(store), remembered(store, login)


def diff(store, a: str, b: str, *, threshold: float = 0.6, show_all: bool = False, same_body=None) -> Answer:
    """``respgraph diff A B`` (its JSON); ``same_body`` is the alias list's, as the CLI passes it."""
    from respgraph.answers.changes import diff as answer

    found = answer(store, a, b, threshold=threshold, show_all=show_all, same_body=same_body)
    d, rows = found.result
    return _of(found, diff=d, rows=rows)


def export_bytes(backend: Backend, store, scope: Scope, fmt: str, out: Path) -> list[Path]:
    """``respgraph export`` of the scope into ``out``: the files written."""
    from respgraph.queries.export_data import answer_tables, co_graph, full_graph
    from respgraph.viz.export_files import write_export

    docs = scope.documents
    if fmt == "xlsx":
        from respgraph.ingest import report_tables

        tables = report_tables(store, [], docs, aliases=backend.aliases())
        return write_export(fmt, out, sheets=answer_tables(store, documents=docs, tables=tables))
    return write_export(fmt, out, graph=full_graph(store, documents=docs), co=co_graph(store, documents=docs))


# --- writes --------------------------------------------------------------------------------
@dataclass
class Checked:
    """What ``respgraph check FILE`` says of an upload."""

    described: str
    city: str
    city_from: str
    years: list[dict]
    needs: list[str]
    notes: list[dict]
    summary: str


def check(backend: Backend, path: Path, *, city=None, year=None, mapping=None, lead_first=True, level=None) -> Answer:
    """``respgraph check FILE`` (its JSON), and what the upload page shows of it."""
    from respgraph.ingest import check_file

    found = check_file(
        path,
        aliases=backend.aliases(),
        city=city,
        year=year,
        mapping=mapping,
        lead_first=lead_first,
        level=level,
        corrections=lambda: backend.store().corrections(),
    )
    tables = found.tables
    checked = Checked(
        described=found.reading,
        city=found.place if found.place != "not named" else "",
        city_from=tables[0].found.get("city", ""),
        years=[
            {
                "attachment": t.document.attachment,
                "year": t.document.year if t.found.get("year") else None,
                "from": t.found.get("year", ""),
                "title": t.document.title,
                "items": len(t.items),
            }
            for t in tables
        ],
        needs=found.needs,
        notes=found.notes,
        summary="; ".join(f"附件{t.document.attachment} {t.document.title}: {len(t.items)} items" for t in tables),
    )
    return Answer(data=found.notes, flat=found.rows(), extra={"checked": checked})


def load(backend: Backend, path: Path, *, city=None, year=None, mapping=None, lead_first=True, level=None) -> list[str]:
    """Load one uploaded file as ``respgraph load`` does; the lines it prints."""
    from respgraph.ingest import read_files, write_tables

    tables = read_files(
        [path], aliases=backend.aliases(), city=city, year=year, mapping=mapping, lead_first=lead_first, level=level
    )
    with backend.writable() as store:
        return [done.said() for done in write_tables(store, tables)]


def remove(backend: Backend, selectors: list[str]) -> str:
    """``respgraph remove DOC...``; the line it prints."""
    from respgraph.ingest import remove_documents

    with backend.writable() as store:
        return remove_documents(store, selectors).line()


def _vocabulary(backend: Backend):
    from respgraph.loaders.progress.words import default_vocabulary

    return default_vocabulary(backend.settings.home / "status_words.toml")


def _match(backend: Backend, store, path: Path, *, as_of=None, doc=None, city=None, year=None):
    from respgraph.ingest import match_progress

    return match_progress(
        store, path, vocabulary=_vocabulary(backend), as_of=as_of, document=doc, city=city, year=year, name=path.name
    )


def progress_check(backend: Backend, store, path: Path, **options) -> Answer:
    """``respgraph progress check FILE`` (its JSON), and each table's match for the page."""
    match = _match(backend, store, path, **options)
    notes = match.notes()
    tables = []
    for m in match.matched:
        r = m.progress.report
        counts: dict[str, int] = {}
        for rec in m.progress.records:
            counts[rec.status.value] = counts.get(rec.status.value, 0) + 1
        document: dict = next((d for d in store.documents() if d["key"] == r.document), {})
        tables.append(
            {
                "title": r.title or "",
                "document": r.document,
                "rows": r.rows,
                "statuses": counts,
                "document_title": gettext("attachment {attachment} ({title})").format(
                    attachment=document.get("attachment", ""), title=document.get("title", r.document)
                ),
                "inferred": sum(rec.inferred for rec in m.progress.records),
            }
        )
    return Answer(
        data=notes,
        flat=notes,
        extra={
            "format": match.report.format,
            "as_of": match.report.as_of,
            "date_from": match.report.date_from,
            "tables": tables,
        },
    )


def progress_load(backend: Backend, path: Path, **options) -> list[str]:
    """``respgraph progress load FILE``; the lines it prints."""
    from respgraph.ingest import load_progress

    with backend.writable() as store:
        loaded = load_progress(store, [path], vocabulary=_vocabulary(backend), name=path.name, **_renamed(options))
        documents = store.documents()
    return [line for match in loaded for line in match.said(documents)]


def _renamed(options: dict) -> dict:
    """The page's ``doc`` option is the library's ``document``."""
    return {("document" if k == "doc" else k): v for k, v in options.items()}


# --- search -----------------------------------------------------------------------------
def search(backend: Backend, store, q: str, *, limit: int = 12, keep=None) -> list[dict]:
    """:func:`respgraph.answers.search.search` through the session's alias list and generation cache."""
    from respgraph.answers.search import search as answer

    return answer(store, q, aliases=backend.aliases(), cache=backend.cache, limit=limit, keep=keep)


def csv_bytes(rows: list[dict]) -> bytes:
    """Rows as the CLI's ``--format csv --lang LANG`` writes them, in the reader's language (a
    download is opened by a person: its headers are words, its values the data as they are)."""
    from respgraph.graph.labels import column_label
    from respgraph.viz.formats import csv_bytes as write

    return write([{column_label(k): v for k, v in row.items()} for row in rows])
