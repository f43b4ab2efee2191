"""How responsibilities changed between two documents, typically two years of one city.

Items are matched by title, since numbers and wording move between years: titles
are compared after numbers and punctuation are set aside (``推进 542 个重点项目``
and ``推进 600 个重点项目`` are one task), by :class:`difflib.SequenceMatcher`
ratio; the most alike pair is matched first, each item at most once, and pairs
below ``threshold`` are not matched.  For each matched pair the answer lists the
units added and dropped per role (on the item or any of its sub-items) and the
leaders before and after.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel, ConfigDict

from respgraph.graph.protocol import GraphStore
from respgraph.graph.text import clean_name
from respgraph.graph.vocabulary import ROLE_OF_EDGE, ROLES
from respgraph.queries.lookup import find_document, item_ref, item_sort_key
from respgraph.queries.rows import ItemRef, RoleUnits

__all__ = ["diff_documents", "title_similarity", "DocumentDiff", "ItemDiff", "SIMILAR"]

#: Default: how alike two titles must be to count as one task.
SIMILAR = 0.6
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PUNCT = re.compile(r"[，。、；：！？“”‘’《》（）【】,.;:!?\"'()\[\]<>%％\-—~～·]")


class ItemDiff(BaseModel):
    """One task in either document: ``changed``, ``same``, ``dropped`` (only in A) or ``new`` (only in B)."""

    model_config = ConfigDict(frozen=True)
    status: str
    a: ItemRef | None
    b: ItemRef | None
    similarity: float
    added: RoleUnits
    dropped: RoleUnits
    leaders_before: list[str]
    leaders_after: list[str]


class DocumentDiff(BaseModel):
    model_config = ConfigDict(frozen=True)
    a: str
    b: str
    threshold: float
    items: list[ItemDiff]

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)


def normal_title(title: str) -> str:
    """A title as compared: no spaces, numbers as ``#``, no punctuation.

    >>> normal_title("推进 542 个重点项目建设, 年度计划投资约 1028 亿元")
    '推进#个重点项目建设年度计划投资约#亿元'
    """
    return _PUNCT.sub("", _NUMBER.sub("#", clean_name(title)))


def title_similarity(a: str, b: str) -> float:
    """How alike two titles are, 0 to 1.

    >>> title_similarity("推进 542 个重点项目建设", "推进 600 个重点项目建设")
    1.0
    >>> round(title_similarity("加快建设宝满港区铁路专用线", "建成宝满港区铁路专用线"), 2)
    0.83
    """
    return SequenceMatcher(None, normal_title(a), normal_title(b), autojunk=False).ratio()


def diff_documents(
    store: GraphStore, a: str, b: str, *, threshold: float = SIMILAR, same_body: Callable[[str], str] | None = None
) -> DocumentDiff:
    """Items of document ``a`` matched to those of ``b``, with the units and leaders that changed.

    ``a`` and ``b`` name documents in any form
    :func:`~respgraph.queries.lookup.find_document` takes (``湛江市/2023/1``, a full
    key, a unique prefix or a fragment of the title).  ``same_body`` maps a unit's
    name to the one it is compared by (the alias list of every city, as the CLI
    passes it: one city may print a bureau two ways in two years, issue 22); the
    answer names units that way.

    Examples
    --------
    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> store = SqliteStore()
    >>> for year in (2023, 2024):
    ...     for table in read_tables(sample_path(), year=year):
    ...         store.write(table.to_batch())
    >>> d = diff_documents(store, "湛江市/2023/1", "湛江市/2024/1")
    >>> len(d.items), d.count("same")
    (100, 100)
    """
    docs = store.documents()
    a, b = (find_document(docs, k) for k in (a, b))
    before, after = _items(store, a, same_body), _items(store, b, same_body)
    pairs = _match(before, after, threshold)
    out = []
    for ka, kb, score in pairs:
        x, y = before[ka], after[kb]
        added = {r: sorted(y["units"][r] - x["units"][r]) for r in ROLES}
        dropped = {r: sorted(x["units"][r] - y["units"][r]) for r in ROLES}
        same = not any(added.values()) and not any(dropped.values()) and x["leaders"] == y["leaders"]
        out.append(_row("same" if same else "changed", x, y, score, added, dropped))
    matched_a, matched_b = {p[0] for p in pairs}, {p[1] for p in pairs}
    out += [_row("dropped", x, None, 0.0, {}, _sorted(x["units"])) for k, x in before.items() if k not in matched_a]
    out += [_row("new", None, y, 0.0, _sorted(y["units"]), {}) for k, y in after.items() if k not in matched_b]
    out.sort(key=lambda r: (item_sort_key(r.a) if r.a else ("~",), item_sort_key(r.b) if r.b else ()))
    return DocumentDiff(a=a, b=b, threshold=threshold, items=out)


def _sorted(units: dict[str, set]) -> dict[str, list[str]]:
    return {r: sorted(units[r]) for r in ROLES}


def _row(status, x, y, score, added, dropped) -> ItemDiff:
    return ItemDiff(
        status=status,
        a=ItemRef(**item_ref(x["item"])) if x else None,
        b=ItemRef(**item_ref(y["item"])) if y else None,
        similarity=round(score, 3),
        added=RoleUnits(**added),
        dropped=RoleUnits(**dropped),
        leaders_before=sorted(x["leaders"]) if x else [],
        leaders_after=sorted(y["leaders"]) if y else [],
    )


def _match(before: dict, after: dict, threshold: float) -> list[tuple[str, str, float]]:
    """One-to-one pairs, most alike first (greedy: explainable, and optimal when titles are distinct)."""
    titles_a = {k: normal_title(v["item"]["title"]) for k, v in before.items()}
    titles_b = {k: normal_title(v["item"]["title"]) for k, v in after.items()}
    scored = []
    for ka, ta in titles_a.items():
        for kb, tb in titles_b.items():
            m = SequenceMatcher(None, ta, tb, autojunk=False)
            if m.real_quick_ratio() >= threshold and m.quick_ratio() >= threshold:
                score = m.ratio()
                if score >= threshold:
                    scored.append((-score, item_sort_key(before[ka]["item"]), item_sort_key(after[kb]["item"]), ka, kb))
    pairs, used_a, used_b = [], set(), set()
    for neg, _, _, ka, kb in sorted(scored):
        if ka not in used_a and kb not in used_b:
            used_a.add(ka)
            used_b.add(kb)
            pairs.append((ka, kb, -neg))
    return pairs


def _items(store: GraphStore, document: str, same_body: Callable[[str], str] | None = None) -> dict[str, dict]:
    """item key -> {"item": props, "units": {role: names}, "leaders": names} over the item and its parts."""
    same = same_body or (lambda name: name)
    out: dict[str, dict[str, Any]] = {
        i["key"]: {"item": i, "units": defaultdict(set), "leaders": set()} for i in store.items([document])
    }
    for r in store.roles(documents=[document]):
        out[r["item"]]["units"][ROLE_OF_EDGE[r["type"]]].add(same(r["name"]))
    for o in store.oversight(documents=[document]):
        out[o["item"]]["leaders"].add(o["name"])
    return out
