"""Finding things by name, and the item fields every answer carries, in both stores."""

from __future__ import annotations

import datetime as dt
import difflib

from respgraph.graph.errors import UnknownName
from respgraph.graph.text import clean_name
from respgraph.queries.rows import ItemRef

ROLE_OF_EDGE = {"LEADS": "lead", "IMPLEMENTS": "implement", "ASSISTS": "assist"}
ROLE_ORDER = ("lead", "implement", "assist")
_KIND = {"Unit": "unit", "UnitGroup": "unit or group", "Leader": "leader", "District": "district"}


def sort_roles(roles) -> list[str]:
    return sorted(set(roles), key=ROLE_ORDER.index)


def item_sort_key(ref) -> tuple:
    number = ref.number if hasattr(ref, "number") else ref["number"]
    doc = ref.document if hasattr(ref, "document") else ref["document"]
    return (doc, int(number) if number.isdigit() else 10**9, number)


def suggest(name: str, known: list[str], n: int = 5) -> list[str]:
    """Known names that contain the asked-for one, then the closest spellings."""
    contains = sorted((k for k in known if name and name in k), key=len)
    close = difflib.get_close_matches(name, known, n=n, cutoff=0.5)
    out: list[str] = []
    for k in [*contains, *close]:
        if k not in out:
            out.append(k)
    return out[:n]


def resolve(store, name: str, labels: tuple[str, ...]) -> list[dict]:
    """The nodes with ``labels`` called ``name`` (or having it as an alias).

    Raises :class:`UnknownName` with the closest known names when there are none.
    """
    wanted = clean_name(name)
    if store.engine == "neo4j":
        rows = store.read(
            "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
            "AND (n.name = $name OR $name IN coalesce(n.aliases, [])) "
            "RETURN n {.*, label: head([l IN labels(n) WHERE l IN $labels])} AS n ORDER BY n.key",
            labels=list(labels), name=wanted,
        )
        found = [r["n"] for r in rows]
        if not found:
            rows = store.read(
                "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) RETURN DISTINCT n.name AS name",
                labels=list(labels),
            )
            known = sorted(r["name"] for r in rows)
    else:
        g = store.graph
        found = [
            {"key": k, **a} for k, a in g.nodes(data=True)
            if a["label"] in labels and (a.get("name") == wanted or wanted in a.get("aliases", ()))
        ]
        if not found:
            known = sorted({a["name"] for _, a in g.nodes(data=True) if a["label"] in labels})
    if not found:
        raise UnknownName(_KIND[labels[0]], name, suggest(wanted, known))
    return found


def item_ref(props: dict) -> dict:
    """The ItemRef fields of an Item node's properties."""
    deadline = props.get("deadline")
    if isinstance(deadline, str):
        deadline = dt.date.fromisoformat(deadline)
    elif deadline is not None and not isinstance(deadline, dt.date):
        deadline = deadline.to_native()  # neo4j.time.Date
    return {
        "id": props["key"], "document": props["document"], "attachment": props["attachment"],
        "number": props["number"], "title": props["title"], "category": props["category"],
        "deadline": deadline,
    }


def item_of(g, node: str) -> str:
    """The item a node of the networkx graph belongs to: its parent for a sub-item."""
    if g.nodes[node]["label"] == "SubItem":
        return next(e for _, e, t in g.out_edges(node, keys=True) if t == "PART_OF")
    return node


def with_parts(g, item: str) -> list[str]:
    """An item and its sub-items: every node a role on the item can point at."""
    return [item] + [p for p, _, t in g.in_edges(item, keys=True) if t == "PART_OF"]


def in_documents(props: dict, documents: list[str] | None) -> bool:
    return documents is None or props.get("document") in documents


__all__ = ["ItemRef", "resolve", "item_ref", "suggest", "sort_roles", "item_sort_key"]
