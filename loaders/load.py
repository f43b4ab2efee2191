"""Read a source file into typed tables: the one entry point of ``loaders``.

:func:`read_source` picks the reader by the file's content, not its name: a zip
holding ``xl/`` is a workbook and one holding ``word/`` a Word document; a page
starting with ``<html`` or ``<table`` is a web page; other text is TAB-separated
(the sample's format), CSV, or a prose task list, told apart by its delimiters
and its ``牵头单位：`` labels.
"""

from __future__ import annotations

import itertools
import re
from importlib import resources
from pathlib import Path

from respgraph.graph.errors import LoadError
from respgraph.graph.i18n import N_
from respgraph.graph.model import Table
from respgraph.loaders.formats.csv_format import csv_rows, read_csv
from respgraph.loaders.formats.detect import decode_text, is_prose, sniff, sniff_delimiter
from respgraph.loaders.formats.guard import check_zip, read_file
from respgraph.loaders.formats.lines import split_lines
from respgraph.loaders.formats.text_format import read_text
from respgraph.loaders.grid.grid_tables import read_grid
from respgraph.loaders.grid.header import AmbiguousHeader, find_header
from respgraph.loaders.items.build import build_table
from respgraph.loaders.items.names import Aliases, City, default_aliases, load_cities
from respgraph.loaders.table.columns import is_header, map_header
from respgraph.loaders.table.layout_rules import apply_layout
from respgraph.loaders.table.raw import RawTable
from respgraph.loaders.table.reading import Column, Reading, TableReading

LEVELS = ("city", "district", "county")


def sample_path() -> Path:
    """The bundled sample: Zhanjiang's 2023 table of responsibilities."""
    return Path(str(resources.files("respgraph.loaders").joinpath("samples/zhanjiang-2023.txt")))


def read_source(path: Path | str, *, mapping: dict | None = None, lead_first: bool = True) -> Reading:
    """What ``path`` holds and how it was read: format, encoding, tables, column mapping.

    ``mapping`` ({header: field or None}, see :func:`~respgraph.loaders.table.columns.parse_mapping`)
    overrides the meaning of columns; ``lead_first`` makes the first unit of a lone
    责任单位 column the lead.

    >>> r = read_source(sample_path())
    >>> r.format, r.encoding, [(d.attachment, d.header_lines) for d in r.details]
    ('text (TAB-separated)', 'utf-8', [(1, (7,)), (2, (235,))])
    """
    name = str(path)
    data = read_file(path)
    kind = sniff(name, data)
    if kind in ("xlsx", "docx"):
        check_zip(name, data)
    if kind == "xlsx":
        from respgraph.loaders.formats.xlsx_format import read_xlsx

        reading = read_xlsx(name, data, mapping=mapping)
    elif kind == "docx":
        from respgraph.loaders.formats.docx_format import read_docx

        reading = read_docx(name, data, mapping=mapping)
    elif kind == "html":
        from respgraph.loaders.formats.html_format import read_html

        reading = read_html(name, data, mapping=mapping)
    elif kind == "pdf":
        from respgraph.loaders.formats.pdf_format import read_pdf

        reading = read_pdf(name, data, mapping=mapping)
    elif kind == "xls":
        from respgraph.loaders.formats.xls_format import read_xls

        reading = read_xls(name, data, mapping=mapping)
    elif kind in ("doc", "rtf"):
        from respgraph.loaders.formats.office_convert import read_converted

        reading = read_converted(name, data, kind, mapping=mapping)
    else:
        reading = _read_text(name, data, mapping)
    if reading.tables and not any(set(t.columns) & _UNIT_FIELDS for t in reading.tables):
        # A notice or a letter with a table of its own (序号, 事项, 进展 …) names no unit in any
        # role: refused, never loaded as "1 items, 0 units".
        columns = "、".join(h for t in reading.tables for h in t.columns.values())
        raise LoadError(
            name,
            f"not a responsibility table: looked for a column of units (牵头单位, 责任单位, "
            f"实施单位, 协办单位 …) and found none; its columns are {columns}",
        )
    seen: dict[int, str] = {}
    for raw, detail in zip(reading.tables, reading.details):
        if raw.attachment in seen:
            raise LoadError(
                name,
                f"two tables are both 附件 {raw.attachment} ({seen[raw.attachment]} and "
                f"{detail.where or f'line {raw.header_line}'})",
            )
        seen[raw.attachment] = detail.where or f"line {raw.header_line}"
        apply_layout(raw, detail, lead_first=lead_first)
    return reading


#: The fields that name units: a table with none of them assigns no responsibility.
_UNIT_FIELDS = {"lead", "implement", "assist"}


def _read_text(name: str, data: bytes, mapping) -> Reading:
    if not data.strip():
        return _text_reading(name, read_text(name, data), "utf-8")  # read_text says the file is empty
    text, encoding = decode_text(name, data)
    delimiter = sniff_delimiter(text)
    if delimiter == "\t" or (delimiter is None and "\t" in text):
        if encoding not in ("utf-8", "utf-8-sig") or _fits_text_format(text, mapping):
            # The sample's own format keeps its strict reader (and its rule: UTF-8 only).
            return _text_reading(name, read_text(name, data), encoding)
        tables, details = read_grid(name, csv_rows(name, text, "\t"), mapping=mapping)
        return Reading(name, "text (TAB-separated)", encoding, tables, details)
    if delimiter is not None:
        return read_csv(name, text, encoding, delimiter=delimiter, mapping=mapping)
    if is_prose(text):
        from respgraph.loaders.formats.prose_format import read_prose

        return read_prose(name, text, encoding, mapping=mapping)
    delimiter = sniff_delimiter(text, min_fields=2)  # a two-column table, once prose is ruled out
    if delimiter is not None:
        return read_csv(name, text, encoding, delimiter=delimiter, mapping=mapping)
    return _text_reading(name, read_text(name, data), encoding)  # read_text says why this is no table


def _fits_text_format(text: str, mapping) -> bool:
    """Whether the first header row is one the strict sample reader knows (序号 first, every column known)."""
    from respgraph.loaders.grid.cells import plain_row

    # The header sits near the top: rows past the first thousand with a TAB are not looked at.
    lines = (plain_row(n, line.split("\t")) for n, line in enumerate(split_lines(text), start=1) if "\t" in line)
    rows = list(itertools.islice(lines, 1000))
    for i, row in enumerate(rows):
        try:
            found = find_header(rows, i, mapping)
        except AmbiguousHeader:
            return False  # the grid reader refuses it, naming the line and the cell
        if found is not None:
            cells = [c.text for c in row.cells]
            return not mapping and is_header(cells) and not map_header(cells)[1]
    return True  # no header anywhere: the strict reader says so best


def _text_reading(name: str, tables: list[RawTable], encoding: str) -> Reading:
    details = [
        TableReading(t.attachment, "", (t.header_line,), [Column(h, f, "name") for f, h in t.columns.items()])
        for t in tables
    ]
    return Reading(name, "text (TAB-separated)", encoding, tables, details)


def read_raw(path: Path | str, **options) -> list[RawTable]:
    """The raw tables of a file, whatever its format (options as :func:`read_source`)."""
    return read_source(path, **options).tables


_STOP = re.compile(r"[年月日的《》“”\"'\d\s（）()、，,：:。·\-—]+")
_PLACE = re.compile(r"^(?:关于印发|关于|印发)?([\u4e00-\u9fff]{2,6}?(?:自治州|地区|市|区|县))(?:人民政府|政府|委员会)?")
_NOT_PLACE = re.compile(r"工作|推进|建设|重点|城市|全市|本市|各|有关")


def place_in_title(title: str) -> str | None:
    """The city, district or county a title names at the start of one of its phrases.

    >>> place_in_title("2024年茂名市重点工作任务分工方案"), place_in_title("霞山区2024年民生实事")
    ('茂名市', '霞山区')
    >>> place_in_title("2023 年市《政府工作报告》重点督办事项分解表") is None
    True
    """
    for phrase in _STOP.split(title):
        m = _PLACE.match(phrase)
        if m and not _NOT_PLACE.search(m.group(1)):
            return m.group(1)
    return None


def level_of(place: str) -> str:
    """``district`` for a 区, ``county`` for a 县, else ``city``."""
    return "district" if place.endswith("区") else "county" if place.endswith("县") else "city"


def _file_stem(raw: RawTable) -> str:
    return Path(raw.file.replace("\\", "/")).stem


def _year_in(text: str, *, bare: bool = False) -> int | None:
    """A year printed as ``2023年``; in a file name also a bare 20xx (``tasks-2024.xls``)."""
    m = re.search(r"((?:19|20)\d{2})\s*年", text)
    if m is None and bare:
        m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    return int(m.group(1)) if m else None


def _place_in(text: str, cities: dict[str, City]) -> City | None:
    for city in cities.values():
        if city.name in text:
            return city
    place = place_in_title(text)
    if place:
        # A place we have no profile for: its groups just have unknown members.
        return cities.get(place) or City(name=place, districts={}, zones=(), stationed=frozenset())
    return None


def detect_city(raw: list[RawTable], cities: dict[str, City]) -> tuple[City | None, str]:
    """The jurisdiction a file's tables are from, and where that was read (a message of the
    catalogue: a page says it in the reader's language).

    In order: a title, the file name, the text above a table or its sheet's name,
    and last the city whose districts the cells name most.  ``(None, "")`` when
    nothing says.
    """
    for where, texts in (
        (N_("the title"), [t.title for t in raw]),
        (N_("the file name"), [_file_stem(raw[0])]),
        (N_("the text above the table"), [t.context for t in raw]),
    ):
        for text in texts:
            city = _place_in(text, cities) if text else None
            if city is not None:
                return city, where
    text = " ".join(c for t in raw for r in t.rows for c in r.cells.values())
    hits = {name: sum(text.count(d) for d in (*city.districts, *city.zones)) for name, city in cities.items()}
    best = max(hits, key=lambda name: hits[name], default=None)
    if best is None or hits[best] < 3:
        return None, ""
    return cities[best], N_("the districts its cells name")


def detect_year(table: RawTable) -> tuple[int | None, str]:
    """The year of one table, and where it was read: its title, the file name, the text above it.

    >>> detect_year(RawTable("某区2023年重点工作责任分工.docx", 1, "重点工作责任分工表", 1, {}, 2))
    (2023, 'the file name')
    """
    for where, text, bare in (
        (N_("the title"), table.title, False),
        (N_("the file name"), _file_stem(table), True),
        (N_("the text above the table"), table.context, False),
    ):
        year = _year_in(text, bare=bare)
        if year is not None:
            return year, where
    return None, ""


#: Stands for a city or year that nothing names, in ``check`` (``load`` refuses).
UNKNOWN_CITY, UNKNOWN_YEAR = "（城市未知）", 0


def build_tables(
    raw: list[RawTable],
    *,
    city: str | None = None,
    year: int | None = None,
    level: str | None = None,
    aliases: Aliases | None = None,
    lenient: bool = False,
) -> list[Table]:
    """Typed tables of raw ones.

    The city, year and level come from the titles, the file name or the text
    above the tables unless given; each table's ``found`` says where.  When
    nothing names them, :class:`LoadError` asks for ``--city`` / ``--year``; with
    ``lenient`` (for ``check``) the table is built anyway and ``needs`` lists
    what ``load`` will ask for.
    """
    cities = load_cities()
    if city is not None and city not in cities:
        # A city we have no profile for still loads; its groups just have unknown members.
        cities[city] = City(name=city, districts={}, zones=(), stationed=frozenset())
    needs: list[str] = []
    chosen: City | None
    if city:
        chosen, city_from = cities[city], "--city"
    else:
        chosen, city_from = detect_city(raw, cities)
    if chosen is None:
        message = (
            "cannot tell which city or county this table is from: neither its title, its file name "
            "nor the text above it names one; give it with --city"
        )
        if not lenient:
            raise LoadError(raw[0].file, message)
        chosen, city_from = City(name=UNKNOWN_CITY, districts={}, zones=(), stationed=frozenset()), ""
        needs.append("--city (nothing names the city or county)")
    if level is not None and level not in LEVELS:
        raise LoadError(raw[0].file, f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    aliases = aliases or default_aliases()
    level = level or level_of(chosen.name)
    tables = []
    for t in raw:
        found_year, year_from = (year, "--year") if year else detect_year(t)
        if found_year is None:
            if not lenient:
                raise LoadError(
                    t.file,
                    "cannot tell the year of this table: neither its title, its file name "
                    "nor the text above it names one; give it with --year",
                    line=t.title_line or None,
                )
            found_year = UNKNOWN_YEAR
            needs.append(f"--year (附件 {t.attachment}: nothing names the year)")
        table = build_table(t, city=chosen, aliases=aliases, year=found_year, level=level)
        tables.append(table.model_copy(update={"found": {"city": city_from, "year": year_from}, "needs": tuple(needs)}))
    return tables


def read_tables(
    path: Path | str,
    *,
    city: str | None = None,
    year: int | None = None,
    level: str | None = None,
    aliases: Aliases | None = None,
    mapping: dict | None = None,
    lead_first: bool = True,
) -> list[Table]:
    """Every table in ``path`` as a typed :class:`~respgraph.graph.model.Table`.

    >>> tables = read_tables(sample_path())
    >>> [(t.document.key, len(t.items)) for t in tables]
    [('doc:湛江市/2023/1-b6a81b', 100), ('doc:湛江市/2023/2-a4a381', 10)]
    """
    raw = read_raw(path, mapping=mapping, lead_first=lead_first)
    return build_tables(raw, city=city, year=year, level=level, aliases=aliases)
