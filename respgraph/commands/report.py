"""``respgraph report``: the analyst's report (the work is :func:`respgraph.viz.report_build.build_report`)."""

from __future__ import annotations

from pathlib import Path

import click

from respgraph.commands.options import city_option, doc_option, weights_option
from respgraph.commands.years import aggregate_scope, year_options  # issue 22


@click.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write report.html, the interactive pages and the CSV files into.",
)
@weights_option
@click.option(
    "--outliers",
    "method",
    type=click.Choice(["tukey", "mad"]),
    default="tukey",
    show_default=True,
    help="How a load far from the rest is found: Tukey's fences or the robust z-score.",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the community detection.")
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Source file(s) to report data-quality notes on [default: the sample, when the graph is it].",
)
@doc_option
@city_option
@click.option("--png", is_flag=True, help="Also write every chart as a PNG (200 dpi, fits A4) into OUT/charts.")
@click.option("--svg", is_flag=True, help="Also write every chart as an SVG (text as outlines) into OUT/charts.")
@year_options
@click.pass_obj
def report(state, out, weights, method, seed, sources, documents, city, png, svg, year, all_years):
    """Write the analyst's report: workload balance, load over the year,
    collaboration structure, leaders' shared units and data quality, as one
    HTML page (Chinese, readable offline) with CSV files and interactive pages.
    """
    from respgraph.ingest import report_tables
    from respgraph.viz.report_build import build_report

    store = state.query_store()
    docs = aggregate_scope(
        store, "table", city=city, documents=documents, year=year, all_years=all_years
    ).documents  # issue 22: one year per city
    tables = report_tables(store, list(sources), docs, aliases=state.aliases())
    files = build_report(
        store,
        out,
        weights=weights,
        documents=docs,
        method=method,
        seed=seed,
        tables=tables,
        pictures=tuple(f for f, on in (("png", png), ("svg", svg)) if on),
    )
    click.echo(f"wrote {files[0]} and {len(files) - 1} files beside it", err=True)
