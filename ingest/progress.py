"""Matching progress reports to the loaded tables, and loading them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from respgraph.graph.errors import RespgraphError
from respgraph.graph.protocol import GraphStore
from respgraph.loaders.progress.reports import match_report, read_progress
from respgraph.queries.progress_reports import targets

__all__ = ["ProgressMatch", "match_progress", "load_progress"]


@dataclass(frozen=True)
class ProgressMatch:
    """A progress report file read and matched against the store: nothing written yet."""

    path: Path
    #: The report as read (format, date and where the date came from, its tables).
    report: object
    #: One :class:`~respgraph.loaders.progress.reports.Matched` per table of the file.
    matched: list

    def notes(self, kinds: tuple[str, ...] = ()) -> list[dict]:
        """Every note of the matching (rows matching nothing, items without a row …) as rows."""
        return [
            {"line": n.line or "", "kind": n.kind, "document": m.document["key"], "message": n.message}
            for m in self.matched
            for n in m.notes
            if not kinds or n.kind in kinds
        ]

    def summary(self) -> list[str]:
        """The lines ``progress check`` prints above its notes: the date, then each table's match."""
        lines = [f"format: {self.report.format}; date {self.report.as_of.isoformat()} (from {self.report.date_from})"]
        for m in self.matched:
            r = m.progress.report
            statuses = Counter(rec.status.value for rec in m.progress.records)
            inferred = sum(rec.inferred for rec in m.progress.records)
            lines.append(
                f"{r.title or '(no title)'} -> {r.document}: {r.rows} rows matched "
                f"({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}; {inferred} decided "
                "without a status word)"
            )
        return lines

    def said(self, documents: list[dict] = (), lang: str | None = None) -> list[str]:
        """What a page shows after the load, one line per table, in ``lang``: the table by its
        attachment and title (``documents``: the store's), and what the check of the file lists —
        no command to run and no path of the server's."""
        from respgraph.graph.i18n import gettext, ngettext

        titles = {
            d["key"]: gettext("attachment {attachment} ({title})", lang).format(
                attachment=d.get("attachment", ""), title=d.get("title", "")
            )
            for d in documents
        }
        out = []
        for m in self.matched:
            r = m.progress.report
            text = gettext("{title}, as of {date}: {rows} rows", lang).format(
                title=titles.get(r.document, r.title or r.document), date=r.as_of.isoformat(), rows=r.rows
            )
            if m.unmatched:
                text += ngettext("; {count} row not loaded", "; {count} rows not loaded", m.unmatched, lang).format(
                    count=m.unmatched
                )
            if m.without_row:
                text += ngettext(
                    "; {count} item without a row", "; {count} items without a row", m.without_row, lang
                ).format(count=m.without_row)
            if m.unmatched or m.without_row:
                text += gettext(" (checking the file again lists them)", lang)
            out.append(text)
        return out

    def loaded_lines(self) -> list[str]:
        """The lines ``progress load`` prints, one per table of the report."""
        out = []
        for m in self.matched:
            r = m.progress.report
            notes = []
            if m.unmatched:
                notes.append(f"{m.unmatched} {'row' if m.unmatched == 1 else 'rows'} not loaded")
            if m.without_row:
                notes.append(f"{m.without_row} {'item' if m.without_row == 1 else 'items'} without a row")
            tail = f"; {', '.join(notes)}, see `respgraph progress check {self.path}`" if notes else ""
            out.append(f"loaded {r.key}: {r.rows} rows on {r.document} at {r.as_of.isoformat()}{tail}")
        return out


def match_progress(
    store: GraphStore,
    path: Path,
    *,
    vocabulary=None,
    as_of=None,
    document: str | None = None,
    city: str | None = None,
    year: int | None = None,
    name: str | None = None,
) -> ProgressMatch:
    """Read the progress report ``path`` and match each of its tables to the loaded items.

    ``vocabulary`` is the status word list (the shipped one when None); ``as_of``
    overrides the date the file gives, ``document`` the table its rows match.
    Two tables of one file on the same table are refused.  ``name`` is how messages call
    the file (its path by default; an upload's own name, not where the server keeps it).
    """
    if vocabulary is None:
        from respgraph.loaders.progress.words import default_vocabulary

        vocabulary = default_vocabulary()
    report = read_progress(path, as_of=as_of, year=year)
    everything = targets(store)
    matched = [
        match_report(
            everything,
            table,
            as_of=report.as_of,
            file=name or str(path),
            vocabulary=vocabulary,
            city=city,
            year=year,
            document=document,
        )
        for table in report.tables
    ]
    seen = set()
    for m in matched:
        if m.progress.report.key in seen:
            raise RespgraphError(
                f"{name or path}: two tables of the report are both on {m.document['key']}: give each its own file"
            )
        seen.add(m.progress.report.key)
    return ProgressMatch(Path(path), report, matched)


def load_progress(store: GraphStore, paths: list[Path], **options) -> list[ProgressMatch]:
    """Match every report of ``paths`` first, then write each (one transaction per report,
    replacing an earlier load of the same table and date).  Options as :func:`match_progress`."""
    done = [match_progress(store, path, **options) for path in paths]
    for match in done:
        for m in match.matched:
            store.write_progress(m.progress.to_batch())
    return done
