"""Names as the tables print them, made into the names of bodies.

A cell such as ``霞山区、麻章区政府，市 发展改革委`` names three bodies:
霞山区政府, 麻章区政府 and (through an alias) 市发展改革局.  This module undoes
the print: NFKC, line-wrap spaces, bracket-aware splitting, the shared suffix,
aliases, and tells units from the collective names of groups.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from respgraph.graph.text import clean_name

SEPARATORS = "、，,;；"
_OPEN, _CLOSE = "（(", "）)"
_SPACES = re.compile(r"\s+")
_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("a") + i for i in range(26)},
    0x3000: " ",
}
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])[ \t]+(?=[^\x00-\x7f])")


def clean_text(raw: str) -> str:
    """Prose from a cell: full-width digits made ASCII, <p> tags gone, spaces only where they separate words.

    Spaces between two Chinese characters are line wraps; spaces around numbers
    (``推进 542 个``) are kept as printed.

    >>> clean_text("<p>新增科技孵化器 １ 家、众创 空间</p> <p>第一季度：</p>")
    '新增科技孵化器 1 家、众创空间 第一季度：'
    """
    # Not NFKC: that would turn Chinese punctuation (，；（）) into ASCII in prose.
    text = raw.translate(_FULLWIDTH_ALNUM)
    text = re.sub(r"</?p>", "\n", text)  # a paragraph break is a real gap, kept
    text = _CJK_GAP.sub("", text)
    return _SPACES.sub(" ", text).strip()


_LINE_BREAK = re.compile(r"</?p>|<br\s*/?>", re.IGNORECASE)
#: Line breaks a cell can hold (Excel's Alt+Enter, Word paragraphs, \u2028 …).
_BREAKS = "\n\r\u2028\u2029\x0b\x0c\x85"
#: How the name of a body ends; a gap after such an ending starts the next name.
_BODY_END = re.compile(
    r"(局|委|办|政府|公司|中心|院|会|队|所|部|站|处|厅|署|行|社|馆|室|集团|海关|大学|学校|医院|单位|机构)$")


_NEXT_NAME = re.compile(f"[{re.escape(SEPARATORS + _BREAKS)}]")
#: How the name of a body starts, when a single space is the only separator.
_NAME_START = "市县区省镇乡各相"


class NameTooLong(ValueError):
    """A name past the ``name_chars`` limit; the caller knows the file, line and cell."""

    def __init__(self, name: str, length: int):
        self.name, self.length = name, length
        super().__init__(f"a name of {length:,} characters ({name[:20]!r}…)")


def split_cell(raw: str, max_chars: int | None = None) -> list[str]:
    r"""Split a cell into names, then undo shared suffixes.

    Names are separated by ``、，,;；`` and line breaks outside brackets, and by a
    run of spaces between two whole names (``市财政局  市商务局``); a space inside a
    name is a line wrap (``市人力资源 社会保障局``) and is dropped.

    >>> split_cell("霞山区、麻章区政府，市自然资源局")
    ['霞山区政府', '麻章区政府', '市自然资源局']
    >>> split_cell("各县（市、区）政府（管委会）、市档案局")
    ['各县（市、区）政府（管委会）', '市档案局']
    >>> split_cell("县水务局\n县住建局\r\n县护城河指挥部")
    ['县水务局', '县住建局', '县护城河指挥部']
    >>> split_cell("市财政局  湛江海关 市商务局；市人力资源社会 保障局")
    ['市财政局', '湛江海关', '市商务局', '市人力资源社会保障局']

    A name longer than ``max_chars`` (the ``name_chars`` limit) raises
    :class:`NameTooLong` as soon as it is seen, before any work grows with it.
    """
    if max_chars is None:
        from respgraph.graph.limits import limits

        max_chars = limits().name_chars
    text = unicodedata.normalize("NFKC", _LINE_BREAK.sub("\n", raw))
    parts, depth, current = [], 0, []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in SEPARATORS or ch in _BREAKS):
            parts.append("".join(current))
            current = []
        elif depth == 0 and ch.isspace():
            if len(current) > max_chars:  # checked here: a name is cleaned at each gap
                _too_long(current)
            j = i
            while j < len(text) and text[j].isspace() and text[j] not in _BREAKS:
                j += 1
            # Two or more spaces (or a tab) part two names; one space does only when a
            # whole name stands before it and a new one visibly starts after it.
            wide = j - i > 1 or "\t" in text[i:j] or "\u3000" in text[i:j]
            after = text[j:j + 1]
            if after and _BODY_END.search(clean_name("".join(current))) and (
                    (wide and "\u4e00" <= after <= "\u9fff") or after in _NAME_START):
                parts.append("".join(current))
                current = []
            i = j
            continue
        else:
            current.append(ch)
            if len(current) > max_chars:  # stopped here: a 19 MB cell is never held as a list of characters
                end = _NEXT_NAME.search(text, i + 1)
                _too_long("".join(current) + text[i + 1:end.start() if end else len(text)])
        i += 1
    parts.append("".join(current))
    names = [p for p in (clean_name(p) for p in parts) if p]
    for name in names:
        if len(name) > max_chars:
            _too_long(name)
    return _share_suffixes(names)


def _too_long(name) -> None:
    text = "".join(name)
    raise NameTooLong(clean_name(text[:60]), len(text))


_BARE_PLACE = re.compile(r"^[^市各相]{1,8}[区县市]$")
_PLACE_BODY = re.compile(r"^([^市各相]{1,8}[区县市])(政府|人民政府|管委会)$")


def _share_suffixes(parts: list[str]) -> list[str]:
    """``赤坎区、霞山区政府`` lists places that share the last one's suffix."""
    out = list(parts)
    pending: list[int] = []
    for i, part in enumerate(parts):
        if _BARE_PLACE.match(part):
            pending.append(i)
            continue
        m = _PLACE_BODY.match(part)
        if m and pending:
            for j in pending:
                out[j] = parts[j] + m.group(2)
        pending = []
    return out


_FILLER = re.compile(r"有限|人民|和|股份")
_BODY_SUFFIX = re.compile(r"(委员会|公司|局|委|办)$")


def name_core(name: str) -> str:
    """A name without the words spellings of one body differ in, to compare names.

    >>> name_core("市发展改革委") == name_core("市发展改革局")
    True
    >>> name_core("市旅游控股集团有限公司") == name_core("市旅游控股集团公司")
    True
    """
    return _BODY_SUFFIX.sub("", _FILLER.sub("", name))


_GROUP = re.compile(r"^(各|相关)|有关|成员单位$")


def is_group_name(name: str) -> bool:
    """A collective name rather than one body.

    >>> [is_group_name(n) for n in ["市各有关单位", "各医疗机构", "市有关部门", "市档案局"]]
    [True, True, True, False]
    """
    return bool(_GROUP.search(name))


@dataclass(frozen=True)
class City:
    """What a loader must know about one city (``loaders/data/cities.toml``)."""

    name: str
    districts: dict[str, str]  # name -> kind
    zones: tuple[str, ...]
    stationed: frozenset[str]

    def governments(self) -> dict[str, str]:
        """The unit that governs each district or zone: unit name -> district name."""
        out = {f"{d}政府": d for d in self.districts}
        out.update({f"{z}管委会": z for z in self.zones})
        return out

    def group_members(self, group: str) -> list[str] | None:
        """Members of a group whose membership the name itself fixes, else None.

        ``各县（市、区）政府`` is every county-level government, and with
        ``（管委会）`` every zone committee too; ``相关…`` names only some, unknown.
        """
        if not group.startswith("各县（市、区）政府"):
            return None
        members = [f"{d}政府" for d in self.districts]
        if "管委会" in group:
            members += [f"{z}管委会" for z in self.zones]
        return members

    def unit_kind(self, name: str) -> str:
        if name in self.stationed:
            return "stationed_agency"
        if name.endswith("管委会"):
            return "zone_committee"
        m = _PLACE_BODY.match(name)
        if m and m.group(2) != "管委会":
            return "county_government"
        if re.search(r"公司|集团|产业园", name):
            return "enterprise"
        if re.search(r"学校|学院|大学|医院|一中|实验室|组委会", name):
            return "other"
        if name.startswith(("市", "团市委")):
            return "city_department"
        return "other"


def load_cities(extra: Path | None = None) -> dict[str, City]:
    data = tomllib.loads(resources.files("respgraph.loaders").joinpath("data/cities.toml").read_text("utf-8"))
    if extra is not None:
        data.update(tomllib.loads(extra.read_text("utf-8")))
    return {
        name: City(
            name=name,
            districts={d["name"]: d["kind"] for d in spec.get("districts", [])},
            zones=tuple(spec.get("zones", [])),
            stationed=frozenset(spec.get("stationed", [])),
        )
        for name, spec in data.items()
    }


@dataclass
class Aliases:
    """Spellings of one body: variant -> canonical, with where each entry came from."""

    canonical: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> str:
        """The canonical name of ``name`` (cleaned), or ``name`` itself.

        >>> default_aliases().resolve("市 发展改革委")
        '市发展改革局'
        """
        name = clean_name(name)
        return self.canonical.get(name, name)

    def add_file(self, path: Path | str, text: str | None = None) -> None:
        text = Path(path).read_text("utf-8") if text is None else text
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            from respgraph.graph.errors import LoadError

            raise LoadError(str(path), f"not a valid alias file: {exc}") from None
        for canonical, variants in table.items():
            canonical = clean_name(canonical)
            if isinstance(variants, str):
                variants = [variants]
            for variant in variants:
                self.canonical[clean_name(variant)] = canonical
                self.source[clean_name(variant)] = str(path)
            # A canonical name that was itself a variant before is canonical now.
            self.canonical.pop(canonical, None)

    def variants(self, canonical: str) -> tuple[str, ...]:
        return tuple(sorted(v for v, c in self.canonical.items() if c == canonical))

    def entries(self) -> list[tuple[str, str, str]]:
        """(variant, canonical, file) for every alias, sorted by canonical name."""
        return sorted(
            ((v, c, self.source[v]) for v, c in self.canonical.items()), key=lambda r: (r[1], r[0])
        )


def default_aliases(user_file: Path | None = None) -> Aliases:
    """The shipped alias list, extended by the user's alias file when it exists."""
    aliases = Aliases()
    shipped = resources.files("respgraph.loaders").joinpath("data/aliases.toml")
    aliases.add_file("aliases.toml (shipped)", shipped.read_text("utf-8"))
    if user_file is not None and user_file.exists():
        aliases.add_file(user_file)
    return aliases
