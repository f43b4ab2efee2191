"""The small tree of errors respgraph raises; the CLI turns each into one line."""

from __future__ import annotations

import re

from respgraph.graph.labels import NAME_KIND_ZH


class RespgraphError(Exception):
    """Base of every error respgraph raises on purpose.

    ``status`` is the HTTP status a served answer gives for it (the web's one handler reads
    it): 400, the question cannot be answered as asked, unless a subclass says otherwise."""

    status = 400


class LoadError(RespgraphError):
    """A source file cannot be read as a responsibility table.

    Carries where the problem is so the user can open the file at that spot.
    """

    def __init__(self, file: str, message: str, *, line: int | None = None, cell: str | None = None):
        self.file = file
        self.line = line
        self.cell = cell
        # One line, whatever a parser put in its own message (lxml breaks lines inside it).
        message = re.sub(r"\s*[\r\n]+\s*", " ", message).strip()
        self.message = message
        where = file if line is None else f"{file}, line {line}"
        if cell:
            where += f", cell {cell}"
        super().__init__(f"{where}: {message}")


class UnknownName(RespgraphError):
    """A unit, leader or district the graph does not know, with the closest known names.

    Its fields say it on every face: the CLI prints the English (with the command that
    lists the names), a page :meth:`zh` (its suggestions are links there).

    >>> e = UnknownName("unit", "自然资源局", ["市自然资源局"], cities=["湛江市"], listing="respgraph units")
    >>> str(e)
    "no unit named '自然资源局' in 湛江市; did you mean: 市自然资源局? (`respgraph units` lists them all)"
    >>> e.zh(), e.status
    ('湛江市没有名为“自然资源局”的单位', 404)
    """

    status = 404

    def __init__(self, kind: str, name: str, suggestions: list[str], *, cities: list[str] | None = None,
                 document: str | None = None, listing: str = ""):
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        self.cities = cities
        self.document = document
        where = f" in {document}" if document else \
            f" in {'、'.join(cities) or 'the documents asked for'}" if cities is not None else ""
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        if listing:
            hint += f" (`{listing}` lists them all)"
        super().__init__(f"no {kind} named {name!r}{where}{hint}")

    def zh(self) -> str:
        where = "该文件" if self.document else "、".join(self.cities) if self.cities else ""
        return f"{where}没有名为“{self.name}”的{NAME_KIND_ZH.get(self.kind, self.kind)}"


class AmbiguousName(RespgraphError):
    """A name found in more than one jurisdiction, and nothing in the question says which.

    >>> AmbiguousName("unit", "市财政局", ["甲市:市财政局", "乙市:市财政局"]).zh()
    '“市财政局”在 2 个城市都有（甲市、乙市）：请选择其一'
    """

    status = 300

    def __init__(self, kind: str, name: str, candidates: list[str]):
        self.kind = kind
        self.name = name
        self.candidates = candidates
        super().__init__(f"{kind} {name!r} is in more than one jurisdiction: {', '.join(candidates)}; "
                         "say which with --city, --doc or a qualified name such as "
                         f"{candidates[0].split(':', 1)[0]}:{name}")

    def zh(self) -> str:
        cities = list(dict.fromkeys(c.split(":", 1)[0] for c in self.candidates))
        return f"“{self.name}”在 {len(cities)} 个城市都有（{'、'.join(cities)}）：请选择其一"


class UnknownDocument(RespgraphError):
    """A document selector that matches no loaded document, or more than one."""

    status = 404

    def __init__(self, selector: str, message: str):
        self.selector = selector
        super().__init__(message)


class StoreUnavailable(RespgraphError):
    """The store cannot be reached or opened; the message says what to do."""

    status = 503

    def __init__(self, uri: str, message: str):
        # Never a user or password in a message, whoever built the URI (bolt://neo4j:secret@host).
        self.uri = re.sub(r"^([a-z][\w+.-]*://)[^/@]*@", r"\1", uri, flags=re.I)
        super().__init__(f"{self.uri}: {message}")


class LimitExceeded(LoadError):
    """A file past one of the size limits of :mod:`respgraph.graph.limits`; ``limit`` names its variable."""

    status = 413

    def __init__(self, file: str, message: str, *, line: int | None = None, limit: str = "",
                 cell: str | None = None):
        self.limit = limit
        super().__init__(file, message, line=line, cell=cell)
