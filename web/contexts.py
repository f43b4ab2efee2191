"""The typed context of each page: what its template reads, built by its route (Datasette's ``TableContext``).

A route builds one of these and hands it to :func:`respgraph.web.render.page` or
:func:`~respgraph.web.render.respond`; the template gets its fields, and the frame's
(:class:`respgraph.web.render.Frame`: who reads, the form token …).  ``TEMPLATE`` names
the template.  tests/test_page_contexts.py checks that every variable a template reads
(following its includes and the frame it extends) is a field here, the frame's, or one
of the environment's globals.

A field left :data:`UNSET` is not given to the template at all: ``base.html`` tells a page
without an answer (``answer is defined``) or a title of its own (``title|default``) that way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from respgraph.web import library

__all__ = ["UNSET", "PageContext", "CONTEXTS"]


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: A field the template does not get (so that ``is defined`` and ``default`` see it missing).
UNSET: Any = _Unset()


@dataclass(kw_only=True)
class PageContext:
    """What every page may set for the frame: the sample notice, the scope's year links, the title."""

    TEMPLATE: ClassVar[str]
    sample: bool = False
    scope: library.Scope | None = None
    title: str = UNSET
    answer: library.Answer = UNSET


# --- the graph -----------------------------------------------------------------------------------
@dataclass(kw_only=True)
class HomePage(PageContext):
    TEMPLATE = "home.html"
    answer: library.Answer
    cities: dict[str, dict]
    counts: dict | None


@dataclass(kw_only=True)
class SearchPage(PageContext):
    TEMPLATE = "search.html"
    q: str
    hits: list[dict]


@dataclass(kw_only=True)
class UnitPage(PageContext):
    TEMPLATE = "unit.html"
    answer: library.Answer
    city: str
    name: str
    statuses: dict
    by_role: dict[str, list]
    co: list
    leaders: dict[str, list[str]]


@dataclass(kw_only=True)
class LeaderPage(PageContext):
    TEMPLATE = "leader.html"
    answer: library.Answer
    city: str
    name: str
    p: Any  # the portfolio (queries.portfolio.Portfolio)
    soon: dict[int, list]
    statuses: dict
    today: dt.date
    pdf: bool


@dataclass(kw_only=True)
class ItemPage(PageContext):
    TEMPLATE = "item.html"
    answer: library.Answer
    i: Any  # the item whole (queries' ItemDetail)


@dataclass(kw_only=True)
class WorkloadPage(PageContext):
    TEMPLATE = "workload.html"
    answer: library.Answer
    by: str
    kind: str | None
    w: Any  # the workload (queries.workload's result)
    rows: list
    chart: str
    cities: list[str]


@dataclass(kw_only=True)
class CoPage(PageContext):
    TEMPLATE = "co.html"
    answer: library.Answer
    unit: str | None
    min_shared: int
    tab: str = "/co"


@dataclass(kw_only=True)
class CoBrokeragePage(PageContext):
    TEMPLATE = "co_brokerage.html"
    answer: library.Answer
    roles: dict[str, str]
    tab: str = "/co/brokerage"


@dataclass(kw_only=True)
class CoCorePage(PageContext):
    TEMPLATE = "co_core.html"
    answer: library.Answer
    tab: str = "/co/core"


@dataclass(kw_only=True)
class CoTiesPage(PageContext):
    TEMPLATE = "co_ties.html"
    view: str
    picture: str = ""
    problem: str = ""  # what the page needs, in the office's words, when it cannot answer
    tab: str = "/co/ties"


@dataclass(kw_only=True)
class DiffPage(PageContext):
    TEMPLATE = "diff.html"
    answer: library.Answer
    d: Any  # the difference (queries.diff's result)


# --- the board ------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class BoardPage(PageContext):
    TEMPLATE = "board.html"
    answer: library.Answer
    rows: list
    by_unit: list
    by_leader: list
    as_of: dt.date | None
    # The register (web/routers/board.py's board_register): on a page of loaded tables only.
    batches: list = UNSET
    defaults: dict = UNSET
    today: dt.date = UNSET
    issued: Any = UNSET


@dataclass(kw_only=True)
class ScorecardPage(PageContext):
    TEMPLATE = "scorecard.html"
    answer: library.Answer
    rows: list
    year: int
    quarter: int
    rules: Any
    deadline: dt.date


# --- files ----------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class FilesPage(PageContext):
    TEMPLATE = "files.html"
    documents: list[dict]
    limits: Any  # graph.limits.Limits
    done: str | None = None
    error: str | None = None
    form: dict | None = None


@dataclass(kw_only=True)
class CheckPage(PageContext):
    TEMPLATE = "check.html"
    answer: library.Answer
    checked: Any
    form: dict
    filename: str
    content: str  # the upload, base64, carried over to the load


@dataclass(kw_only=True)
class ProgressCheckPage(PageContext):
    TEMPLATE = "progress_check.html"
    answer: library.Answer
    form: dict
    filename: str
    content: str


@dataclass(kw_only=True)
class RemovePage(PageContext):
    TEMPLATE = "remove.html"
    preview: dict


@dataclass(kw_only=True)
class ExportPage(PageContext):
    TEMPLATE = "export.html"
    query: str


@dataclass(kw_only=True)
class ApiPage(PageContext):
    TEMPLATE = "api.html"
    paths: list[tuple[str, str, str]]


# --- messages -------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class ChoicesPage(PageContext):
    TEMPLATE = "choices.html"
    title: str
    message: str
    choices: list[dict]


@dataclass(kw_only=True)
class ErrorPage(PageContext):
    TEMPLATE = "error.html"
    title: str
    message: str


@dataclass(kw_only=True)
class ConfirmPage(PageContext):
    TEMPLATE = "confirm.html"
    title: str
    warning: str
    action: str
    fields: dict[str, str]
    button: str
    back: str


# --- accounts -------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class LoginPage(PageContext):
    TEMPLATE = "login.html"
    next: str
    error: str | None = None


@dataclass(kw_only=True)
class AccountPage(PageContext):
    TEMPLATE = "account.html"
    done: str | None = None
    error: str | None = None


@dataclass(kw_only=True)
class ReportPage(PageContext):
    TEMPLATE = "report.html"
    year: int
    quarter: int
    due: list
    history: dict[str, list]
    words: list[str]
    limit: int
    done: str | None = None
    error: str | None = None


@dataclass(kw_only=True)
class ReviewPage(PageContext):
    TEMPLATE = "review.html"
    year: int
    quarter: int
    who: Any
    latest: Any
    returned: list
    docs: list[dict]
    done: str | None = None


@dataclass(kw_only=True)
class UsersPage(PageContext):
    TEMPLATE = "users.html"
    users: list
    roles: list[str]
    done: str | None = None
    error: str | None = None


@dataclass(kw_only=True)
class AuditPage(PageContext):
    TEMPLATE = "audit.html"
    entries: list
    total: int


#: template → its context: every page template has one.
CONTEXTS: dict[str, type[PageContext]] = {
    c.TEMPLATE: c
    for c in (
        HomePage,
        SearchPage,
        UnitPage,
        LeaderPage,
        ItemPage,
        WorkloadPage,
        CoPage,
        CoBrokeragePage,
        CoCorePage,
        CoTiesPage,
        DiffPage,
        BoardPage,
        ScorecardPage,
        FilesPage,
        CheckPage,
        ProgressCheckPage,
        RemovePage,
        ExportPage,
        ApiPage,
        ChoicesPage,
        ErrorPage,
        ConfirmPage,
        LoginPage,
        AccountPage,
        ReportPage,
        ReviewPage,
        UsersPage,
        AuditPage,
    )
}
