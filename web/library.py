"""The web application's one door into the library: every answer a page shows, as the CLI gives it.

Each function here answers one question and returns an :class:`Answer`: ``data`` is
exactly what the CLI prints for the same question with ``--format json``, ``flat``
the rows of its table and CSV, and ``extra`` what only a page draws (a picture,
the units a unit works with most).  Routes in :mod:`respgraph.web.app` hold no query
logic: they call these.

The answers come from :mod:`respgraph.answers` and the writes from
:mod:`respgraph.ingest`, the very functions the CLI calls, so a page's JSON twin is
the CLI's ``--format json`` by construction (tests/test_web.py still holds them
equal).  This module adds only what a page draws beside them.
"""

from __future__ import annotations

from respgraph.graph.i18n import gettext

import datetime as dt
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from respgraph.graph.errors import RespgraphError
from respgraph.graph.generation_cache import GenerationCache
from respgraph.web.request_store import OneRequest

__all__ = ["Answer", "Backend", "Scope", "OneRequest"]


@dataclass
class Answer:
    data: Any
    flat: list[dict] | None = None
    footer: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """What ``?city=``, ``?year=`` and ``?doc=`` narrow a question to.

    ``documents`` are the document keys the CLI's ``--doc`` would be given (None: every
    document); ``years`` the years of the city asked about, for the links to the others.
    """

    city: str | None = None
    year: int | None = None
    documents: list[str] | None = None
    years: tuple[int, ...] = ()
    defaulted: bool = False  # the latest year was chosen because none was asked for

    @property
    def docs(self) -> list[str] | None:
        return list(self.documents) if self.documents else None


class Backend:
    """The store the server answers from, opened once per thread (SQLite) or once (Neo4j).

    It keeps nothing of its own between requests but connections and what one
    generation of the store says (its documents, :class:`GenerationCache`): every write,
    by any program, bumps the generation, so several servers can share one store and a
    command beside the server shows on the next page.
    """

    def __init__(self, settings, *, read_only: bool = False):
        self.settings = settings
        self.read_only = read_only
        self._local = threading.local()
        self._shared = None
        self._sample = None
        self._lock = threading.Lock()
        self._aliases = None
        self._cache = GenerationCache()  # what one generation of the store says, for every request

    # --- opening ------------------------------------------------------------------------
    @property
    def engine(self) -> str:
        return "neo4j" if self.settings.store == "neo4j" else "sqlite"

    def store(self):
        """The store to read from."""
        if self.engine == "neo4j":
            with self._lock:
                if self._shared is None:
                    from respgraph.graph.open_store import open_store

                    self._shared = open_store(self.settings, write=False)
                return self._shared
        store = getattr(self._local, "store", None)
        if store is None or (store.path is not None and store.db is not None and not getattr(self._local, "file", False)
                             and self.settings.graph_file.exists()):
            # Opened before the file existed (an empty store in memory): open the file now.
            from respgraph.graph.open_store import open_store

            store = open_store(self.settings, write=False)
            self._local.store = store
            self._local.file = self.settings.graph_file.exists()
        return store

    def query_store(self, *, counts: bool = False, city: str | None = None):
        """The store to answer one request from (its documents read once, see :class:`OneRequest`;
        ``counts``: with the number of items of each; ``city``: as a reader of that city alone
        sees it); the bundled sample when nothing is loaded (as the CLI does)."""
        store = OneRequest(self.store(), counts=counts, cache=self._cache)
        if store.documents():
            return store.of_city(city) if city is not None else store
        if self.engine == "neo4j":
            raise RespgraphError("the Neo4j database holds no documents yet: run `respgraph --store neo4j load` "
                                 "or upload a table on the 文件 page")
        with self._lock:
            if self._sample is None:
                from respgraph.ingest import sample_store

                self._sample = sample_store(self.aliases())
        return self._sample

    def showing_sample(self) -> bool:
        return self.engine != "neo4j" and not self.store().documents()

    @contextmanager
    def writable(self):
        """A store to write to; each document goes in one transaction of its own, so two
        uploads at once queue (SQLite's write lock, Neo4j's transactions)."""
        if self.read_only:
            raise RespgraphError("this server is read-only")
        if self.engine == "neo4j":
            from respgraph.graph.neo4j_store import Neo4jStore

            store = Neo4jStore.connect(self.settings.neo4j, schema=True)
        else:
            from respgraph.graph.open_store import open_store

            store = open_store(self.settings, write=True)
        try:
            yield store
        finally:
            store.close()

    def aliases(self):
        """The shipped alias list and the user's, read again when the user's file changes."""
        path = self.settings.aliases_file
        stamp = path.stat().st_mtime if path.exists() else None
        if self._aliases is None or self._aliases[0] != stamp:
            from respgraph.loaders.items.names import default_aliases

            self._aliases = (stamp, default_aliases(path))
        return self._aliases[1]

    def name(self, raw: str) -> str:
        """A name as asked, through the alias list (as the CLI's): ``city:name`` keeps its city."""
        from respgraph.queries.lookup import asked_name

        return asked_name(self.aliases(), raw)

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
            self._shared = None


def _of(found, **extra) -> Answer:
    """A page's answer from the library's (:class:`respgraph.answers.Answer`): the same rows and JSON
    the CLI prints, and what only the page draws in ``extra``."""
    return Answer(data=found.data, flat=found.rows, footer=found.footer, extra={"head": found.head, **extra})


# --- scope ------------------------------------------------------------------------------
def scope_of(store, *, city: str | None = None, year: int | None = None, doc: list[str] | None = None,
             latest: bool = True) -> Scope:
    """The documents ``?city=``, ``?year=`` and ``?doc=`` ask for.

    Without a year or a document, a city with several years loaded is shown at its
    latest year (``latest``), the others one link away.
    """
    from respgraph.graph.text import clean_name
    from respgraph.queries.lookup import scope

    city = clean_name(city) if city else None
    keys = scope(store, city=city, documents=doc or None)  # unknown city or document: an error, as in the CLI
    if year is None and not doc and not (latest and city):
        years = tuple(sorted({d["year"] for d in store.documents(city=city)})) if city else ()
        return Scope(city=city, documents=keys, years=years)
    loaded = store.documents(city=city) if city else store.documents()
    years = tuple(sorted({d["year"] for d in loaded}))
    defaulted = False
    if year is None and not doc:
        if len(years) <= 1:
            return Scope(city=city, documents=keys, years=years)
        year, defaulted = years[-1], True
    if year is not None:
        of_year = [d["key"] for d in loaded if d["year"] == year and (keys is None or d["key"] in keys)]
        if not of_year:
            where = f" of {city}" if city else ""
            raise RespgraphError(f"no document{where} of {year} is loaded; years loaded: "
                                 + ("、".join(map(str, years)) or "none"))
        keys = of_year
    return Scope(city=city, year=year, documents=keys, years=years, defaulted=defaulted)


# --- what is loaded ---------------------------------------------------------------------
def info(store) -> Answer:
    from respgraph.answers.listings import info as answer

    return _of(answer(store))


def documents(store, *, city: str | None = None) -> Answer:
    from respgraph.answers.listings import documents as answer

    return _of(answer(store, city=city))


def reference_date(store) -> dt.date:
    """The day "soon" counts from: the latest progress report's date, else today (as ``status`` does)."""
    from respgraph.queries.status import latest_report_date

    return latest_report_date(store) or dt.date.today()


def latest_counts(store, *, city: str | None = None) -> dict | None:
    """The red/yellow/blue counts of the latest progress report (its year's tables, of ``city`` when
    given), or None when none is loaded."""
    from respgraph.queries.status import latest_item_status, latest_report_date

    when = latest_report_date(store)
    if when is None:
        return None
    rows = latest_item_status(store, city=city)
    return {"as_of": when.isoformat(), **{w: sum(r.warning == w for r in rows) for w in ("red", "orange", "yellow", "blue")},
            "overdue": sum(r.overdue for r in rows), "items": len(rows)}


# --- one entity ---------------------------------------------------------------------------
def unit(backend: Backend, store, name: str, scope: Scope, *, keep=None) -> Answer:
    """The unit page: ``respgraph items --unit NAME`` (its JSON), the units it works with most;
    ``keep`` (item keys, for a unit reading another unit's page): only those items."""
    from respgraph.answers.entities import items

    name = backend.name(name)
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
    return Answer(data={**answer.data, "history": history}, flat=answer.flat, footer=answer.footer,
                  extra={**answer.extra, "item": whole})


def unit_extra(store, name: str, rows, scope: Scope) -> dict:
    """What only the unit page shows: the units it works with most, and the leaders of its items."""
    from respgraph.queries.co import co_responsibility

    return {"co": co_responsibility(store, name, city=scope.city, documents=scope.docs)[:10],
            "leaders": leaders_of(store, [r.id for r in rows])}


def leaders_of(store, items: list[str]) -> dict[str, list[str]]:
    """Item id → the leaders overseeing it or one of its sub-items."""
    out: dict[str, set] = {}
    if items:
        for o in store.oversight(items=items):
            out.setdefault(o["item"], set()).add(o["name"])
    return {k: sorted(v) for k, v in out.items()}


def unit_picture(store, name: str, rows, scope: Scope) -> str:
    # CLI: items --html (_draw_unit)
    return _unit_page(store, name, rows, scope).html


def unit_picture_png(store, name: str, rows, scope: Scope) -> bytes:
    """The unit's picture as it opens, as a PNG (``items --png``): what its page prints."""
    from respgraph.viz.picture import picture_bytes

    return picture_bytes(_unit_page(store, name, rows, scope), "png")


def _unit_page(store, name: str, rows, scope: Scope):
    from respgraph.queries.overview import unit_kinds
    from respgraph.queries.portfolio import units_of_items
    from respgraph.queries.status import picture_statuses
    from respgraph.viz.network_pages import unit_page

    others = units_of_items(store, [r.id for r in rows])
    return unit_page(name, rows, sources=_sources(store, scope), others=others, kinds=unit_kinds(store),
                     statuses=picture_statuses(store))


def leader(store, name: str, scope: Scope) -> Answer:
    """The leader page: ``respgraph portfolio LEADER`` (its JSON)."""
    from respgraph.answers.entities import portfolio

    found = portfolio(store, name, city=scope.city, documents=scope.docs)
    return _of(found, portfolio=found.result)


def leader_picture(store, p, scope: Scope, group_by: str = "lead") -> str:
    # CLI: portfolio --html
    return _leader_page(store, p, scope, group_by).html


def leader_picture_png(store, p, scope: Scope, group_by: str = "lead") -> bytes:
    """The portfolio picture as it opens, as a PNG (``portfolio --png``): what the leader page prints."""
    from respgraph.viz.picture import picture_bytes

    return picture_bytes(_leader_page(store, p, scope, group_by), "png")


def _leader_page(store, p, scope: Scope, group_by: str):
    from respgraph.queries.overview import unit_kinds
    from respgraph.queries.status import picture_statuses
    from respgraph.viz.network_pages import portfolio_page

    return portfolio_page(p, sources=_sources(store, scope), kinds=unit_kinds(store), group_by=group_by,
                          statuses=picture_statuses(store))


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


def due_soon(items, today: dt.date, *, done: frozenset[str] = frozenset()) -> dict[int, list]:
    """The items due within 30 and 90 days of ``today``, those reported done left out (as the brief counts them)."""
    from respgraph.answers.brief import due_soon as due

    return due(items, today, done=done)


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
def workload(store, scope: Scope, *, by: str = "unit", kind: str | None = None,
             weights: dict | None = None) -> Answer:
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


def lorenz_points(w) -> list[tuple[float, float]]:
    """The Lorenz curve of a workload's scores: (share of units, share of the score), from 0 to 1.

    The page draws it as a small SVG of its own: matplotlib (the report's chart) takes
    a second a picture, past what a page may take."""
    from respgraph.queries.balance import lorenz

    return lorenz([r.score for r in w.rows])


def co(backend: Backend, store, scope: Scope, *, unit: str | None = None, min_shared: int = 1,
       top: int | None = None) -> Answer:
    """The collaboration page: ``respgraph co [UNIT]`` (its JSON)."""
    from respgraph.answers.entities import co as answer

    return _of(answer(store, backend.name(unit) if unit else None, min_shared=min_shared, city=scope.city,
                      documents=scope.docs).top(top))


def co_picture(store, scope: Scope, *, min_shared: int = 1) -> str:
    # CLI: co --html
    from respgraph.queries.co import co_pairs
    from respgraph.queries.overview import unit_kinds
    from respgraph.viz.network_pages import co_page

    pairs = co_pairs(store, min_shared=min_shared, city=scope.city, documents=scope.docs)
    return co_page(pairs, kinds=unit_kinds(store, documents=scope.docs), sources=_sources(store, scope),
                   min_shared=min_shared).html


def board(store, scope: Scope, *, as_of: dt.date | None = None, warnings: tuple[str, ...] = ()) -> Answer:
    """The status board: ``respgraph status`` (its JSON), and the counts by unit and by leader."""
    from respgraph.answers.supervision import status, status_scope
    from respgraph.queries.status import latest_report_date, status_rollup

    found = status(store, as_of=as_of, city=scope.city, documents=scope.docs, warnings=warnings)
    # The counts judge the same tables as the list: those of the date's year.
    docs = status_scope(store, as_of, city=scope.city, documents=scope.docs).documents
    by_unit = status_rollup(store, by="unit", role="lead", as_of=as_of, city=scope.city, documents=docs)
    by_leader = status_rollup(store, by="leader", as_of=as_of, city=scope.city, documents=docs)
    return _of(found, rows=found.result, by_unit=by_unit, by_leader=by_leader,
               as_of=as_of or latest_report_date(store))


def notices(store, scope: Scope, out: Path, *, as_of: dt.date | None = None) -> list[Path]:
    """The notices of the scope as drafts, their numbers left blank (a GET never issues a
    number): the files written, the summary workbook last."""
    from respgraph.accounts.register import default_prefix
    from respgraph.answers.supervision import notice_items
    from respgraph.viz.issued import draft_number
    from respgraph.viz.notices import notice_plan, write_notices

    rows, rollup, when, _ = notice_items(store, as_of=as_of, city=scope.city, documents=scope.docs)
    plan = notice_plan(rows)
    return write_notices(rows, rollup, as_of=when, out=out, plan=plan,
                         numbers=[draft_number(default_prefix(dt.date.today()))] * len(plan))


def issue_notices(store, user, scope: Scope, out: Path, *, prefix: str | None, date: dt.date | None,
                  reply_by: dt.date | None, contact: str, office: str, address: str):
    """``respgraph notices --out OUT`` for the scope: one batch of the register, written; the batch."""
    from respgraph.accounts.register import issue
    from respgraph.answers.supervision import notice_items
    from respgraph.viz.issued import write_batch
    from respgraph.viz.notices import notice_plan

    rows, rollup, when, _ = notice_items(store, city=scope.city, documents=scope.docs)
    batch = issue(store, user, notice_plan(rows), prefix=prefix or None, date=date, as_of=when, reply_by=reply_by,
                  contact=contact, office=office, city=scope.city, documents=scope.docs, address=address)
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
    rows, rollup, when, _ = notice_items(store, as_of=batch.as_of, city=batch.city, documents=batch.documents,
                                         rules=batch.rules())
    return batch, write_batch(rows, rollup, batch, as_of=when, out=out)


def _quarter(store, scope: Scope, quarter: int | None) -> tuple[int, int]:
    from respgraph.accounts.scorecard import default_quarter

    if quarter is not None and scope.year is not None:
        return scope.year, quarter
    year, latest = default_quarter(store)
    return scope.year or year, quarter or latest


def scorecard(backend: Backend, store, scope: Scope, *, quarter: int | None = None) -> Answer:
    """``respgraph bulletin --scores`` (its JSON): the quarter's scorecard by lead unit, ranked."""
    from respgraph.accounts.scorecard import report_deadline, score_rules
    from respgraph.accounts.scorecard import scorecard as scores
    from respgraph.viz.bulletin import score_table

    year, quarter = _quarter(store, scope, quarter)
    rules = score_rules(backend.settings.home)
    found = scores(store, year=year, quarter=quarter, rules=rules, city=scope.city, documents=scope.docs)
    flat, data = score_table(found)
    return Answer(data=data, flat=flat, footer=f"{year} Q{quarter}: {len(flat)} lead units",
                  extra={"rows": found, "year": year, "quarter": quarter, "rules": rules,
                         "deadline": report_deadline(year, quarter, rules)})


def bulletin_files(backend: Backend, store, scope: Scope, out: Path, *, quarter: int | None = None, batch=None,
                   number: str | None = None, date: dt.date | None = None, office: str | None = None) -> list[Path]:
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
    return write_bulletin(data, scorecards(store, year=year, quarter=quarter, rules=rules, city=city, documents=docs),
                          number=number, date=date, office=office or None, city=city, out=out)


def issue_bulletin(backend: Backend, store, user, scope: Scope, *, quarter: int | None, prefix: str | None,
                   date: dt.date | None, office: str, address: str):
    """``respgraph bulletin``'s number: one batch of the register for the quarter's bulletin; the batch."""
    from respgraph.accounts.register import BULLETIN, bulletin_prefix, issue
    from respgraph.accounts.scorecard import bulletin_data, score_rules
    from respgraph.accounts.submissions import quarter_end

    year, quarter = _quarter(store, scope, quarter)
    # Asked first, so that a quarter with no table refuses before a number is taken.
    bulletin_data(store, year=year, quarter=quarter, rules=score_rules(backend.settings.home), city=scope.city,
                  documents=scope.docs)
    return issue(store, user, [(BULLETIN, "督查通报", [])], prefix=prefix or bulletin_prefix(date or dt.date.today()),
                 date=date, as_of=quarter_end(year, quarter), office=office, city=scope.city, documents=scope.docs,
                 address=address)


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


def check(backend: Backend, path: Path, *, city=None, year=None, mapping=None, lead_first=True,
          level=None) -> Answer:
    """``respgraph check FILE`` (its JSON), and what the upload page shows of it."""
    from respgraph.ingest import check_file

    found = check_file(path, aliases=backend.aliases(), city=city, year=year, mapping=mapping,
                       lead_first=lead_first, level=level, corrections=lambda: backend.store().corrections())
    tables = found.tables
    checked = Checked(
        described=found.reading,
        city=found.place if found.place != "not named" else "",
        city_from=tables[0].found.get("city", ""),
        years=[{"attachment": t.document.attachment, "year": t.document.year if t.found.get("year") else None,
                "from": t.found.get("year", ""), "title": t.document.title, "items": len(t.items)} for t in tables],
        needs=found.needs,
        notes=found.notes,
        summary="; ".join(f"附件{t.document.attachment} {t.document.title}: {len(t.items)} items" for t in tables),
    )
    return Answer(data=found.notes, flat=found.rows(), extra={"checked": checked})


def load(backend: Backend, path: Path, *, city=None, year=None, mapping=None, lead_first=True,
         level=None) -> list[str]:
    """Load one uploaded file as ``respgraph load`` does; the lines it prints."""
    from respgraph.ingest import read_files, write_tables

    tables = read_files([path], aliases=backend.aliases(), city=city, year=year, mapping=mapping,
                        lead_first=lead_first, level=level)
    with backend.writable() as store:
        return [done.said() for done in write_tables(store, tables)]


def removal_preview(store, selectors: list[str]) -> dict:
    """What removing ``selectors`` takes away: the documents, their items, the progress reports on them."""
    from respgraph.queries.lookup import find_document
    from respgraph.queries.progress_reports import reports

    loaded = store.documents()
    keys = list(dict.fromkeys(find_document(loaded, d) for d in selectors))
    docs = [d for d in loaded if d["key"] in keys]
    return {"documents": docs, "items": sum(d.get("items", 0) for d in docs),
            "reports": [r["key"] for r in reports(store) if r["document"] in keys]}


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

    return match_progress(store, path, vocabulary=_vocabulary(backend), as_of=as_of, document=doc, city=city,
                          year=year, name=path.name)


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
        document = next((d for d in store.documents() if d["key"] == r.document), {})
        tables.append({"title": r.title or "", "document": r.document, "rows": r.rows, "statuses": counts,
                       "document_title": gettext("attachment {attachment} ({title})").format(
                           attachment=document.get("attachment", ""), title=document.get("title", r.document)),
                       "inferred": sum(rec.inferred for rec in m.progress.records)})
    return Answer(data=notes, flat=notes, extra={"format": match.report.format, "as_of": match.report.as_of,
                                                  "date_from": match.report.date_from, "tables": tables})


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
def names(store) -> list[tuple[str, str, str]]:
    """(label, city, name) of every unit, group and leader."""
    out = [("Unit", c, n) for c, n in store.names(("Unit", "UnitGroup"))]
    return out + [("Leader", c, n) for c, n in store.names(("Leader",))]


def _sources(store, scope: Scope) -> list[dict]:
    # CLI: _sources
    keys = scope.documents
    return [d for d in store.documents() if keys is None or d["key"] in keys]


# --- search -------------------------------------------------------------------------------
_INDEX: dict = {}
_INDEX_LOCK = threading.Lock()
#: One thread builds the index while the others wait for it: sixteen requests arriving after
#: an upload each built their own (seconds each on a province), and all waited on all.
_BUILDING = threading.Lock()


def _search_index(store) -> dict:
    """Names and item titles to search, built once per state of the loaded documents.

    Not state of the application: a cache of the store, checked against the
    documents' keys and load times on every call, so an upload through another
    server shows here at once.
    """
    stamp = (store.engine, getattr(store, "path", None),
             tuple((d["key"], d.get("loaded_at", "")) for d in store.documents()))
    with _INDEX_LOCK:
        found = _INDEX.get(store.engine)
        if found and found["stamp"] == stamp:
            return found
    with _BUILDING:
        with _INDEX_LOCK:
            found = _INDEX.get(store.engine)
            if found and found["stamp"] == stamp:
                return found  # built by the thread this one waited for
        return _build_index(store, stamp)


def _build_index(store, stamp) -> dict:
    entries = []
    for label, city, name in names(store):
        entries.append({"kind": "unit" if label == "Unit" else "leader", "city": city, "name": name})
    items = [{"kind": "item", "city": i.get("city", ""), "document": i["document"], "number": i["number"],
              "attachment": i["attachment"], "title": i["title"]} for i in store.items()]
    by_number: dict[str, list[dict]] = {}
    for i in items:
        by_number.setdefault(i["number"], []).append(i)
    aliases = {}
    for u in store.nodes(("Unit",)):
        for a in u.get("aliases") or ():
            aliases.setdefault(a, []).append((u.get("city", ""), u["name"]))
    index = {"stamp": stamp, "names": entries, "items": items, "by_number": by_number, "aliases": aliases}
    with _INDEX_LOCK:
        _INDEX[store.engine] = index
    return index


def search(backend: Backend, store, q: str, *, limit: int = 12, keep=None) -> list[dict]:
    """Units, leaders and items by name, alias, number (``53`` or ``1-53``) or a fragment of a title;
    ``keep`` (a hit → bool) drops what the reader may not see before the ``limit`` is counted."""
    from respgraph.graph.text import clean_name

    q = q.strip()
    if not q:
        return []
    index = _search_index(store.whole() if isinstance(store, OneRequest) else store)
    wanted = clean_name(q)
    canonical = backend.aliases().resolve(wanted)
    hits: list[tuple[int, dict]] = []
    for e in index["names"]:
        name = e["name"]
        if name == wanted or name == canonical:
            hits.append((0, e))
        elif wanted and wanted in name:
            hits.append((1 + len(name) - len(wanted), e))
    for (city, name) in index["aliases"].get(wanted, ()):
        hits.append((0, {"kind": "unit", "city": city, "name": name, "alias": wanted}))
    number = q.replace("附件", "").strip()
    attachment, _, num = number.partition("-") if "-" in number else ("", "", number)
    if num.isdigit():
        hits += [(2, i) for i in index["by_number"].get(num, ())
                 if not attachment or str(i["attachment"]) == attachment]
    if len(q) >= 2:
        hits += [(50, i) for i in index["items"] if q in i["title"]]
    hits.sort(key=lambda h: (h[0], h[1].get("city", ""), h[1].get("name") or h[1].get("document", ""),
                             h[1].get("number", "")))
    out, seen = [], set()
    for _, h in hits:
        key = (h["kind"], h.get("city"), h.get("name") or h.get("document"), h.get("number"))
        if key not in seen and (keep is None or keep(h)):
            seen.add(key)
            out.append(h)
        if len(out) >= limit:
            break
    return out


def csv_bytes(rows: list[dict]) -> bytes:
    """Rows as the CLI's ``--format csv --lang LANG`` writes them, in the reader's language (a
    download is opened by a person: its headers are words, its values the data as they are)."""
    from respgraph.graph.labels import column_label
    from respgraph.viz.formats import csv_bytes as write

    return write([{column_label(k): v for k, v in row.items()} for row in rows])


def unit_statuses(store, name: str, scope: Scope) -> dict[str, dict]:
    """Item id → its status row at the latest report, for the items of one unit; empty with no report."""
    return _statuses(store, scope, unit=name)


def leader_statuses(store, name: str, scope: Scope) -> dict[str, dict]:
    """Item id → its status row at the latest report, for the items one leader oversees."""
    return _statuses(store, scope, leader=name)


def _statuses(store, scope: Scope, **who) -> dict[str, dict]:
    from respgraph.queries.status import latest_item_status

    return {r.id: r for r in latest_item_status(store, city=scope.city, documents=scope.docs, **who)}


def resolve_all(store, name: str, label: str) -> list[dict]:
    """Every node a bare name may mean, in every city the store shows (for a page listing them)."""
    from respgraph.queries.lookup import resolve

    labels = ("Unit", "UnitGroup") if label == "Unit" else ("Leader",)
    return resolve(store, name, labels, city=getattr(store, "city", None))
