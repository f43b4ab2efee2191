"""Invisible format characters (Unicode Cf) in a unit, leader or item name are removed with a
note, as control characters are (issue 31, item 6): a name with a zero-width space or a
right-to-left override inside must not load as a new unit that displays as an existing one."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from respgraph.loaders.formats.lines import _CONTROL, strip_controls
from respgraph.loaders.load import read_tables
from tests.test_hardening import ROWS, as_csv, as_tab, write


@pytest.mark.parametrize("fmt", ["csv", "txt"])
def test_format_characters_in_names_are_removed_with_a_note(tmp_path, fmt):
    rows = [list(r) for r in ROWS]
    rows[1][5] = "市财\u200b政局"  # zero-width space: looks like 市财政局
    rows[3][2] = "\u202e李四"  # right-to-left override before the leader's name
    rows[4][1] = "举办农业\u2066博览会\u2069"  # isolates around a word of the title
    rows[2][5] = "市自然\x00资源\u200d局"  # a control and a format character
    path = write(tmp_path, f"t.{fmt}", (as_csv if fmt == "csv" else as_tab)(rows))
    (table,) = read_tables(path)
    # The table names 市财政局 once (row 1), 市自然资源局 once (row 2): no look-alike unit beside them.
    names = {u.name for u in table.units}
    assert "市财政局" in names and "市自然资源局" in names
    assert not any(unicodedata.category(c) in ("Cf", "Cc") for n in names for c in n)
    assert sorted(leader.name for leader in table.leaders) == ["张三", "李四", "王五"]
    assert [i.title for i in table.items if i.number == "4"] == ["举办农业博览会"]
    notes = [(q.line, q.cell, q.message) for q in table.quirks if q.kind == "control_chars"]
    assert notes == [
        (3, "协办单位", "invisible format characters U+200B removed from '市财政局'"),
        (4, "协办单位", "control and format characters U+0000, U+200D removed from '市自然资源局'"),
        (5, "分管领导", "invisible format characters U+202E removed from '李四'"),
        (6, "事项", "invisible format characters U+2066, U+2069 removed from '举办农业博览会'"),
    ]


def test_every_format_character_of_this_python_is_removed():
    """The ranges written in loaders/formats/lines.py are Unicode's Cf of this Python, whole."""
    missing = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf" and not _CONTROL.match(chr(c))
    ]
    assert missing == []
    assert strip_controls("湛江\u00ad市\ufeff") == ("湛江市", ["U+00AD", "U+FEFF"])
    assert strip_controls("市财政局（含\t税务）") == ("市财政局（含\t税务）", [])  # a TAB stays: it separates cells
