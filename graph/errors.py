"""The small tree of errors respgraph raises; the CLI turns each into one line."""

from __future__ import annotations

import re


class RespgraphError(Exception):
    """Base of every error respgraph raises on purpose."""


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
    """A unit, leader or district the graph does not know, with the closest known names."""

    def __init__(self, kind: str, name: str, suggestions: list[str], *, where: str = "", listing: str = ""):
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        if listing:
            hint += f" (`{listing}` lists them all)"
        super().__init__(f"no {kind} named {name!r}{where}{hint}")


class AmbiguousName(RespgraphError):
    """A name found in more than one jurisdiction, and nothing in the question says which."""

    def __init__(self, kind: str, name: str, candidates: list[str]):
        self.kind = kind
        self.name = name
        self.candidates = candidates
        super().__init__(f"{kind} {name!r} is in more than one jurisdiction: {', '.join(candidates)}; "
                         "say which with --city, --doc or a qualified name such as "
                         f"{candidates[0].split(':', 1)[0]}:{name}")


class UnknownDocument(RespgraphError):
    """A document selector that matches no loaded document, or more than one."""

    def __init__(self, selector: str, message: str):
        self.selector = selector
        super().__init__(message)


class StoreUnavailable(RespgraphError):
    """The store cannot be reached or opened; the message says what to do."""

    def __init__(self, uri: str, message: str):
        # Never a user or password in a message, whoever built the URI (bolt://neo4j:secret@host).
        self.uri = re.sub(r"^([a-z][\w+.-]*://)[^/@]*@", r"\1", uri, flags=re.I)
        super().__init__(f"{self.uri}: {message}")


class LimitExceeded(LoadError):
    """A file past one of the size limits of :mod:`respgraph.graph.limits`; ``limit`` names its variable."""

    def __init__(self, file: str, message: str, *, line: int | None = None, limit: str = "",
                 cell: str | None = None):
        self.limit = limit
        super().__init__(file, message, line=line, cell=cell)
