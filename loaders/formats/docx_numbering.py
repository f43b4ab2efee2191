"""Word's automatic numbering: the number Word draws before a paragraph, computed.

In a .docx, an auto-numbered 序号 cell or ``（一）`` heading holds no digits: the
paragraph names a list (``w:numPr``: ``numId`` and level ``ilvl``, directly or
through its style) and Word counts.  The rules followed here are Word's
(ECMA-376 part 1, 17.9):

- a ``w:num`` points at an ``w:abstractNum`` holding the levels: ``w:start``,
  ``w:numFmt`` (decimal, chineseCounting, ideographTraditional …), ``w:lvlText``
  (``%1.``, ``（%1）``, ``%1.%2``), ``w:lvlRestart``, ``w:isLgl`` and ``w:suff``;
- lists that share an abstractNum share their counters, unless a ``w:num``
  overrides a level (``w:lvlOverride``, ``w:startOverride``): then it is a list of
  its own, starting at the override;
- numbering a level restarts the levels below it (unless ``w:lvlRestart`` says
  otherwise); ``numId`` 0 switches numbering off.

Paragraphs are numbered in document order, table cells included, as Word does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _attr(element, name: str, default=None):
    if element is None:
        return default
    value = element.get(f"{_W}{name}")
    return default if value is None else value


def _child_val(element, tag: str, default=None):
    return _attr(element.find(f"{_W}{tag}") if element is not None else None, "val", default)


def chinese_counting(n: int, digits: str = _CN_DIGITS, units: str = "十百千万") -> str:
    """A number in Chinese counting, as Word's ``chineseCounting`` writes it.

    >>> [chinese_counting(n) for n in (1, 10, 11, 20, 21, 100, 105, 110)]
    ['一', '十', '十一', '二十', '二十一', '一百', '一百零五', '一百一十']
    """
    if n <= 0:
        return str(n)
    if n >= 100000:
        return str(n)
    parts: list[str] = []
    zero = False
    for value, unit in ((10000, units[3]), (1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and parts:
                parts.append(digits[0])
            parts.append(digits[d] + unit)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith(digits[1] + units[0]) and digits is _CN_DIGITS else text


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 is AA, 28 BB.
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def format_number(n: int, fmt: str) -> str:
    """``n`` in one of Word's number formats (``w:numFmt``); an unknown format gives decimal.

    >>> [format_number(3, f) for f in ("decimal", "chineseCounting", "ideographTraditional",
    ...                                 "decimalEnclosedCircle", "lowerRoman", "upperLetter", "decimalZero")]
    ['3', '三', '丙', '③', 'iii', 'C', '03']
    """
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_counting(n)
    if fmt == "chineseLegalSimplified":
        return chinese_counting(n, _CN_LEGAL, "拾佰仟万")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("decimalEnclosedParen",) and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n) if fmt == "upperLetter" else _letters(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # restart after this level (1-based) is used; 0: never
    legal: bool = False  # isLgl: every level shown in decimal
    suffix: str = "tab"

    @classmethod
    def of(cls, lvl) -> Level:
        restart = _child_val(lvl, "lvlRestart")
        legal = lvl.find(f"{_W}isLgl")
        return cls(
            start=int(_child_val(lvl, "start", 1)),
            fmt=_child_val(lvl, "numFmt", "decimal"),
            text=_child_val(lvl, "lvlText", ""),
            restart=int(restart) if restart is not None else None,
            legal=legal is not None and _attr(legal, "val", "1") not in ("0", "false", "off"),
            suffix=_child_val(lvl, "suff", "tab"),
        )


@dataclass
class _List:
    levels: dict[int, Level]
    key: object  # lists sharing a key share counters
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level


class Numbering:
    """The numbering definitions of one document, and the counters as paragraphs go by.

    >>> import docx
    >>> numbering = Numbering.of(docx.Document())
    >>> numbering.label(docx.Document().add_paragraph("没有编号")._p)
    ''
    """

    def __init__(self, numbering_element=None, styles_element=None):
        self.lists: dict[str, _List] = {}
        self.counters: dict[object, dict[int, int]] = {}
        self.used = 0  # paragraphs numbered so far
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_base: dict[str, str] = {}
        if styles_element is not None:
            for style in styles_element.iter(f"{_W}style"):
                sid = _attr(style, "styleId")
                num = style.find(f"{_W}pPr/{_W}numPr")
                if num is not None:
                    ilvl = _child_val(num, "ilvl")
                    self.style_num[sid] = (_child_val(num, "numId"), int(ilvl) if ilvl is not None else None)
                base = _child_val(style, "basedOn")
                if base:
                    self.style_base[sid] = base
        if numbering_element is None:
            return
        abstracts = {_attr(a, "abstractNumId"): a for a in numbering_element.iter(f"{_W}abstractNum")}
        nums = {_attr(n, "numId"): n for n in numbering_element.iter(f"{_W}num")}
        for num_id, num in nums.items():
            abstract_id = _child_val(num, "abstractNumId")
            abstract = abstracts.get(abstract_id)
            link = _child_val(abstract, "numStyleLink") if abstract is not None else None
            if link and link in self.style_num:  # the levels live in the numbering style's list
                linked = nums.get(self.style_num[link][0])
                abstract_id = _child_val(linked, "abstractNumId") if linked is not None else abstract_id
                abstract = abstracts.get(abstract_id, abstract)
            levels = (
                {int(_attr(lvl, "ilvl", 0)): Level.of(lvl) for lvl in abstract.iter(f"{_W}lvl")}
                if abstract is not None
                else {}
            )
            starts = {}
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = int(_attr(override, "ilvl", 0))
                start = _child_val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = int(start)
                lvl = override.find(f"{_W}lvl")
                if lvl is not None:
                    levels[ilvl] = Level.of(lvl)
            key = ("num", num_id) if num.find(f"{_W}lvlOverride") is not None else ("abstract", abstract_id)
            self.lists[num_id] = _List(levels, key, starts)

    @classmethod
    def of(cls, document) -> Numbering:
        """The numbering of a python-docx Document (none when it has no numbering part)."""
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        try:
            styles = document.part.styles.element if hasattr(document.part.styles, "element") else None
        except (KeyError, NotImplementedError, AttributeError):
            styles = None
        return cls(numbering, styles)

    def _num_pr(self, p) -> tuple[str | None, int]:
        num = p.find(f"{_W}pPr/{_W}numPr")
        num_id = _child_val(num, "numId") if num is not None else None
        ilvl = _child_val(num, "ilvl") if num is not None else None
        style = _child_val(p.find(f"{_W}pPr"), "pStyle")
        seen = set()
        while (num_id is None or ilvl is None) and style and style not in seen:
            seen.add(style)
            style_id, style_lvl = self.style_num.get(style, (None, None))
            num_id = num_id if num_id is not None else style_id
            ilvl = ilvl if ilvl is not None else style_lvl
            style = self.style_base.get(style)
        return num_id, int(ilvl) if ilvl is not None else 0

    def label(self, p) -> str:
        """The number Word draws before paragraph ``p`` (a ``w:p`` element), counted; '' for none."""
        num_id, ilvl = self._num_pr(p)
        if num_id is None or num_id == "0" or num_id not in self.lists:
            return ""
        lst = self.lists[num_id]
        level = lst.levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(lst.key, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else lst.starts.get(ilvl, level.start)
        for deeper in [k for k in counters if k > ilvl]:
            restart = lst.levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[deeper]
        self.used += 1
        text = level.text
        for k in range(9, -1, -1):  # %10 is not a thing; go high to low so %1 does not eat %10
            if f"%{k + 1}" not in text:
                continue
            other = lst.levels.get(k, Level())
            value = counters.get(k, lst.starts.get(k, other.start))
            fmt = "decimal" if level.legal and other.fmt != "none" else other.fmt
            text = text.replace(f"%{k + 1}", format_number(value, fmt))
        if not text:
            return ""
        # Word puts a tab or a space after the number; after Chinese punctuation （一） a
        # gap is no part of the text as one would type it.
        if level.suffix == "nothing" or (not text[-1].isalnum() and ord(text[-1]) > 0x2000):
            return text
        return text + " "
