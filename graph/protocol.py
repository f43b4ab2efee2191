"""What every store offers the queries: a few row-returning reads, and the writes.

The queries in :mod:`respgraph.queries` are written once against
:class:`GraphStore`; the embedded store (:mod:`respgraph.graph.sqlite_store`) and
the Neo4j store (:mod:`respgraph.graph.neo4j_store`) implement it.  Reads are
narrow on purpose: a question about one unit asks for that unit's role edges
(``roles(sources=[key])``) and reads nothing else, from an index in both stores.

Rows are plain dicts:

- a **node row** is ``{"key", "label", **properties}``;
- a **role row** is one LEADS / IMPLEMENTS / ASSISTS edge with both ends resolved:
  ``{"type", "source", "label", "name", "city", "kind", "target", "item", "document"}``
  — ``source`` is the unit or group (its ``label``, ``name``, ``city``, ``kind``), ``target``
  the item or sub-item it points at, ``item`` the item (the parent of a sub-item)
  and ``document`` that item's document;
- an **oversight row** is one OVERSEES edge: ``{"leader", "name", "city", "target", "item", "document"}``;
- a **milestone row** is a Milestone's properties with ``owner`` (the item or
  sub-item), ``item`` and ``document``;
- a **membership row** is ``{"unit", "group", "group_name"}``; a **governs row** is
  ``{"unit", "district", "name", "city", "kind"}``;
- a **relationship row** is ``{"type", "start", "end", **properties}``.

``documents=None`` everywhere means every document; a list narrows a read to the
items of those documents (keys, as :func:`~respgraph.queries.lookup.scope` gives them).

A store may also answer a whole query natively, under the query's own name
(``workload_counts``, ``co_pairs``, …), the way a networkx backend overrides a
function: :func:`respgraph.queries.native.native` finds it, and the parity tests run
the default and the native version on the same data and compare them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from respgraph.graph.model import Batch

Row = dict
Documents = Sequence[str] | None
#: Told (step, done, of) as a write goes, for a progress bar.
Progress = Callable[[str, int, int], None]


@runtime_checkable
class GraphStore(Protocol):
    #: ``sqlite`` or ``neo4j``: for messages and benchmarks, never for a query's logic.
    engine: str

    # --- what is loaded -------------------------------------------------------------
    def documents(self, city: str | None = None) -> list[Row]:
        """Every document (of ``city``), by key, each with ``items``: how many items it holds."""

    def document(self, key: str) -> Row | None:
        """One document's properties, or None."""

    def generation(self) -> str:
        """What changes with every write transaction, by any program: a cache of answers
        keyed by it is never stale.  Opaque; equal only while nothing was written."""

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type."""

    # --- names ------------------------------------------------------------------------
    def find(self, name: str, labels: Sequence[str]) -> list[Row]:
        """Node rows with one of ``labels`` named ``name``; when none is, those that
        know it as an alias.  In label order, then by key."""

    def names(self, labels: Sequence[str]) -> list[tuple[str, str]]:
        """(city, name) of every node with one of ``labels``."""

    # --- nodes ------------------------------------------------------------------------
    def items(self, documents: Documents = None, *, keys: Sequence[str] | None = None) -> list[Row]:
        """The node rows of the Items ``keys`` (those that exist), or of every Item of ``documents``."""

    def parts(self, items: Sequence[str]) -> list[Row]:
        """The node rows of the sub-items of ``items``."""

    def nodes(self, labels: Sequence[str]) -> list[Row]:
        """Every node row with one of ``labels`` (whole-graph questions only)."""

    def rels(self, types: Sequence[str]) -> list[Row]:
        """Every relationship row of ``types`` (whole-graph questions only)."""

    # --- edges with their ends resolved -------------------------------------------
    def roles(
        self, *, sources: Sequence[str] | None = None, items: Sequence[str] | None = None, documents: Documents = None
    ) -> list[Row]:
        """Role rows: of the units or groups ``sources``, on ``items`` (and their
        sub-items), within ``documents``; every one when no filter is given."""

    def oversight(
        self, *, leaders: Sequence[str] | None = None, items: Sequence[str] | None = None, documents: Documents = None
    ) -> list[Row]:
        """Oversight rows, filtered as :meth:`roles`."""

    def milestones(self, *, owners: Sequence[str] | None = None, documents: Documents = None) -> list[Row]:
        """Milestone rows of ``owners`` (items or sub-items), within ``documents``."""

    def milestone_quarters(self, *, documents: Documents = None) -> list[Row]:
        """``{"key", "owner", "quarters"}`` of every milestone within ``documents``: the narrow
        read of the quarterly load, which a province asks of 100,000 milestones."""

    def memberships(self, *, units: Sequence[str] | None = None, groups: Sequence[str] | None = None) -> list[Row]:
        """Membership rows of ``units`` or of ``groups``; every one when neither is given."""

    def governs(self) -> list[Row]:
        """Every governs row: which unit is the government of which district."""

    # --- progress reports -------------------------------------------------------------
    def status_records(self) -> list[Row]:
        """Every StatusRecord's node row (``target`` is the key of its item or sub-item)."""

    def reports(self) -> list[Row]:
        """Every ProgressReport on a document still loaded."""

    # --- corrections beside the documents ----------------------------------------
    def corrections(self, items: list[str] | None = None) -> list[Row]:
        """Every Correction's node row (``target`` is the key of the item it corrects); with
        ``items``, only those on these items, found by key (one item's page reads no others)."""

    def write_correction(self, row: Row) -> None:
        """Add one correction (``key``, ``target``, ``document``, ``field``, ``value``, …),
        replacing one of the same key."""

    def remove_correction(self, key: str) -> bool:
        """Take a correction away; False when there is none of that key."""

    # --- writes -------------------------------------------------------------------------
    def write(self, batch: Batch, progress: Progress | None = None) -> None:
        """Add one document in one transaction, replacing what an earlier load of it wrote;
        ``progress`` is told each step."""

    def remove_document(self, key: str) -> bool:
        """Take a document out with what it owns, and the shared nodes nothing names
        any more; False when it is not there."""

    def write_progress(self, batch: Batch) -> None:
        """Add one progress report in one transaction, replacing an earlier load of it."""

    def remove_progress(self, key: str) -> None:
        """Remove a progress report and its status records."""

    def close(self) -> None:
        """Let go of the file or the connection."""
