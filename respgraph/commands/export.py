"""``respgraph export``: the graph and the answers as files for Gephi, Cytoscape, yEd, igraph, Pajek and Excel."""

from __future__ import annotations

from pathlib import Path

import click

from respgraph.commands.options import city_option, doc_option

__all__ = ["export"]


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "pajek", "xlsx"]),
    help="graphml (yEd, Cytoscape, igraph), gexf (Gephi), pajek (.net: Pajek, UCINET) or xlsx "
    "(Excel, WPS) [default: from OUT's suffix].",
)
@city_option
@doc_option
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="xlsx: source file(s) for the data-quality sheet [default: the sample, when the graph is it].",
)
@click.pass_obj
def export(state, out, fmt, city, documents, sources):
    """Write the graph (graphml, gexf, pajek: OUT, and the unit × unit co-responsibility
    network beside it as OUT-co) or every answer as one Excel workbook (xlsx).

    Nodes and relationships carry their type; roles, documents, deadlines and
    cities are attributes Gephi and Cytoscape filter on.
    """
    from respgraph.viz.export_files import SUFFIX, write_export

    if fmt is None:
        fmt = next((f for f, suffix in SUFFIX.items() if out.suffix.lower() == suffix), None)
        if fmt is None:
            raise click.UsageError(f"give --format, or name OUT with one of {', '.join(SUFFIX.values())}")
    from respgraph.queries.lookup import scope

    store = state.query_store()
    docs = scope(store, city=city, documents=list(documents) or None)
    if fmt == "xlsx":
        from respgraph.ingest import report_tables
        from respgraph.queries.export_data import answer_tables

        tables = report_tables(store, list(sources), docs, aliases=state.aliases())
        sheets = answer_tables(store, documents=docs, tables=tables)
        written = write_export(fmt, out, sheets=sheets)
        click.echo(f"wrote {out}: " + ", ".join(f"{name} {len(rows)}" for name, rows in sheets.items()), err=True)
        return
    from respgraph.queries.export_data import co_graph, full_graph

    graph, co = full_graph(store, documents=docs), co_graph(store, documents=docs)
    written = write_export(fmt, out, graph=graph, co=co)
    click.echo(
        f"wrote {written[0]} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships) "
        f"and {written[1]} ({co.number_of_nodes()} units, {co.number_of_edges()} pairs)",
        err=True,
    )
