"""The loader's notes on a source table, as data: a kind, a form and named fields, and
one sentence per language made from them.

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

from typing import NamedTuple

from respgraph.graph.labels import ROLE_ZH

__all__ = ["NOTE_TEXTS", "NOTE_KIND_ZH", "note_text", "what"]


class Sentence(NamedTuple):
    en: str
    zh: str


#: ``kind`` or ``kind.form`` → the sentence, with named fields (``what`` is made from
#: ``item`` and ``part``; ``role_zh`` from ``role``).  English is what ``check`` prints.
NOTE_TEXTS: dict[str, Sentence] = {
    "numbering_repeat.twice": Sentence(
        "item {item} appears twice (first on line {first_line}): loaded as separate items, this one keyed {key}",
        "第{item}项的序号重复（首次出现在第{first_line}行）：分别读入，本项记为{key}"),
    "numbering_repeat": Sentence(
        "item {item} appears {count} times (first on line {first_line}): loaded as separate items, "
        "this one keyed {key}",
        "第{item}项的序号出现{count}次（首次出现在第{first_line}行）：分别读入，本项记为{key}"),
    "inherited": Sentence("{what}: empty {column} read as line {from_line}'s {value!r}",
                          "{what}：空白的{column}沿用第{from_line}行的“{value}”"),
    "no_deadline": Sentence("{what} has no deadline", "{what}没有完成时限"),
    "bad_deadline": Sentence("{what}: deadline {value!r} is not a date", "{what}：完成时限“{value}”不是日期"),
    "deadline_year": Sentence("{what}: deadline {value!r} is not in the document's year {year}",
                              "{what}：完成时限“{value}”不在文件的年度（{year}年）内"),
    "no_leader": Sentence("{what} has no 分管领导", "{what}没有分管领导"),
    "no_implementer": Sentence("{what} has no implementing unit", "{what}没有实施单位"),
    "stray_text.tail": Sentence("{text!r} ends with {tail!r}: left out", "“{text}”末尾的“{tail}”未读入"),
    "stray_text": Sentence("{printed!r}: {removed!r} is not part of the name; read as {name!r}",
                           "“{printed}”中的“{removed}”不是名称的一部分，读作“{name}”"),
    "alias": Sentence("{printed!r} read as {name!r} (alias)", "“{printed}”按别名读作“{name}”"),
    "bare_place": Sentence("{name!r} names a place, not a body: read as {body}",
                           "“{name}”是地名而不是单位，按“{body}”读入"),
    "inline_role": Sentence("{name!r}: {word!r} says the role; read as {bare!r}, {role} (in the {column} column)",
                            "“{name}”中的“{word}”说明了角色：读作“{bare}”，{role_zh}（在{column}列）"),
    "similar_names": Sentence("{a!r} (line {a_line}) and {b!r} look like one body: add an alias if they are",
                              "“{a}”（第{a_line}行）与“{b}”疑似同一单位，如是请加入别名表"),
    "run_together": Sentence("{name!r} reads as {count} names run together: {parts}; "
                             "separate them in the source (、 or a line break)",
                             "“{name}”像是{count}个名称连写：{parts}；请在源表中用、或换行分开"),
    "control_chars.title": Sentence("control characters {chars} removed from the title",
                                    "标题中的控制字符 {chars} 已删除"),
    "control_chars.title_format": Sentence("invisible format characters {chars} removed from the title",
                                           "标题中的不可见格式字符 {chars} 已删除"),
    "control_chars.title_both": Sentence("control and format characters {chars} removed from the title",
                                         "标题中的控制字符和格式字符 {chars} 已删除"),
    "control_chars": Sentence("control characters {chars} removed from {text!r}", "“{text}”中的控制字符 {chars} 已删除"),
    "control_chars.format": Sentence("invisible format characters {chars} removed from {text!r}",
                                     "“{text}”中的不可见格式字符 {chars} 已删除"),
    "control_chars.both": Sentence("control and format characters {chars} removed from {text!r}",
                                   "“{text}”中的控制字符和格式字符 {chars} 已删除"),
    "numbering_gap.one": Sentence("item numbers jump from {previous} to {next}: {missing} is missing",
                                  "序号从{previous}跳到{next}：缺第{missing}项"),
    "numbering_gap": Sentence("item numbers jump from {previous} to {next}: {missing} are missing",
                              "序号从{previous}跳到{next}：缺第{missing}项"),
    "numbering_order": Sentence("item {item} comes after item {previous}", "第{item}项排在第{previous}项之后"),
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


def what(item: str | None, part: int | None, lang: str = "en") -> str:
    """The item (and part) a note is about.

    >>> what("66", 2), what("66", 2, "zh"), what("51", None, "zh")
    ('item 66 part 2', '第66项第2部分', '第51项')
    """
    if lang == "zh":
        return f"第{item}项" + (f"第{part}部分" if part else "")
    return f"item {item}" + (f" part {part}" if part else "")


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
    return (sentence.zh if lang == "zh" else sentence.en).format(**values)
