"""Search by name, alias, number or a fragment of a title: the web's search box, one answer of the library.

The index (every unit, group, leader and item title) is built once per generation of the
store (:class:`~respgraph.graph.generation_cache.GenerationCache`): a write by any program
makes the next search build it again.
"""

from __future__ import annotations

import threading

from respgraph.answers.one_request import OneRequest
from respgraph.graph.generation_cache import GenerationCache

__all__ = ["names", "search", "search_index"]

#: One thread builds the index while the others wait for it: sixteen requests arriving after
#: an upload each built their own (seconds each on a province), and all waited on all.
_BUILDING = threading.Lock()


def names(store) -> list[tuple[str, str, str]]:
    """(label, city, name) of every unit, group and leader."""
    out = [("Unit", c, n) for c, n in store.names(("Unit", "UnitGroup"))]
    return out + [("Leader", c, n) for c, n in store.names(("Leader",))]


def search_index(store, cache: GenerationCache) -> dict:
    """Names and item titles to search, built once per generation of ``store`` (``cache``: the session's)."""
    with _BUILDING:
        return cache.get(
            store, ("search-index", store.engine, getattr(store, "path", None)), lambda: _build_index(store)
        )


def _build_index(store) -> dict:
    entries = [
        {"kind": "unit" if label == "Unit" else "leader", "city": city, "name": name}
        for label, city, name in names(store)
    ]
    items = [
        {
            "kind": "item",
            "city": i.get("city", ""),
            "document": i["document"],
            "number": i["number"],
            "attachment": i["attachment"],
            "title": i["title"],
        }
        for i in store.items()
    ]
    by_number: dict[str, list[dict]] = {}
    for i in items:
        by_number.setdefault(i["number"], []).append(i)
    aliases: dict[str, list] = {}
    for u in store.nodes(("Unit",)):
        for a in u.get("aliases") or ():
            aliases.setdefault(a, []).append((u.get("city", ""), u["name"]))
    return {"names": entries, "items": items, "by_number": by_number, "aliases": aliases}


def search(store, q: str, *, aliases, cache: GenerationCache, limit: int = 12, keep=None) -> list[dict]:
    """Units, leaders and items by name, alias (``aliases``: the session's list), number (``53``
    or ``1-53``) or a fragment of a title; ``keep`` (a hit → bool) drops what the reader may not
    see before the ``limit`` is counted.

    >>> from respgraph.ingest import sample_store
    >>> from respgraph.loaders.items.names import default_aliases
    >>> [h["name"] for h in search(sample_store(), "市发展改革委", aliases=default_aliases(), cache=GenerationCache())]
    ['市发展改革局']
    """
    from respgraph.graph.text import clean_name

    q = q.strip()
    if not q:
        return []
    index = search_index(store.whole() if isinstance(store, OneRequest) else store, cache)
    wanted = clean_name(q)
    canonical = aliases.resolve(wanted)
    hits: list[tuple[int, dict]] = []
    for e in index["names"]:
        name = e["name"]
        if name == wanted or name == canonical:
            hits.append((0, e))
        elif wanted and wanted in name:
            hits.append((1 + len(name) - len(wanted), e))
    for city, name in index["aliases"].get(wanted, ()):
        hits.append((0, {"kind": "unit", "city": city, "name": name, "alias": wanted}))
    number = q.replace("附件", "").strip()
    attachment, _, num = number.partition("-") if "-" in number else ("", "", number)
    if num.isdigit():
        hits += [
            (2, i) for i in index["by_number"].get(num, ()) if not attachment or str(i["attachment"]) == attachment
        ]
    if len(q) >= 2:
        hits += [(50, i) for i in index["items"] if q in i["title"]]
    hits.sort(
        key=lambda h: (h[0], h[1].get("city", ""), h[1].get("name") or h[1].get("document", ""), h[1].get("number", ""))
    )
    out, seen = [], set()
    for _, h in hits:
        key = (h["kind"], h.get("city"), h.get("name") or h.get("document"), h.get("number"))
        if key not in seen and (keep is None or keep(h)):
            seen.add(key)
            out.append(h)
        if len(out) >= limit:
            break
    return out
