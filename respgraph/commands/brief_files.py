"""``respgraph portfolio LEADER --brief --out FILE``: the leader's meeting brief written to a file.

The web's leader page downloads the same (``web/library.py``: ``leader_brief``): the brief from
:func:`respgraph.answers.brief.leader_brief`, laid out by :func:`respgraph.viz.brief.brief_bytes`,
printed to PDF by LibreOffice (:func:`respgraph.loaders.formats.office_convert.to_pdf`).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BRIEF_FORMATS", "brief_format", "write_brief"]

#: What a brief is written as: the document, the document printed by LibreOffice, its table.
BRIEF_FORMATS = ("docx", "pdf", "xlsx", "csv")


def brief_format(out: Path | None) -> str:
    """The format ``out`` asks for, from its suffix; one ``Error:`` line when it names none, or none
    a brief is written as (checked before any answer is printed)."""
    from respgraph.graph.errors import RespgraphError

    if out is None:
        raise RespgraphError("--brief and --out go together: --brief --out FILE.docx (or .pdf, .xlsx, .csv)")
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in BRIEF_FORMATS:
        raise RespgraphError(f"{out}: a brief is written as {', '.join('.' + f for f in BRIEF_FORMATS)}")
    return fmt


def write_brief(
    store,
    leader: str,
    out: Path | None,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    group_by: str = "lead",
) -> None:
    """Write the brief to ``out``, its format from the suffix (:func:`brief_format`), and say so on stderr."""
    import click

    from respgraph.answers.brief import leader_brief
    from respgraph.viz.brief import brief_bytes
    from respgraph.viz.files import write_file

    fmt = brief_format(out)
    assert out is not None  # brief_format refused None
    brief = leader_brief(store, leader, city=city, documents=documents)
    data = brief_bytes(brief, "docx" if fmt == "pdf" else fmt, group_by=group_by)
    if fmt == "pdf":
        from respgraph.loaders.formats.office_convert import to_pdf

        data = to_pdf(out.with_suffix(".docx").name, data)
    write_file(out, data)
    click.echo(f"wrote {out} ({len(brief.rows)} items as of {brief.as_of.isoformat()})", err=True)
