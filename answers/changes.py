"""What changed between two tables: the same tasks matched by title."""

from __future__ import annotations

from respgraph.answers.answer import Answer
from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import ROLES

__all__ = ["diff"]


def diff(
    store: GraphStore, doc_a: str, doc_b: str, *, threshold: float = 0.6, show_all: bool = False, same_body=None
) -> Answer:
    """Tasks of ``doc_a`` and ``doc_b`` matched by title, with the units added (+) and dropped
    (-) per role and the leaders before and after; unchanged tasks only with ``show_all``.
    ``same_body`` tells two spellings of one body apart from two bodies (the alias list).

    >>> from respgraph.ingest import sample_store
    >>> diff(sample_store(), "湛江市/2023/1", "湛江市/2023/2").footer.split(": ")[1]
    '0 changed, 0 unchanged, 100 dropped, 10 new (titles matched at similarity >= 0.6)'
    """
    from respgraph.queries.diff import diff_documents

    d = diff_documents(store, doc_a, doc_b, threshold=threshold, same_body=same_body)
    rows = [i for i in d.items if show_all or i.status != "same"]

    def units(sign, roles):
        return [f"{sign}{role}:{name}" for role in ROLES for name in getattr(roles, role)]

    flat = [
        {
            "status": i.status,
            "a": i.a.number if i.a else "",
            "b": i.b.number if i.b else "",
            "similarity": i.similarity if i.a and i.b else "",
            "title": (i.b or i.a).title,  # type: ignore[union-attr]  # a change has one side at least
            "units": units("+", i.added) + units("-", i.dropped),
            "leaders": ""
            if i.leaders_before == i.leaders_after
            else f"{'、'.join(i.leaders_before) or '-'} -> {'、'.join(i.leaders_after) or '-'}",
        }
        for i in rows
    ]
    footer = (
        f"{d.a} -> {d.b}: {d.count('changed')} changed, {d.count('same')} unchanged, "
        f"{d.count('dropped')} dropped, {d.count('new')} new (titles matched at similarity >= {threshold:g})"
    )
    return Answer(flat, d.model_dump(mode="json"), footer, result=(d, rows))
