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
from respgraph.graph.model import Table
from respgraph.loaders.build import build_table
from respgraph.loaders.columns import is_header, map_header
from respgraph.loaders.csv_format import csv_rows, read_csv
from respgraph.loaders.detect import decode_text, is_prose, sniff, sniff_delimiter
from respgraph.loaders.grid import read_grid
from respgraph.loaders.guard import check_zip, read_file
from respgraph.loaders.header import find_header
from respgraph.loaders.layout import apply_layout
from respgraph.loaders.lines import split_lines
from respgraph.loaders.names import Aliases, City, default_aliases, load_cities
from respgraph.loaders.raw import RawTable
from respgraph.loaders.reading import Column, Reading, TableReading
from respgraph.loaders.text_format import read_text

LEVELS = ("city", "district", "county")


def sample_path() -> Path:
    """The bundled sample: Zhanjiang's 2023 table of responsibilities."""
    return Path(str(resources.files("respgraph.loaders").joinpath("samples/zhanjiang-2023.txt")))


def sample_store():
    """A :class:`~respgraph.graph.memory.MemoryStore` holding the bundled sample.

    >>> sorted(d["key"] for d in sample_store().documents())
    ['doc:湛江市/2023/1', 'doc:湛江市/2023/2']
    """
    from respgraph.graph.memory import MemoryStore

    store = MemoryStore()
    for table in read_tables(sample_path()):
        store.write(table.to_batch())
    return store


def read_source(path: Path | str, *, mapping: dict | None = None, lead_first: bool = True) -> Reading:
    """What ``path`` holds and how it was read: format, encoding, tables, column mapping.

    ``mapping`` ({header: field or None}, see :func:`~respgraph.loaders.columns.parse_mapping`)
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
        from respgraph.loaders.xlsx_format import read_xlsx

        reading = read_xlsx(name, data, mapping=mapping)
    elif kind == "docx":
        from respgraph.loaders.docx_format import read_docx

        reading = read_docx(name, data, mapping=mapping)
    elif kind == "html":
        from respgraph.loaders.html_format import read_html

        reading = read_html(name, data, mapping=mapping)
    else:
        reading = _read_text(name, data, mapping)
    seen: dict[int, str] = {}
    for raw, detail in zip(reading.tables, reading.details):
        if raw.attachment in seen:
            raise LoadError(name, f"two tables are both 附件 {raw.attachment} ({seen[raw.attachment]} and "
                                  f"{detail.where or f'line {raw.header_line}'})")
        seen[raw.attachment] = detail.where or f"line {raw.header_line}"
        apply_layout(raw, detail, lead_first=lead_first)
    return reading


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
        from respgraph.loaders.prose_format import read_prose

        return read_prose(name, text, encoding, mapping=mapping)
    delimiter = sniff_delimiter(text, min_fields=2)  # a two-column table, once prose is ruled out
    if delimiter is not None:
        return read_csv(name, text, encoding, delimiter=delimiter, mapping=mapping)
    return _text_reading(name, read_text(name, data), encoding)  # read_text says why this is no table


def _fits_text_format(text: str, mapping) -> bool:
    """Whether the first header row is one the strict sample reader knows (序号 first, every column known)."""
    from respgraph.loaders.grid_types import plain_row

    # The header sits near the top: rows past the first thousand with a TAB are not looked at.
    lines = (plain_row(n, line.split("\t")) for n, line in enumerate(split_lines(text), start=1) if "\t" in line)
    rows = list(itertools.islice(lines, 1000))
    for i, row in enumerate(rows):
        if find_header(rows, i, mapping) is not None:
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


def detect_city(raw: list[RawTable], cities: dict[str, City]) -> City:
    """The city a table is from: named in its title, else the one whose districts it names most."""
    titles = " ".join(t.title for t in raw)
    for city in cities.values():
        if city.name in titles or city.name.removesuffix("市") + "市" in titles:
            return city
    for t in raw:
        place = place_in_title(t.title)
        if place:
            # A place we have no profile for: its groups just have unknown members.
            return City(name=place, districts={}, zones=(), stationed=frozenset())
    text = " ".join(c for t in raw for r in t.rows for c in r.cells.values())
    hits = {
        name: sum(text.count(d) for d in (*city.districts, *city.zones)) for name, city in cities.items()
    }
    best = max(hits, key=hits.get, default=None)
    if best is None or hits[best] < 3:
        raise LoadError(raw[0].file, "cannot tell which city this table is from: give the city (--city)")
    return cities[best]


def build_tables(
    raw: list[RawTable],
    *,
    city: str | None = None,
    year: int | None = None,
    level: str | None = None,
    aliases: Aliases | None = None,
) -> list[Table]:
    """Typed tables of raw ones; the city, year and level come from the titles unless given."""
    cities = load_cities()
    if city is not None and city not in cities:
        # A city we have no profile for still loads; its groups just have unknown members.
        cities[city] = City(name=city, districts={}, zones=(), stationed=frozenset())
    chosen = cities[city] if city else detect_city(raw, cities)
    if level is not None and level not in LEVELS:
        raise LoadError(raw[0].file, f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    aliases = aliases or default_aliases()
    level = level or level_of(chosen.name)
    return [build_table(t, city=chosen, aliases=aliases, year=year, level=level) for t in raw]


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
    [('doc:湛江市/2023/1', 100), ('doc:湛江市/2023/2', 10)]
    """
    raw = read_raw(path, mapping=mapping, lead_first=lead_first)
    return build_tables(raw, city=city, year=year, level=level, aliases=aliases)
