"""The loader's notes on a source table, as data: a kind, a form and named fields, and
one sentence (a message of the catalogue, :mod:`respgraph.graph.i18n`) made from them.

A note (:class:`~respgraph.graph.model.Quirk`) keeps what it is about — the item and
part, the column, the printed value, what was expected — so that every face says it
from these fields in the reader's language: ``respgraph check`` in English, the
report, the workbook and the web's pages in Chinese.  Nothing reads its own English
back.  A kind has one sentence, or a few *forms* where the grammar needs them
(``numbering_repeat`` says "twice" for a second one).

>>> fields = {"item": "92", "part": None, "value": "2013年12月", "year": 2023}
>>> note_text("deadline_year", "", fields)
"item 92: deadline '2013年12月' is not in the document's year 2023"
>>> note_text("deadline_year", "", fields, "zh")
'第92项：完成时限“2013年12月”不在文件的年度（2023年）内'
>>> note_text("no_implementer", "", {"item": "66", "part": 2}, "zh")
'第66项第2部分没有实施单位'
"""

from __future__ import annotations

from respgraph.graph.i18n import N_, gettext
from respgraph.graph.labels import ROLE_ZH

__all__ = ["NOTE_TEXTS", "NOTE_KIND_ZH", "note_text", "what"]


#: ``kind`` or ``kind.form`` → the sentence's message id (English), with named fields (``what`` is
#: made from ``item`` and ``part``; ``role_zh`` from ``role``). The catalogue says it in each language.
NOTE_TEXTS: dict[str, str] = {
    "numbering_repeat.twice": N_(
        "item {item} appears twice (first on line {first_line}): loaded as separate items, this one keyed {key}"
    ),
    "numbering_repeat": N_(
        "item {item} appears {count} times (first on line {first_line}): loaded as separate items, this one keyed {key}"
    ),
    "inherited": N_("{what}: empty {column} read as line {from_line}'s {value!r}"),
    "no_deadline": N_("{what} has no deadline"),
    "bad_deadline": N_("{what}: deadline {value!r} is not a date"),
    "deadline_year": N_("{what}: deadline {value!r} is not in the document's year {year}"),
    "no_leader": N_("{what} has no 分管领导"),
    "no_implementer": N_("{what} has no implementing unit"),
    "stray_text.tail": N_("{text!r} ends with {tail!r}: left out"),
    "stray_text": N_("{printed!r}: {removed!r} is not part of the name; read as {name!r}"),
    "alias": N_("{printed!r} read as {name!r} (alias)"),
    "bare_place": N_("{name!r} names a place, not a body: read as {body}"),
    "inline_role": N_("{name!r}: {word!r} says the role; read as {bare!r}, {role} (in the {column} column)"),
    "similar_names": N_("{a!r} (line {a_line}) and {b!r} look like one body: add an alias if they are"),
    "run_together": N_(
        "{name!r} reads as {count} names run together: {parts}; separate them in the source (、 or a line break)"
    ),
    "control_chars.title": N_("control characters {chars} removed from the title"),
    "control_chars.title_format": N_("invisible format characters {chars} removed from the title"),
    "control_chars.title_both": N_("control and format characters {chars} removed from the title"),
    "control_chars": N_("control characters {chars} removed from {text!r}"),
    "control_chars.format": N_("invisible format characters {chars} removed from {text!r}"),
    "control_chars.both": N_("control and format characters {chars} removed from {text!r}"),
    "numbering_gap.one": N_("item numbers jump from {previous} to {next}: {missing} is missing"),
    "numbering_gap": N_("item numbers jump from {previous} to {next}: {missing} are missing"),
    "numbering_order": N_("item {item} comes after item {previous}"),
}

#: What each kind of note means, for a reader of the report and the pages.
NOTE_KIND_ZH = {
    "deadline_year": "完成时限的年份与文件年份不符",
    "no_deadline": "缺完成时限",
    "bad_deadline": "完成时限不是日期",
    "no_leader": "缺分管领导",
    "no_implementer": "缺实施单位",
    "inherited": "空白单元格沿用上一行（原表合并单元格）",
    "alias": "同一单位的不同写法，已按别名归并",
    "bare_place": "只写地名，按该地政府读入",
    "similar_names": "两个名称疑似同一单位，请确认",
    "stray_text": "名称中夹有多余文字，已去除",
    "inline_role": "名称后写明角色，已按该角色读入",
    "run_together": "多个名称连写，请在源表中分开",
    "control_chars": "控制字符已删除",
    "numbering_gap": "序号不连续",
    "numbering_order": "序号顺序颠倒",
    "numbering_repeat": "序号重复",
}


def what(item: str | None, part: int | None, lang: str | None = "en") -> str:
    """The item (and part) a note is about (``lang`` None: the current language).

    >>> what("66", 2), what("66", 2, "zh"), what("51", None, "zh")
    ('item 66 part 2', '第66项第2部分', '第51项')
    """
    if part:
        return gettext("item {item} part {part}", lang).format(item=item, part=part)
    return gettext("item {item}", lang).format(item=item)


def note_text(kind: str, form: str, fields: dict, lang: str = "en") -> str | None:
    """The note's sentence in ``lang`` (``en`` or ``zh``); None when the catalogue has no
    sentence for it (a note made with a message of its own)."""
    sentence = NOTE_TEXTS.get(f"{kind}.{form}" if form else kind)
    if sentence is None:
        return None
    values = dict(fields)
    if "item" in values:
        values["what"] = what(values["item"], values.get("part"), lang)
    if "role" in values:
        values["role_zh"] = ROLE_ZH.get(values["role"], values["role"])
    return gettext(sentence, lang).format(**values)
