"""One session under both faces: this store, these settings, this alias list, this user.

The command line opens one per command (``respgraph …``), the web application one per
server process (``respgraph serve``); both ask it for the store to answer from, the
store to write to, the alias list, a name as asked, the scope of a question and the
quarter a page is about, so that no face keeps its own copy of those rules.

>>> import tempfile
>>> from respgraph.graph.settings import load_settings
>>> session = Session(load_settings(home=tempfile.mkdtemp(), store="embedded"))
>>> session.showing_sample(), session.name("湛江市:市发展改革委")
(True, '湛江市:市发展改革局')
>>> len(session.query_store().documents())  # nothing loaded: the bundled sample answers
2
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from respgraph.answers.one_request import OneRequest
from respgraph.answers.scope import Scope, scope_of
from respgraph.graph.errors import RespgraphError
from respgraph.graph.generation_cache import GenerationCache
from respgraph.graph.settings import Settings

if TYPE_CHECKING:
    from respgraph.graph.sqlite_store import SqliteStore

__all__ = ["Session", "page_quarter"]

#: What an empty Neo4j database says, on either face.
_EMPTY_NEO4J = (
    "the Neo4j database holds no documents yet: run `respgraph --store neo4j load` or upload a table on the 文件 page"
)


class Session:
    """The store, the alias list and the user one face answers for.

    ``read_only``: no write is served (``serve --read-only``); ``per_request``: every
    answer reads the documents once, through a :class:`OneRequest` over what this
    generation of the store says (the server: a write by any program shows on the next
    page); ``notice``: told what a person should know (the command line prints it);
    ``one_shot``: one command's questions on one thread (the command line): on Neo4j at a
    ``bolt://`` address they go over one connection of the standard library's, without the
    driver's import (:mod:`respgraph.graph.neo4j_question`).

    The store is opened once per thread (SQLite connections are not shared across
    threads) or once (Neo4j's driver is); nothing else is kept between answers but what
    one generation of the store says (:class:`GenerationCache`) and the alias list, read
    again when its file changes.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        read_only: bool = False,
        per_request: bool = False,
        notice: Callable[[str], None] | None = None,
        user=None,
        one_shot: bool = False,
    ):
        self.settings = settings
        self.one_shot = one_shot
        self.read_only = read_only
        self.per_request = per_request
        self.notice = notice
        self.user = user
        self._local = threading.local()
        self._shared = None
        self._sample: SqliteStore | None = None
        self._lock = threading.Lock()
        self._aliases: tuple | None = None
        self.cache = GenerationCache()  # what one generation of the store says, for every answer

    def as_user(self, user) -> Session:
        """This session for ``user`` (the same store and caches): who a write is recorded as."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.user = user
        return other

    # --- opening ------------------------------------------------------------------------
    @property
    def engine(self) -> str:
        return "neo4j" if self.settings.store == "neo4j" else "sqlite"

    def store(self):
        """The store to read from, as saved (no sample, no view)."""
        from respgraph.graph.open_store import open_store

        if self.engine == "neo4j":
            with self._lock:
                if self._shared is None:
                    self._shared = open_store(self.settings, write=False, one_shot=self.one_shot)
                return self._shared
        store = getattr(self._local, "store", None)
        if store is None or (not getattr(self._local, "file", False) and self.settings.graph_file.exists()):
            # Opened before the file existed (an empty store in memory): open the file now.
            if store is not None:
                store.close()
            store = open_store(self.settings, write=False, notice=self.notice)
            self._local.store = store
            self._local.file = self.settings.graph_file.exists()
        return store

    def query_store(self, *, counts: bool = False, city: str | None = None):
        """The store to answer from: as one reader sees it (``city``: a reader of that city alone;
        ``counts``: a request's view lists the documents with their number of items, which only
        pages that show them ask for), or the bundled sample when nothing is loaded in the
        embedded store."""
        store = self.store()
        if self.per_request:
            store = OneRequest(store, counts=counts, cache=self.cache)
        if store.documents():
            if city is None:
                return store
            return store.of_city(city) if isinstance(store, OneRequest) else OneRequest(store).of_city(city)
        if self.engine == "neo4j":
            raise RespgraphError(_EMPTY_NEO4J)
        if self.notice:
            from respgraph.graph.i18n import gettext

            self.notice(
                gettext("(nothing loaded yet: answering from the bundled sample; `respgraph load FILE` loads your own)")
            )
        aliases = self.aliases()  # before the lock: the alias list takes it too
        with self._lock:
            if self._sample is None:
                from respgraph.ingest import sample_store

                self._sample = sample_store(aliases)
        return self._sample

    def showing_sample(self) -> bool:
        """Whether answers come from the bundled sample (nothing is loaded in the embedded store)."""
        return self.engine != "neo4j" and not self.store().documents()

    @contextmanager
    def writable(self) -> Iterator:
        """A store to write to, opened for this write and closed after it (the embedded file is
        created when missing); each document goes in one transaction of its own, so two writes
        at once queue (SQLite's write lock, Neo4j's transactions)."""
        if self.read_only:
            raise RespgraphError("this server is read-only")
        from respgraph.graph.open_store import open_store

        store = open_store(self.settings, write=True, notice=self.notice)
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        """Close this thread's store and the shared one (the embedded store checkpoints its log)."""
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None
            self._local.file = False
        if self._shared is not None:
            self._shared.close()
            self._shared = None

    # --- names --------------------------------------------------------------------------
    def aliases(self):
        """The shipped alias list and the user's, read again only when the user's file changes
        (the list is a file beside the store, not in it: a write to the store leaves it as it is)."""
        path = self.settings.aliases_file
        try:
            found = path.stat()
            stamp = (found.st_mtime_ns, found.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if self._aliases is not None and self._aliases[0] == stamp:
                return self._aliases[1]
        from respgraph.loaders.items.names import default_aliases

        aliases = default_aliases(path)
        with self._lock:
            self._aliases = (stamp, aliases)
        return aliases

    def name(self, raw: str, *, city: str | None = None) -> str:
        """A name as asked, through the alias list: ``city:name`` keeps its city; ``city``, given
        apart from the name, chooses that city's own spellings too."""
        from respgraph.queries.lookup import asked_name

        return asked_name(self.aliases(), raw, city=city)

    # --- what a question is about ---------------------------------------------------------
    def scope(
        self,
        store,
        *,
        city: str | None = None,
        year: int | None = None,
        doc: list[str] | None = None,
        latest: bool = True,
    ) -> Scope:
        """The documents a question asks for (:func:`respgraph.answers.scope.scope_of`)."""
        return scope_of(store, city=city, year=year, doc=doc, latest=latest)

    def quarter(self, store, scope: Scope, quarter: int | None = None) -> tuple[int, int]:
        """(year, quarter) a scorecard or bulletin is about (:func:`page_quarter`)."""
        return page_quarter(store, scope.year, quarter)


def page_quarter(store, year: int | None, quarter: int | None) -> tuple[int, int]:
    """(year, quarter) a scorecard or bulletin is about: the one asked, else the quarter of the
    latest progress report (in ``year`` when one is asked); refused when none is loaded and
    nothing is asked.

    >>> from respgraph.ingest import sample_store
    >>> page_quarter(sample_store(), 2023, 2)
    (2023, 2)
    """
    if quarter is not None and year is not None:
        return year, quarter
    from respgraph.accounts.scorecard import default_quarter

    latest_year, latest = default_quarter(store)
    return year or latest_year, quarter or latest
