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
_FULLWIDTH_ALNUM: dict[int, int | str] = {
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
    r"(局|委|办|政府|公司|中心|院|会|队|所|部|站|处|厅|署|行|社|馆|室|集团|海关|大学|学校|医院|单位|机构)$"
)


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
    parts: list[str] = []
    seps: list[str] = []
    current: list[str] = []
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in SEPARATORS or ch in _BREAKS):
            parts.append("".join(current))
            seps.append(ch)
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
            after = text[j : j + 1]
            if (
                after
                and _BODY_END.search(clean_name("".join(current)))
                and ((wide and "\u4e00" <= after <= "\u9fff") or after in _NAME_START)
            ):
                parts.append("".join(current))
                seps.append(" ")
                current = []
            i = j
            continue
        else:
            current.append(ch)
            if len(current) > max_chars:  # stopped here: a 19 MB cell is never held as a list of characters
                end = _NEXT_NAME.search(text, i + 1)
                _too_long("".join(current) + text[i + 1 : end.start() if end else len(text)])
        i += 1
    parts.append("".join(current))
    seps.append("")
    cleaned = [(clean_name(p), s) for p, s in zip(parts, seps)]
    for name, _ in cleaned:
        if len(name) > max_chars:
            _too_long(name)
    return _share_suffixes(_join_groups(cleaned))


def _too_long(name) -> None:
    text = "".join(name)
    raise NameTooLong(clean_name(text[:60]), len(text))


#: A collective name printed as a list of kinds of place: 各市、县（区）人民政府, 各镇、街道.
_GROUP_HEAD = re.compile(r"^(各|相关)[^（()）]{1,3}$")


def _join_groups(parts: list[tuple[str, str]]) -> list[str]:
    """Parts separated by 、 that together name one group stay one name.

    ``各市`` or ``各镇`` is no body by itself: with the 、 after it, it opens a group
    name that runs on until a part names a body (``县（区）人民政府``), a city
    department (``市…``) or a part that is no short kind of place.

    >>> _join_groups([("各市", "、"), ("县（区）人民政府", "、"), ("市财政局", "")])
    ['各市、县（区）人民政府', '市财政局']
    >>> _join_groups([("各镇", "、"), ("街道", "，"), ("市财政局", "")])
    ['各镇、街道', '市财政局']
    """
    out: list[str] = []
    joining = False
    for name, sep in parts:
        if joining and name and not name.startswith(("市", "各", "相关")) and len(name) <= 12:
            out[-1] += "、" + name
        elif name:
            out.append(name)
        else:
            joining = False
            continue
        open_group = bool(_GROUP_HEAD.match(out[-1].split("、")[0])) and not _BODY_END.search(out[-1])
        joining = sep == "、" and open_group
    return out


#: Text after a name that is not part of it: a full stop, or 等 (等单位, 等部门 …).
_STRAY_TAIL = re.compile(r"(?:[。.，,；;、:：]+|等(?:单位|部门|相关单位|有关单位)?)$")
#: A role said inline after a name (市教育局牵头, 市妇联协助落实, 市体育局（配合）).
_INLINE_ROLE = re.compile(
    r"^(?P<name>.+?)[（(]?(?P<word>牵头|负责|主责|配合|协助|协办|参与|协同)(?:落实|实施|推进|完成|抓好)?[）)]?$"
)
INLINE_ROLE = {
    "牵头": "lead",
    "负责": "lead",
    "主责": "lead",
    "配合": "assist",
    "协助": "assist",
    "协办": "assist",
    "参与": "assist",
    "协同": "assist",
}


def strip_stray(name: str) -> tuple[str, str]:
    """A unit name without stray text after it, and the text taken away ('' when none).

    >>> strip_stray("市财政局。"), strip_stray("市商务局等单位"), strip_stray("市统计局")
    (('市财政局', '。'), ('市商务局', '等单位'), ('市统计局', ''))
    """
    removed = ""
    while (m := _STRAY_TAIL.search(name)) and m.start() > 0:
        removed = m.group(0) + removed
        name = name[: m.start()]
    return name, removed


def inline_role(name: str) -> tuple[str, str | None]:
    """A name with a role said after it (``市体育局配合``): the clean name and the role.

    Only when what stands before the role word is a whole body's name, so a body
    whose own name holds such a word keeps it.

    >>> inline_role("市教育局牵头"), inline_role("市妇联协助落实"), inline_role("市财政局")
    (('市教育局', 'lead'), ('市妇联', 'assist'), ('市财政局', None))
    """
    m = _INLINE_ROLE.match(name)
    if not m or not (_BODY_END.search(m.group("name")) or m.group("name").endswith(("联", "联合会"))):
        return name, None
    return m.group("name"), INLINE_ROLE[m.group("word")]


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
    """Spellings of one body: variant -> canonical, with where each entry came from.

    An entry under a city's table (``["湛江市"]`` in the file) joins spellings of that
    city only: aliases learned from one city's tables never rename another city's
    bodies (茂名市 may call its bureau 市住房城乡建设局).  Entries at the top of a file
    apply to every city.
    """

    canonical: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    #: city -> {variant: canonical}, and where each came from.
    of_city: dict[str, dict[str, str]] = field(default_factory=dict)
    city_source: dict[tuple[str, str], str] = field(default_factory=dict)

    def resolve(self, name: str, city: str | None = None) -> str:
        """The canonical name of ``name`` (cleaned) in ``city``, or ``name`` itself.

        >>> default_aliases().resolve("市 发展改革委", "湛江市")
        '市发展改革局'
        >>> default_aliases().resolve("市住房城乡建设局", "茂名市")
        '市住房城乡建设局'
        """
        name = clean_name(name)
        if city is not None and name in self.of_city.get(city, {}):
            return self.of_city[city][name]
        return self.canonical.get(name, name)

    def add_file(self, path: Path | str, text: str | None = None) -> None:
        text = Path(path).read_text("utf-8") if text is None else text
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            from respgraph.graph.errors import LoadError

            raise LoadError(str(path), f"not a valid alias file: {exc}") from None
        for canonical, variants in table.items():
            if isinstance(variants, dict):  # ["湛江市"]: that city's spellings
                self._add(variants, str(path), clean_name(canonical))
            else:
                self._add({canonical: variants}, str(path), None)

    def _add(self, table: dict, path: str, city: str | None) -> None:
        mapping = self.canonical if city is None else self.of_city.setdefault(city, {})
        for canonical, variants in table.items():
            canonical = clean_name(canonical)
            if isinstance(variants, str):
                variants = [variants]
            for variant in variants:
                mapping[clean_name(variant)] = canonical
                if city is None:
                    for scoped in self.of_city.values():  # a later file re-points a spelling everywhere
                        scoped.pop(clean_name(variant), None)
                    self.source[clean_name(variant)] = path
                else:
                    self.city_source[(city, clean_name(variant))] = path
            # A canonical name that was itself a variant before is canonical now.
            mapping.pop(canonical, None)

    def anywhere(self, name: str) -> str:
        """The canonical name of ``name`` by any city's entries, to compare names (never to rename).

        >>> default_aliases().anywhere("市住房城乡建设局")
        '市住房和城乡建设局'
        """
        name = clean_name(name)
        for city in sorted(self.of_city):
            if name in self.of_city[city]:
                return self.of_city[city][name]
        return self.canonical.get(name, name)

    def canonical_names(self, city: str | None = None) -> set[str]:
        """Every canonical name that applies in ``city``."""
        return set(self.canonical.values()) | set((self.of_city.get(city, {}) if city else {}).values())

    def variants(self, canonical: str, city: str | None = None) -> tuple[str, ...]:
        found = {v for v, c in self.canonical.items() if c == canonical}
        found |= {v for v, c in (self.of_city.get(city, {}) if city else {}).items() if c == canonical}
        return tuple(sorted(found))

    def entries(self) -> list[tuple[str, str, str]]:
        """(variant, canonical, file) for every alias that applies everywhere, sorted by canonical name."""
        return sorted(((v, c, self.source[v]) for v, c in self.canonical.items()), key=lambda r: (r[1], r[0]))

    def city_entries(self) -> list[tuple[str, str, str, str]]:
        """(variant, canonical, city, file) for every alias; city is '' where it applies everywhere."""
        rows = [(v, c, "", self.source[v]) for v, c in self.canonical.items()]
        rows += [
            (v, c, city, self.city_source[(city, v)]) for city, table in self.of_city.items() for v, c in table.items()
        ]
        return sorted(rows, key=lambda r: (r[2], r[1], r[0]))


def default_aliases(user_file: Path | None = None) -> Aliases:
    """The shipped alias list, extended by the user's alias file when it exists."""
    aliases = Aliases()
    shipped = resources.files("respgraph.loaders").joinpath("data/aliases.toml")
    aliases.add_file("aliases.toml (shipped)", shipped.read_text("utf-8"))
    if user_file is not None and user_file.exists():
        aliases.add_file(user_file)
    return aliases
