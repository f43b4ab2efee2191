"""Finding things by name, and the item fields every answer carries, in both stores."""

from __future__ import annotations

import difflib

from respgraph.graph.errors import AmbiguousName, UnknownDocument, UnknownName
from respgraph.graph.text import clean_name
from respgraph.graph.vocabulary import LABEL_WORD
from respgraph.queries.rows import ItemRef

_LISTING = {"Unit": "respgraph units", "Leader": "respgraph leaders"}


def item_sort_key(ref) -> tuple:
    number = ref.number if hasattr(ref, "number") else ref["number"]
    doc = ref.document if hasattr(ref, "document") else ref["document"]
    return (doc, int(number) if number.isdigit() else 10**9, number)


def suggest(name: str, known: list[str], n: int = 5) -> list[str]:
    """Known names that contain the asked-for one, then the closest spellings.

    >>> suggest("自然资源局", ["市自然资源局", "市财政局"])
    ['市自然资源局']
    >>> suggest("王小明", ["何嘉旻", "王中丙", "黄明忠"], n=2)
    ['王中丙', '黄明忠']
    """
    contains = sorted((k for k in known if name and name in k), key=len)
    close = difflib.get_close_matches(name, known, n=n, cutoff=0.5)
    if not contains and not close:
        # Nothing close: still the few nearest, so a misremembered name finds its way.
        scored = sorted(((difflib.SequenceMatcher(None, name, k).ratio(), k) for k in known), key=lambda x: -x[0])
        close = [k for r, k in scored[:3] if r > 0]
    out: list[str] = []
    for k in [*contains, *close]:
        if k not in out:
            out.append(k)
    return out[:n]


def split_qualified(name: str) -> tuple[str | None, str]:
    """``茂名市:市财政局`` is 市财政局 of 茂名市; a name without ``:`` has no city.

    >>> split_qualified("茂名市：市财政局"), split_qualified("市财政局")
    (('茂名市', '市财政局'), (None, '市财政局'))
    """
    for sep in (":", "："):
        city, found, rest = name.partition(sep)
        if found and city.strip() and rest.strip():
            return clean_name(city), rest.strip()
    return None, name


def asked_name(aliases, raw: str, *, city: str | None = None) -> str:
    """A name as a person asked for it, through ``aliases``: ``city:name`` keeps its city and
    is read with that city's own spellings too, as is a bare name asked with the ``city`` given
    apart (``--city``, ``?city=``); a bare name alone with the spellings every city shares (the
    stores find the rest among each unit's aliases).  The CLI and the web ask this.

    >>> from respgraph.loaders.items.names import default_aliases
    >>> asked_name(default_aliases(), "湛江市:市 发展改革委"), asked_name(default_aliases(), "市财政局")
    ('湛江市:市发展改革局', '市财政局')
    >>> asked_name(default_aliases(), "市 发展改革委", city="湛江市")
    '市发展改革局'
    """
    qualified, bare = split_qualified(raw)
    name = aliases.resolve(bare, qualified or city)
    return f"{qualified}:{name}" if qualified else name


def city_of_document(key: str) -> str:
    """The jurisdiction in a document key (``doc:湛江市/2023/1-b6a81b`` → 湛江市)."""
    return key.removeprefix("doc:").split("/", 1)[0]


def find_document(documents: list[dict], selector: str) -> str:
    """The key of the one document ``selector`` names: its key with or without
    ``doc:``, the key without its digest (``湛江市/2023/1``), a unique prefix, or a
    fragment of its title.  None or several: :class:`UnknownDocument`.

    >>> docs = [{"key": "doc:湛江市/2023/1-b6a81b", "title": "重点督办事项分解表"},
    ...         {"key": "doc:湛江市/2023/2-a4a381", "title": "10 件民生实事责任分工表"}]
    >>> find_document(docs, "湛江市/2023/1"), find_document(docs, "民生实事")
    ('doc:湛江市/2023/1-b6a81b', 'doc:湛江市/2023/2-a4a381')
    """
    wanted = "doc:" + selector.strip().removeprefix("doc:")
    keys = [d["key"] for d in documents]
    tests = (
        lambda d: d["key"] == wanted,
        lambda d: d["key"].rsplit("-", 1)[0] == wanted,
        lambda d: d["key"].startswith(wanted),
        lambda d: clean_name(selector) in clean_name(d.get("title", "")),
    )
    for test in tests:
        hits = [d for d in documents if test(d)]
        if len(hits) == 1:
            return hits[0]["key"]
        if hits:
            listed = "; ".join(f"{d['key']} ({d.get('title', '')})" for d in hits[:8])
            raise UnknownDocument(
                selector, f"{selector!r} matches {len(hits)} documents: {listed}; give more of the key"
            )
    close = suggest(wanted, keys, n=5)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise UnknownDocument(selector, f"no document {selector!r} is loaded{hint} (`respgraph documents` lists them)")


def scope(store, *, city: str | None = None, documents: list[str] | None = None) -> list[str] | None:
    """The document keys a question covers: those ``documents`` name (any form
    :func:`find_document` takes), narrowed to ``city``; None for everything.

    An unknown city or document is an error, never an empty answer.
    """
    if city is None and not documents:
        return None
    keys = None
    if documents:
        docs = store.documents()
        keys = list(dict.fromkeys(find_document(docs, s) for s in documents))
    if city is not None:
        city = clean_name(city)
        of_city = [d["key"] for d in store.documents(city=city)]  # one city's documents, from an index
        if not of_city:
            cities = sorted({d.get("city", "") for d in store.documents()})
            raise UnknownName("city", city, suggest(city, cities), listing="respgraph documents")
        if keys is not None and not set(keys) & set(of_city):
            raise UnknownDocument(city, f"none of the documents asked for ({', '.join(keys)}) is of {city}")
        keys = of_city if keys is None else [k for k in keys if k in of_city]
    return keys


def asked(name: str, *, city: str | None = None, documents: list[str] | None = None) -> tuple[str, set[str] | None]:
    """The bare name to look up and the jurisdictions the question allows (None: every one):
    ``city``, the cities of ``documents`` (keys), and the city of a qualified name.

    >>> asked("茂名市:市财政局", documents=["doc:茂名市/2023/1-ab12cd"])
    ('市财政局', {'茂名市'})
    """
    qualified, bare = split_qualified(name)
    allowed: set[str] | None = None
    for narrowing in (
        {qualified} if qualified else None,
        {clean_name(city)} if city else None,
        {city_of_document(k) for k in documents} if documents is not None else None,
    ):
        if narrowing is not None:
            allowed = narrowing if allowed is None else allowed & narrowing
    return clean_name(bare), allowed


def resolve(
    store, name: str, labels: tuple[str, ...], *, city: str | None = None, documents: list[str] | None = None
) -> list[dict]:
    """Every node with ``labels`` called ``name`` (or having it as an alias), in
    every jurisdiction the question allows: ``city``, the cities of ``documents``
    (keys), and the city of a qualified name (``茂名市:市财政局``).

    Raises :class:`UnknownName` with the closest known names when there are none.
    """
    wanted, allowed = asked(name, city=city, documents=documents)
    return in_scope(store, store.find(wanted, labels), wanted, labels, allowed)


def in_scope(store, found: list[dict], wanted: str, labels: tuple[str, ...], allowed: set[str] | None) -> list[dict]:
    """Of the nodes ``found`` under the name ``wanted`` (as :meth:`GraphStore.find` gives them), those
    of the ``allowed`` jurisdictions; none is :class:`UnknownName` with the closest known names
    (read from ``store`` then: an error's path may cost more reads, an answer's does not)."""
    mine = [n for n in found if allowed is None or n.get("city") in allowed]
    if mine:
        return mine
    cities = sorted(allowed) if allowed is not None else None
    if found:
        raise UnknownName(LABEL_WORD[labels[0]], wanted, [f"{n['city']}:{n['name']}" for n in found], cities=cities)
    known = sorted({n for c, n in store.names(labels) if allowed is None or c in allowed})
    raise UnknownName(
        LABEL_WORD[labels[0]], wanted, suggest(wanted, known), cities=cities, listing=_LISTING.get(labels[0], "")
    )


def resolve_one(
    store, name: str, labels: tuple[str, ...], *, city: str | None = None, documents: list[str] | None = None
) -> dict:
    """The one node ``name`` means (see :func:`resolve`); when matches lie in more
    than one jurisdiction, :class:`AmbiguousName` lists them as ``city:name``.

    >>> from respgraph.ingest import sample_store
    >>> resolve_one(sample_store(), "市发展改革委", ("Unit",))["key"]
    'unit:湛江市/市发展改革局'
    """
    return one_of(resolve(store, name, labels, city=city, documents=documents), name, labels)


def one_of(found: list[dict], name: str, labels: tuple[str, ...]) -> dict:
    """The one node of ``found`` (in scope, none empty) a name means: the first, when they all
    lie in one jurisdiction; :class:`AmbiguousName` listing them as ``city:name`` otherwise."""
    cities = sorted({n.get("city", "") for n in found})
    if len(cities) > 1:
        raise AmbiguousName(
            LABEL_WORD[labels[0]],
            clean_name(split_qualified(name)[1]),
            [f"{c}:{next(n['name'] for n in found if n.get('city') == c)}" for c in cities],
        )
    return found[0]


def item_ref(props: dict) -> dict:
    """The ItemRef fields of an Item node's properties."""
    return {
        "id": props["key"],
        "document": props["document"],
        "city": props.get("city", ""),
        "attachment": props["attachment"],
        "number": props["number"],
        "title": props["title"],
        "category": props["category"],
        "deadline": props.get("deadline"),
    }


def qualify(rows: list[dict], *fields: str) -> list[dict]:
    """Rows whose ``fields`` (names) read ``city:name`` when the rows span several
    cities, so that two cities' 市财政局 are never counted as one; as they are otherwise.

    >>> qualify([{"name": "市财政局", "city": "湛江市"}, {"name": "市财政局", "city": "茂名市"}], "name")
    [{'name': '湛江市:市财政局', 'city': '湛江市'}, {'name': '茂名市:市财政局', 'city': '茂名市'}]
    """
    if len({r.get("city") for r in rows}) <= 1:
        return rows
    return [{**r, **{f: f"{r['city']}:{r[f]}" for f in fields}} for r in rows]


__all__ = [
    "ItemRef",
    "resolve",
    "resolve_one",
    "asked",
    "in_scope",
    "one_of",
    "scope",
    "find_document",
    "split_qualified",
    "asked_name",
    "item_ref",
    "suggest",
    "item_sort_key",
]
