"""The words of the graph, said once: labels, relationship types, roles, kinds,
and the Chinese of the graph's own labels (the Chinese of codes a person reads —
statuses, roles, kinds — is in :mod:`respgraph.graph.labels`, re-exported here).

Plain tuples and dicts, no pydantic: every command imports this module, and the
model's classes (:mod:`respgraph.graph.model`) are built from it.

>>> ROLE_OF_EDGE["IMPLEMENTS"], ROLE_ZH["implement"], EDGE_OF_ROLE["assist"]
('implement', '实施', 'ASSISTS')
"""

from __future__ import annotations

from respgraph.graph.labels import KIND_ZH, ROLE_ZH

__all__ = ["KIND_ZH", "ROLE_ZH"]  # and every name below

#: Every node label the stores hold.
LABELS = (
    "Document",
    "Item",
    "SubItem",
    "Milestone",
    "Leader",
    "Unit",
    "UnitGroup",
    "District",
    "ProgressReport",
    "StatusRecord",
    "Correction",
)
#: Every relationship type the stores hold.
REL_TYPES = (
    "FROM",
    "PART_OF",
    "HAS_MILESTONE",
    "OVERSEES",
    "LEADS",
    "IMPLEMENTS",
    "ASSISTS",
    "MEMBER_OF",
    "GOVERNS",
    "REPORTS_ON",
    "IN_REPORT",
    "HAS_STATUS",
)

#: Nodes one document owns: they go when it is loaded again or removed.
OWNED_LABELS = ("Item", "SubItem", "Milestone")
#: Nodes shared by the documents of a jurisdiction; pruned when nothing names them.
SHARED_LABELS = ("Leader", "Unit", "UnitGroup", "District")
#: What a role or oversight edge points at.
WORK_LABELS = ("Item", "SubItem")

#: The roles of a unit on an item and their edges, in the order every answer lists them:
#: every list of roles or role edges in the package is built from this one.
EDGE_OF_ROLE = {"lead": "LEADS", "implement": "IMPLEMENTS", "assist": "ASSISTS"}
ROLES = tuple(EDGE_OF_ROLE)
ROLE_OF_EDGE = {edge: role for role, edge in EDGE_OF_ROLE.items()}
ROLE_EDGES = tuple(EDGE_OF_ROLE.values())
#: A role, or a leader's oversight: every edge that names someone on an item.
NAMING_EDGES = (*ROLE_EDGES, "OVERSEES")

#: Properties that hold a date: every store's reads return them as ``datetime.date``
#: (an item's deadline, a progress report's and a status record's report date).
DATE_PROPERTIES = ("deadline", "as_of")

#: Kinds of unit, and ``group`` for the collective names (各县（市、区）政府（管委会）).
UNIT_KINDS = ("city_department", "county_government", "zone_committee", "enterprise", "stationed_agency", "other")
#: What ``--kind`` of a listing or picture accepts: a kind of unit, or ``group``.
KINDS_OF_NAMED = (*UNIT_KINDS, "group")
DISTRICT_KINDS = ("county", "county_city", "district", "zone")

LABEL_ZH = {
    "Document": "文件",
    "Item": "事项",
    "SubItem": "子项",
    "Milestone": "季度目标",
    "Leader": "分管领导",
    "Unit": "单位",
    "UnitGroup": "单位集合",
    "District": "县（市、区）",
    "ProgressReport": "进展报告",
    "StatusRecord": "进展记录",
    "Correction": "更正",
}
#: What a name of each label is called in a message ("no unit named …").
LABEL_WORD = {"Unit": "unit", "UnitGroup": "unit or group", "Leader": "leader", "District": "district"}


def sort_roles(roles) -> list[str]:
    """Distinct roles in answer order.

    >>> sort_roles({"assist", "lead", "assist"})
    ['lead', 'assist']
    """
    return sorted(set(roles), key=ROLES.index)
