"""``respgraph bulletin``: the quarter's 督查通报 and the scorecard by lead unit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from respgraph.commands.options import city_option, doc_option, format_option
from respgraph.commands.output import emit
from respgraph.commands.progress import _date


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the bulletin (.docx) and the scorecard workbook (.xlsx) to.",
)
@click.option("--quarter", type=click.IntRange(1, 4), help="The quarter [default: that of the latest report].")
@click.option("--year", type=int, help="The year of the tables [default: that of the latest report].")
@city_option
@doc_option
@click.option(
    "--number",
    metavar="TEXT",
    help="The 文号 before its sequence number, e.g. 湛督查〔2023〕; the "
    "register numbers the bulletin after it [default: 督查〔YEAR〕].",
)
@click.option("--date", "date", callback=_date, metavar="YYYY-MM-DD", help="成文日期 [default: today].")
@click.option("--office", metavar="TEXT", help="The office that sends it (落款) [default: CITY人民政府督查室].")
@click.option(
    "--batch",
    metavar="KEY",
    help="Write an issued bulletin again, with its own number (keys as `respgraph notices --issued` lists them).",
)
@click.option("--scores", is_flag=True, help="Print the quarter's scorecard instead of writing files.")
@format_option
@click.pass_obj
def bulletin(state, out, quarter, year, city, documents, number, date, office, batch, scores, fmt):
    """Write the quarter's 督查通报 (.docx) and the scorecard by lead unit (.xlsx).

    The bulletin, laid out as the notices are (GB/T 9704-2012), says how the year's
    items stand at the quarter's end and since the quarter before, which lead units
    reported on time, late or not at all (online submissions and loaded workbooks
    both count), the red and yellow items by unit, the items completed or ahead, and
    the scorecard's best.  The workbook holds the scorecard of every quarter so far:
    items due, reported on time, late, missing, on schedule, behind, overdue,
    completed and a score whose weights and reporting deadline are settings
    (RESPGRAPH_HOME/bulletin.toml).  Each bulletin takes the next 文号 of the register.
    """
    from respgraph.accounts.register import BULLETIN, bulletin_prefix, issue
    from respgraph.accounts.register import batch as find_batch
    from respgraph.accounts.scorecard import bulletin_data, score_rules, scorecards
    from respgraph.accounts.submissions import quarter_end
    from respgraph.answers.session import page_quarter
    from respgraph.commands.accounts import _operator
    from respgraph.viz.bulletin import score_table, write_bulletin

    rules = score_rules(state.settings.home)
    found = find_batch(state.store(), batch) if batch else None
    if found is not None:
        if found.notices[0].kind != BULLETIN:
            raise click.UsageError(f"batch {batch} holds notices: `respgraph notices --batch {batch}` writes them")
        year, quarter, city, documents = found.as_of.year, (found.as_of.month - 1) // 3 + 1, found.city, found.documents
    if quarter is None or year is None:  # the quarter the web's scorecard shows
        year, quarter = page_quarter(state.query_store(), year, quarter)
    documents = list(documents or ()) or None
    if scores:
        data = bulletin_data(
            state.query_store(), year=year, quarter=quarter, rules=rules, city=city, documents=documents
        )
        flat, rows = score_table(data.scores)
        emit(
            fmt,
            flat=flat,
            data=rows,
            footer=f"{year} Q{quarter}: {len(flat)} lead units; report deadline {data.deadline}",
        )
        return
    if out is None:
        raise click.UsageError("give --out DIR (or --scores to print the scorecard)")
    if found is None and not state.store().documents():
        number_text = f"{number or bulletin_prefix(date or dt.date.today())}\u3000\u3000号"
        click.echo(
            "note: nothing is loaded, so no register is kept: the bulletin is a draft with the number left blank",
            err=True,
        )
    else:
        if found is None:
            # Asked first, so that a quarter with no table refuses before a number is taken.
            bulletin_data(state.query_store(), year=year, quarter=quarter, rules=rules, city=city, documents=documents)
            with state.writable() as writable:
                found = issue(
                    writable,
                    _operator(),
                    [(BULLETIN, "督查通报", [])],
                    prefix=number or bulletin_prefix(date or dt.date.today()),
                    date=date,
                    as_of=quarter_end(year, quarter),
                    office=office,
                    city=city,
                    documents=documents,
                    address="local",
                )
        number_text, date, office = found.numbers()[0], found.date, found.office or None
    store = state.query_store()
    data = bulletin_data(store, year=year, quarter=quarter, rules=rules, city=city, documents=documents)
    written = write_bulletin(
        data,
        scorecards(store, year=year, quarter=quarter, rules=rules, city=city, documents=documents),
        number=number_text,
        date=date or dt.date.today(),
        office=office,
        city=city,
        out=out,
    )
    for path in written:
        click.echo(f"wrote {path}", err=True)
    click.echo(f"{year} Q{quarter}: 1 bulletin ({number_text}) and 1 scorecard in {out}")
