"""The supervision loop on the command line: ``progress load|check|words``, ``status`` and ``notices``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import click

from respgraph.commands.options import city_option, doc_option, format_option
from respgraph.commands.output import emit, show
from respgraph.graph.vocabulary import ROLES


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: give a date as YYYY-MM-DD") from None


as_of_option = click.option(
    "--as-of", callback=_date, metavar="YYYY-MM-DD", help="The date to answer for [default: the latest report loaded]."
)


def rules_options(command):
    command = click.option(
        "--near-days",
        type=click.IntRange(0),
        default=30,
        show_default=True,
        help="Blue (蓝) when the deadline is this close and the item is not done.",
    )(command)
    return click.option(
        "--preset",
        type=click.Choice(["three-colour", "escalating"]),
        default="three-colour",
        show_default=True,
        help="three-colour: red overdue, yellow behind, blue deadline near; escalating: "
        "blue, orange, red as an item stays behind on 1, 2, 3 successive reports.",
    )(command)


def _words_file(state) -> Path:
    return state.settings.home / "status_words.toml"


def _vocabulary(state):
    from respgraph.loaders.progress.words import default_vocabulary

    return default_vocabulary(_words_file(state))


@click.group()
def progress():
    """Progress reports (进展情况表): load them, check how they match the tables, see the status words."""


def _report_options(command):
    command = click.option("--year", type=int, help="The year of the table, when the title does not say.")(command)
    command = click.option("--city", help="The city of the table, when the report does not say.")(command)
    command = click.option(
        "--doc",
        metavar="KEY",
        help="The table the report is on (keys as `respgraph info` lists them) [default: the one its rows match].",
    )(command)
    return click.option(
        "--as-of",
        callback=_date,
        metavar="YYYY-MM-DD",
        help="The report date [default: from the file: 截至6月30日, 2023年上半年 …].",
    )(command)


@progress.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_report_options
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_obj
def progress_load(state, files, as_of, doc, city, year, quiet):
    """Add progress reports to the graph, each row as a status on its item.

    Load the table first.  Every file is read and matched before anything is
    written; loading a report again (same table and date) replaces it.
    """
    from respgraph.ingest import load_progress

    # Locked from reading the embedded store to saving it, as `respgraph load` is.
    with state.writable() as store:
        loaded = load_progress(
            store, list(files), vocabulary=_vocabulary(state), as_of=as_of, document=doc, city=city, year=year
        )
    for line in [] if quiet else [line for match in loaded for line in match.loaded_lines()]:
        click.echo(line)


@progress.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_report_options
@click.option(
    "--kind", "kinds", multiple=True, help="Only notes of this kind (unmatched, other_document, wrong_number, no_row)."
)
@format_option
@click.pass_obj
def progress_check(state, file, as_of, doc, city, year, kinds, fmt):
    """How a progress report reads and matches, without loading it.

    Lists rows that match no item, rows naming an item of another table (or
    another item's title under this number), and items no row reports on.
    """
    from respgraph.ingest import match_progress

    match = match_progress(
        state.query_store(), file, vocabulary=_vocabulary(state), as_of=as_of, document=doc, city=city, year=year
    )
    notes = match.notes(tuple(kinds))
    if fmt != "table":
        emit(fmt, flat=notes, data=notes)
        return
    click.echo("\n".join(match.summary()) + "\n")
    counts = Counter(n["kind"] for n in notes)
    emit(
        fmt,
        flat=[{k: v for k, v in n.items() if k != "document"} for n in notes],
        data=notes,
        width=None,
        footer=", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no notes",
    )


@progress.command("words")
@click.option("--path", "show_path", is_flag=True, help="Print only the path of your own status word file.")
@format_option
@click.pass_obj
def progress_words(state, show_path, fmt):
    """The status words (已办结, 慢序时, 欠进度 …) and the status each means.

    Add your own to the file `respgraph progress words --path` prints, in the same
    format as the shipped list, then load your reports again.
    """
    if show_path:
        click.echo(_words_file(state))
        return
    flat = [
        {"word": w, "status": s, "from": Path(f).name if "shipped" not in f else f}
        for w, s, f in _vocabulary(state).entries()
    ]
    emit(fmt, flat=flat, data=flat)


def _rules(preset, near_days):
    from respgraph.queries.status import WarningRules

    return WarningRules(preset=preset, near_days=near_days)


@click.command()
@as_of_option
@click.option("--unit", help="Only items this unit is named on (any spelling the alias list knows).")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    help="With --unit: only items where it has this role. With --by unit: the role counted [lead].",
)
@click.option("--leader", help="Only items this leader oversees.")
@city_option
@click.option("--by", type=click.Choice(["unit", "leader"]), help="Counts per unit or per leader instead of items.")
@click.option("--trend", is_flag=True, help="Counts at every report date instead of items.")
@click.option(
    "--warning",
    "warnings",
    multiple=True,
    type=click.Choice(["red", "orange", "yellow", "blue"]),
    help="Only items with this warning colour; repeatable.",
)
@rules_options
@doc_option
@format_option
@click.pass_obj
def status(state, as_of, unit, role, leader, city, by, trend, warnings, preset, near_days, documents, fmt):
    """Where every item stands: status from the progress reports, overdue, warning colour.

    Status is done, ahead, on_track, behind, not_started, other or no_report;
    overdue means the deadline passed and the item is not done.  Warnings
    (三色督办单): red = overdue, yellow = behind schedule, blue = deadline within
    --near-days; --preset escalating gives blue, orange, red as an item stays behind.
    """
    from respgraph.answers.supervision import status as answer

    show(
        fmt,
        answer(
            state.query_store(),
            as_of=as_of,
            unit=state.name(unit, city=city) if unit else None,
            role=role,
            leader=leader,
            city=city,
            documents=list(documents) or None,
            by=by,
            trend=trend,
            warnings=tuple(warnings),
            rules=_rules(preset, near_days),
        ),
    )


@click.command()
@as_of_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the notices (.docx, one per lead unit and kind) and the summary (.xlsx) to.",
)
@city_option
@rules_options
@doc_option
@click.option(
    "--number",
    metavar="TEXT",
    help="The 发文字号 before its sequence number, e.g. 湛督办〔2023〕; "
    "the register numbers the notices after it [default: 督办〔YEAR〕].",
)
@click.option(
    "--first",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="The least sequence number of this batch, to go on from numbers given by hand "
    "(the register otherwise goes on from its own last one).",
)
@click.option("--date", "date", callback=_date, metavar="YYYY-MM-DD", help="成文日期 [default: today].")
@click.option(
    "--reply-by",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="The date units must reply by (办理要求) [default: ten days after --date].",
)
@click.option("--contact", metavar="TEXT", help='联系人 and 电话, e.g. "张三 0759-3183000".')
@click.option("--office", metavar="TEXT", help="The office that sends them (落款) [default: CITY人民政府督查室].")
@click.option(
    "--batch", metavar="KEY", help="Write an issued batch again, with its own numbers (keys as --issued lists them)."
)
@click.option("--issued", is_flag=True, help="List the batches issued (the register) instead of writing.")
@format_option
@click.pass_obj
def notices(
    state,
    as_of,
    out,
    city,
    preset,
    near_days,
    documents,
    number,
    first,
    date,
    reply_by,
    contact,
    office,
    batch,
    issued,
    fmt,
):
    """Write 督办通知单 (.docx), one per lead unit and warning kind, and a summary workbook.

    Red items get a 红色督办单, yellow a 黄色催办单, blue a 蓝色提醒单 (orange, with
    --preset escalating, an 橙色催办单), laid out as GB/T 9704-2012 lays out an
    official document: 发文字号 (--number), 主送, the items, 办理要求 (--reply-by),
    联系人 (--contact), 落款 and 成文日期 (--date), 抄送 to the leaders' offices.
    The workbook (督办汇总.xlsx) has the counts per lead unit and every item.

    Each run issues one batch of the register kept in the store: its numbers go on
    from the last batch of the year and prefix and never repeat; --issued lists the
    batches, --batch KEY writes one again with its own numbers.
    """
    from respgraph.commands.accounts import _operator

    if issued:
        from respgraph.accounts.register import batches

        flat = [_batch_row(b) for b in batches(state.store())]
        emit(fmt, flat=flat, data=flat, footer=f"{len(flat)} batches")
        return
    if out is None:
        raise click.UsageError("give --out DIR (or --issued to list the batches)")
    from respgraph.accounts.register import batch as find_batch
    from respgraph.accounts.register import default_prefix, issue
    from respgraph.answers.supervision import notice_items
    from respgraph.viz.issued import draft_number, write_batch
    from respgraph.viz.notices import notice_plan, write_notices

    found = find_batch(state.store(), batch) if batch else None
    store = state.store() if found else state.query_store()
    rows, rollup, when, scope = notice_items(
        store,
        as_of=found.as_of if found else as_of,
        city=found.city if found else city,
        documents=found.documents if found else list(documents) or None,
        rules=found.rules() if found else _rules(preset, near_days),
    )
    if scope.line:
        click.echo(scope.line)
    if found is None and not state.store().documents():
        plan = notice_plan(rows)
        written = write_notices(
            rows,
            rollup,
            as_of=when,
            out=out,
            preset=preset,
            plan=plan,
            date=date,
            reply_by=reply_by,
            contact=contact,
            office=office,
            numbers=[draft_number(number or default_prefix(date or dt.date.today()))] * len(plan),
        )
        click.echo(
            "note: nothing is loaded, so no register is kept: the notices are drafts with the number left blank",
            err=True,
        )
    else:
        if found is None:
            with state.writable() as store:
                found = issue(
                    store,
                    _operator(),
                    notice_plan(rows),
                    prefix=number,
                    date=date,
                    as_of=when,
                    reply_by=reply_by,
                    contact=contact,
                    office=office,
                    city=city,
                    documents=list(documents) or None,
                    preset=preset,
                    near_days=near_days,
                    minimum=first,
                    address="local",
                )
        written = write_batch(rows, rollup, found, as_of=when, out=out)
    _notices_notes(written, rows, contact or (found and found.contact))
    click.echo(
        f"{len(written) - 1} notices and 1 summary in {out}"
        + (f" (batch {found.key}: {_numbers(found)})" if found else "")
    )


def _numbers(batch) -> str:
    from respgraph.accounts.register import notice_number

    first = notice_number(batch.prefix, batch.first)
    return first if batch.last == batch.first else f"{first}–{batch.last}号"


def _batch_row(b) -> dict:
    kind = "bulletin" if b.notices[0].kind == "bulletin" else "notices"
    return {
        "key": b.key,
        "kind": kind,
        "numbers": _numbers(b),
        "notices": len(b.notices),
        "date": b.date.isoformat(),
        "as_of": b.as_of.isoformat(),
        "issued": b.issued.isoformat(timespec="seconds"),
        "issued_by": b.issued_by,
    }


def _notices_notes(written, rows, contact) -> None:
    for path in written:
        click.echo(f"wrote {path}", err=True)
    if not contact and len(written) > 1:
        click.echo('note: the notices have no 联系人 line; give --contact "NAME PHONE"', err=True)
    doubtful = [r.number for r in rows if r.deadline_doubtful]
    if doubtful:
        click.echo(
            f"note: item {', '.join(doubtful)} has a deadline outside its table's year, not counted overdue "
            "until corrected (respgraph fix DOC ITEM deadline=YYYY-MM-DD --why ...)",
            err=True,
        )
