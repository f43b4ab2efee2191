"""A leader's meeting brief as a file: what ``respgraph portfolio LEADER --brief`` writes and the
leader page downloads, one function for both faces."""

from __future__ import annotations

__all__ = ["BRIEF_FORMATS", "brief_file"]

#: What a brief is written as: the document, the document printed by LibreOffice, its table.
BRIEF_FORMATS = ("docx", "pdf", "xlsx", "csv")


def brief_file(store, leader: str, fmt: str, *, city: str | None = None, documents: list[str] | None = None,
               group_by: str = "lead") -> tuple[object, bytes]:
    """``(brief, bytes)``: ``leader``'s brief (:func:`respgraph.answers.brief.leader_brief`) as
    ``fmt``; a document carries the portfolio picture as a PNG.  A PDF needs LibreOffice."""
    from respgraph.answers.brief import leader_brief
    from respgraph.viz.brief import brief_bytes

    if fmt not in BRIEF_FORMATS:
        raise ValueError(f"a brief is one of {', '.join(BRIEF_FORMATS)}, not {fmt!r}")
    brief = leader_brief(store, leader, city=city, documents=documents)
    if fmt in ("xlsx", "csv"):
        return brief, brief_bytes(brief, fmt)
    document = brief_bytes(brief, "docx", picture=_picture(store, brief, group_by))
    if fmt == "docx":
        return brief, document
    from respgraph.loaders.formats.office_convert import to_pdf

    return brief, to_pdf(f"{brief.leader}.docx", document)


def _picture(store, brief, group_by: str) -> bytes:
    """The portfolio picture as the leader page opens it (items coloured by their latest status), as PNG."""
    from respgraph.queries.overview import unit_kinds
    from respgraph.queries.status import picture_statuses
    from respgraph.viz.network_pages import portfolio_page
    from respgraph.viz.picture import picture_bytes

    page = portfolio_page(brief.portfolio, sources=brief.sources, kinds=unit_kinds(store), group_by=group_by,
                          statuses=picture_statuses(store))
    return picture_bytes(page, "png")


def write_brief(store, leader: str, out, **options) -> None:
    """Write the brief to ``out``, its format from the suffix, and say so on stderr; one
    ``Error:`` line for a missing or unknown ``out``."""
    import click

    from respgraph.graph.errors import RespgraphError
    from respgraph.viz.files import write_file

    if out is None:
        raise RespgraphError("--brief and --out go together: --brief --out FILE.docx (or .pdf, .xlsx, .csv)")
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in BRIEF_FORMATS:
        raise RespgraphError(f"{out}: a brief is written as {', '.join('.' + f for f in BRIEF_FORMATS)}")
    brief, data = brief_file(store, leader, fmt, **options)
    write_file(out, data)
    click.echo(f"wrote {out} ({len(brief.rows)} items as of {brief.as_of.isoformat()})", err=True)
