"""The store as one request (or one command) sees it: its documents read once, and for a leader its own city alone."""

from __future__ import annotations

from respgraph.graph.generation_cache import GenerationCache

__all__ = ["OneRequest"]


class OneRequest:
    """A store as one request sees it: the list of documents read once.

    Every answer asks for the documents several times (the scope, the years, whether
    several cities are loaded); on a province the list, with each document's item
    count, takes 20 ms to read.  With ``cache`` (the server's), the list is read once
    per generation of the store: a write by any program, this server or another, or a
    command beside it, makes the next request read it again.
    """

    def __init__(self, store, *, counts: bool = False, cache: GenerationCache | None = None):
        self._store = store
        self._counts = counts
        self._cache = cache
        self._documents: list[dict] | None = None
        self.city: str | None = None  # set by of_city: the one jurisdiction this reader sees

    def _all_documents(self) -> list[dict]:
        if self._documents is None:
            if self._cache is None:
                self._documents = self._read_documents()
            else:
                self._documents = self._cache.get(self._store, ("documents", self._counts), self._read_documents)
        return self._documents

    def _read_documents(self) -> list[dict]:
        if self._counts:
            return self._store.documents()
        return sorted(
            ({k: v for k, v in d.items() if k != "label"} for d in self._store.nodes(("Document",))),
            key=lambda d: d["key"],
        )

    def documents(self, city: str | None = None) -> list[dict]:
        """The store's documents, in key order; without ``counts``, their ``items`` are left out
        (counting them is most of the read) and only pages that show them ask for them."""
        return [
            dict(d)
            for d in self._all_documents()
            if (city is None or d.get("city") == city) and (self.city is None or d.get("city") == self.city)
        ]

    def of_city(self, city: str) -> OneRequest:
        """This store as a reader of ``city`` alone sees it (a leader): its documents, names and
        items, so that a look-up, a suggestion or an error names nothing of another city."""
        view = OneRequest(self._store, counts=self._counts)
        view._documents, view.city = self._all_documents(), city
        return view

    def whole(self) -> OneRequest:
        """Every city's documents (the search index is built once for all readers, then filtered)."""
        view = OneRequest(self._store, counts=self._counts)
        view._documents = self._all_documents()
        return view

    def _mine(self, rows):
        return [r for r in rows if self.city is None or r.get("city", self.city) == self.city]

    def find(self, name, labels):
        return self._mine(self._store.find(name, labels))

    def names(self, labels):
        return [(c, n) for c, n in self._store.names(labels) if self.city is None or c == self.city]

    def nodes(self, labels):
        return self._mine(self._store.nodes(labels))

    def items(self, documents=None, *, keys=None):
        if self.city is not None and documents is None and keys is None:
            documents = [d["key"] for d in self.documents()]
            if not documents:
                return []
        return self._mine(self._store.items(documents, keys=keys))

    def counts(self):
        """A city's reader counts its own documents and items (the store's totals are every city's)."""
        if self.city is None:
            return self._store.counts()
        mine = self.documents()
        return {"Document": len(mine), "Item": sum(d.get("items", 0) for d in mine)}, {}

    def __getattr__(self, name):
        return getattr(self._store, name)
