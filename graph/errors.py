"""The small tree of errors respgraph raises; the CLI turns each into one line."""

from __future__ import annotations

import re

from respgraph.graph.i18n import gettext
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

    Its fields say it on every face, in the current language (:mod:`respgraph.graph.i18n`):
    the CLI prints it with the command that lists the names, a page says :meth:`said`
    with ``page=True`` (its suggestions are links there).

    >>> e = UnknownName("unit", "自然资源局", ["市自然资源局"], cities=["湛江市"], listing="respgraph units")
    >>> str(e)
    "no unit named '自然资源局' in 湛江市; did you mean: 市自然资源局? (`respgraph units` lists them all)"
    >>> e.said("zh_CN")
    '湛江市没有名为“自然资源局”的单位；是否要找：市自然资源局？（`respgraph units` 列出全部）'
    >>> e.zh(), e.status
    ('湛江市没有名为“自然资源局”的单位', 404)
    """

    status = 404

    def __init__(
        self,
        kind: str,
        name: str,
        suggestions: list[str],
        *,
        cities: list[str] | None = None,
        document: str | None = None,
        listing: str = "",
    ):
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        self.cities = cities
        self.document = document
        self.listing = listing
        super().__init__(self.said("en"))

    def __str__(self) -> str:
        return self.said()

    def said(self, lang: str | None = None, *, page: bool = False) -> str:
        """The refusal in ``lang`` (the current language by default); on a page, without the
        suggestions (the page links them) and the command to run."""
        fields = {
            "kind": self.kind,
            "kind_zh": NAME_KIND_ZH.get(self.kind, self.kind),
            "name": self.name,
            "document": self.document,
        }
        if self.document:
            text = gettext("no {kind} named {name!r} in {document}", lang).format(**fields)
        elif self.cities:
            text = gettext("no {kind} named {name!r} in {places}", lang).format(places="、".join(self.cities), **fields)
        elif self.cities is not None:
            text = gettext("no {kind} named {name!r} in the documents asked for", lang).format(**fields)
        else:
            text = gettext("no {kind} named {name!r}", lang).format(**fields)
        if page:
            return text
        if self.suggestions:
            text += gettext("; did you mean: {names}?", lang).format(names=gettext(", ", lang).join(self.suggestions))
        if self.listing:
            text += gettext(" (`{command}` lists them all)", lang).format(command=self.listing)
        return text

    def zh(self) -> str:
        return self.said("zh_CN", page=True)


class AmbiguousName(RespgraphError):
    """A name found in more than one jurisdiction, and nothing in the question says which.

    >>> e = AmbiguousName("unit", "市财政局", ["甲市:市财政局", "乙市:市财政局"])
    >>> e.zh()
    '“市财政局”在 2 个城市都有（甲市、乙市）：请选择其一'
    >>> e.said("zh_CN")
    '“市财政局”在多个城市都有（甲市:市财政局、乙市:市财政局）：请用 --city、--doc 或带城市的名称（如 甲市:市财政局）指明'
    """

    status = 300

    def __init__(self, kind: str, name: str, candidates: list[str]):
        self.kind = kind
        self.name = name
        self.candidates = candidates
        super().__init__(self.said("en"))

    def __str__(self) -> str:
        return self.said()

    def said(self, lang: str | None = None, *, page: bool = False) -> str:
        """The refusal in ``lang``; on a page it asks to choose (the candidates are links there)."""
        cities = list(dict.fromkeys(c.split(":", 1)[0] for c in self.candidates))
        fields = {"kind": self.kind, "kind_zh": NAME_KIND_ZH.get(self.kind, self.kind), "name": self.name}
        if page:
            return gettext("{name!r} is in {n} cities ({cities}): choose one", lang).format(
                n=len(cities), cities="、".join(cities), **fields
            )
        return gettext(
            "{kind} {name!r} is in more than one jurisdiction: {candidates}; say which with --city, "
            "--doc or a qualified name such as {example}",
            lang,
        ).format(
            candidates=gettext(", ", lang).join(self.candidates),
            example=f"{self.candidates[0].split(':', 1)[0]}:{self.name}",
            **fields,
        )

    def zh(self) -> str:
        return self.said("zh_CN", page=True)


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

    def __init__(self, file: str, message: str, *, line: int | None = None, limit: str = "", cell: str | None = None):
        self.limit = limit
        super().__init__(file, message, line=line, cell=cell)
