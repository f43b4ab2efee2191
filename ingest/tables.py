"""Loading and checking tables: read every file in full, then write each table in one transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from respgraph.graph.errors import RespgraphError
from respgraph.graph.i18n import N_
from respgraph.graph.model import Table
from respgraph.graph.protocol import GraphStore
from respgraph.loaders.items.names import Aliases
from respgraph.loaders.load import build_tables, read_source, read_tables, sample_path

__all__ = ["Loaded", "read_files", "write_tables", "load_files", "Checked", "check_file", "report_tables"]


@dataclass(frozen=True)
class Loaded:
    """One table written: what it holds and what it replaced."""

    path: Path
    key: str
    items: int
    parts: int
    units: int
    leaders: int
    notes: int
    #: ``loaded`` (new), ``reloaded`` (the same file again) or ``replaced`` (another file).
    verb: str
    was_source: str | None = None
    was_loaded_at: str | None = None
    #: The document's title and attachment: what a page names it by (never its key).
    title: str = ""
    attachment: int = 0

    def said(self, lang: str | None = None) -> str:
        """The summary a page shows after the load (after its word "loaded"), in ``lang``: the document by its file,
        attachment and title, the counts, and how many notes the check showed."""
        from respgraph.graph.i18n import gettext

        # The page's banner says "loaded" (web.flash): the summary starts with the file.
        verbs = {
            "loaded": N_("{file}, attachment {attachment} ({title})"),
            "reloaded": N_("{file}, attachment {attachment} ({title}), loaded again"),
            "replaced": N_("{file}, attachment {attachment} ({title}), in place of the file loaded before"),
        }
        text = gettext(verbs.get(self.verb, verbs["loaded"]), lang).format(
            file=self.path.name, attachment=self.attachment, title=self.title
        )
        text += gettext(": {items} items, {parts} sub-items, {units} units, {leaders} leaders", lang).format(
            items=self.items, parts=self.parts, units=self.units, leaders=self.leaders
        )
        if self.notes:
            text += gettext("; {notes} notes (the check of the file lists them)", lang).format(notes=self.notes)
        return text

    def line(self, hint: str) -> str:
        """The summary line ``load`` prints; ``hint`` is the command that shows the notes."""
        notes = f"; {self.notes} notes, see `{hint}`" if self.notes else ""
        was = ""
        if self.was_source is not None:
            was = f" (it was loaded from {self.was_source}" + (
                f" at {self.was_loaded_at})" if self.was_loaded_at else ")"
            )
        return (
            f"{self.verb} {self.key}: {self.items} items, {self.parts} sub-items, {self.units} units, "
            f"{self.leaders} leaders{notes}{was}"
        )


def read_files(
    paths: list[Path],
    *,
    aliases: Aliases | None = None,
    city: str | None = None,
    year: int | None = None,
    mapping: dict | None = None,
    lead_first: bool = True,
    level: str | None = None,
) -> list[tuple[Path, Table]]:
    """Every table of ``paths`` (the bundled sample when empty), with the file it came from;
    two files holding the same table are refused.  Options as
    :func:`~respgraph.loaders.load.read_tables`.  Nothing is opened for writing."""
    paths = list(paths) or [sample_path()]
    tables = [
        (p, t)
        for p in paths
        for t in read_tables(
            p, city=city, year=year, aliases=aliases, mapping=mapping, lead_first=lead_first, level=level
        )
    ]
    first: dict[str, Path] = {}
    for path, table in tables:
        key = table.document.key
        if key in first:
            raise RespgraphError(
                f"{first[key]} and {path} hold the same table ({key}: {table.document.title}); load one of them"
            )
        first[key] = path
    return tables


def write_tables(
    store: GraphStore,
    tables: list[tuple[Path, Table]],
    *,
    progress: Callable[[str, int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> list[Loaded]:
    """Write tables :func:`read_files` returned, each in one transaction, replacing an earlier
    load of the same table (its progress reports stay: they find their items again by key)."""
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    done = []
    for path, table in tables:
        before = store.document(table.document.key)
        store.write(table.to_batch(loaded_at=stamp), progress=progress)
        verb = (
            "loaded"
            if before is None
            else ("reloaded" if before.get("source") == table.document.source else "replaced")
        )
        done.append(
            Loaded(
                path,
                table.document.key,
                len(table.items),
                len(table.parts),
                len(table.units),
                len(table.leaders),
                len(table.quirks),
                verb,
                None if before is None else before.get("source"),
                None if before is None else before.get("loaded_at"),
                table.document.title,
                table.document.attachment,
            )
        )
    return done


def load_files(
    store: GraphStore, paths: list[Path], *, progress: Callable[[str, int, int], None] | None = None, **options
) -> list[Loaded]:
    """:func:`read_files`, then :func:`write_tables`: nothing is written unless every file reads.

    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> [(r.verb, r.key, r.items) for r in load_files(SqliteStore(), [])]
    [('loaded', 'doc:湛江市/2023/1-b6a81b', 100), ('loaded', 'doc:湛江市/2023/2-a4a381', 10)]
    """
    return write_tables(store, read_files(paths, **options), progress=progress)


@dataclass(frozen=True)
class Checked:
    """What ``check`` found in one file: how it was read and every note, nothing loaded."""

    path: Path
    #: How the file was read (format, encoding, header rows, the role of every column).
    reading: str
    tables: list[Table]
    #: One dict per note: file, attachment, line, kind, cell, message.
    notes: list[dict] = field(default_factory=list)

    @property
    def place(self) -> str:
        """The city read from the file (or from ``--city``), or ``not named``."""
        first = self.tables[0]
        return first.document.city if first.found.get("city") else "not named"

    def where_from(self) -> str:
        """The line saying the city and each table's year and where they were read."""
        first = self.tables[0]
        city = self.place + (f" (from {first.found['city']})" if first.found.get("city") else "")
        years = ", ".join(
            f"{t.document.year} (附件 {t.document.attachment}, from {t.found['year']})"
            if t.found.get("year")
            else f"not named (附件 {t.document.attachment})"
            for t in self.tables
        )
        return f"city: {city}; year: {years}"

    @property
    def needs(self) -> list[str]:
        """The options ``load`` will ask for (``--city``, ``--year``), once each."""
        return list(dict.fromkeys(n for t in self.tables for n in t.needs))

    def rows(self) -> list[dict]:
        """The notes as table rows: line, kind, cell, message."""
        return [
            {"line": n["line"], "kind": n["kind"], "cell": n["cell"] or "", "message": n["message"]} for n in self.notes
        ]

    def footer(self) -> str:
        """The file, its city, each table's item count, and the notes by kind."""
        place = self.place if self.place != "not named" else "city not named"
        summary = "; ".join(
            f"附件{t.document.attachment} {t.document.title}: {len(t.items)} items" for t in self.tables
        )
        counts = Counter(n["kind"] for n in self.notes)
        return f"{self.path.name} ({place}): {summary}\n" + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def check_file(
    path: Path | None = None,
    *,
    aliases: Aliases | None = None,
    city: str | None = None,
    year: int | None = None,
    mapping: dict | None = None,
    lead_first: bool = True,
    level: str | None = None,
    kinds: tuple[str, ...] = (),
    corrections: Callable[[], list[dict]] | None = None,
) -> Checked:
    """Read ``path`` (the sample when None) as ``load`` would and collect every note; write nothing.

    A table that names no city or year is still read (``needs`` says what ``load``
    will ask for); ``kinds`` keeps only notes of those kinds.  With ``corrections`` (the
    store's, read only when a deadline is noted), a note on a deadline that ``respgraph
    fix`` has corrected says so (``corrected``): the source keeps its misprint.

    >>> c = check_file(kinds=("deadline_year",))
    >>> c.place, [(n["attachment"], n["line"]) for n in c.notes][:1]
    ('湛江市', [(1, 211)])
    """
    path = Path(path) if path is not None else sample_path()
    reading = read_source(path, mapping=mapping, lead_first=lead_first)
    tables = build_tables(reading.tables, city=city, year=year, level=level, aliases=aliases, lenient=True)
    notes = [
        {"file": path.name, "attachment": t.document.attachment, **q.model_dump()}
        for t in tables
        for q in t.quirks
        if not kinds or q.kind in kinds
    ]
    if corrections is not None:
        _mark_corrected(corrections, tables, notes)
    return Checked(path, reading.describe(), tables, notes)


def _mark_corrected(corrections: Callable[[], list[dict]], tables: list[Table], notes: list[dict]) -> None:
    """Say on each deadline note the correction recorded for its item, found by the
    note's own fields (its table's key and the item's number)."""
    from respgraph.graph.corrections import correction_note

    if not any(n["kind"] == "deadline_year" for n in notes):
        return
    try:
        recorded = corrections()
    except RespgraphError:  # check reads a file; a store that cannot be reached only hides corrections
        return
    by_item = {(r["document"], r["number"]): correction_note(r) for r in recorded if r["field"] == "deadline"}
    keys = {t.document.attachment: t.document.key for t in tables}
    for n in notes:
        if n["kind"] != "deadline_year" or n["fields"].get("part"):
            continue
        note = by_item.get((keys.get(n["attachment"]), str(n["fields"]["item"])))
        if note:
            n["message"] += f"; corrected by `respgraph fix`: {note}"
            n["corrected"] = note


def report_tables(
    store: GraphStore, sources: list[Path], documents: list[str] | None, *, aliases: Aliases | None = None
) -> list[Table] | None:
    """The tables whose data-quality notes a report on ``documents`` shows.

    ``sources`` as given; without them the bundled sample's, when the report covers
    a document loaded from it; None when there is nothing to read.
    """
    paths = list(sources)
    if not paths and any(
        d.get("source") == sample_path().name and (documents is None or d["key"] in documents)
        for d in store.documents()
    ):
        paths = [sample_path()]
    if not paths:
        return None
    tables = [t for p in paths for t in read_tables(p, aliases=aliases)]
    if not sources and documents is not None:
        tables = [t for t in tables if t.document.key in documents]  # the sample's notes on the documents reported on
    return tables
