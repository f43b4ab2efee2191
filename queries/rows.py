"""What queries return: pydantic rows, equal whichever store produced them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, computed_field


class Row(BaseModel):
    # Built when first used: a command imports every row type and answers with one or two.
    model_config = ConfigDict(frozen=True, defer_build=True)


class ItemRef(Row):
    """An item as every answer names it."""

    id: str
    document: str
    city: str
    attachment: int
    number: str
    title: str
    category: str
    deadline: dt.date | None

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form, which mypy does not model
    @property
    def year(self) -> int:
        """The year of the item's table, from its key (issue 22: JSON rows carry it)."""
        return int(self.document.removeprefix("doc:").split("/")[1])


class PartRef(Row):
    id: str
    part: int
    title: str
    roles: list[str] = []


class UnitItem(ItemRef):
    """An item a unit takes part in: its roles, the sub-items concerned, and the
    groups it is reached through (empty when the unit is named directly)."""

    roles: list[str]
    parts: list[PartRef]
    via: list[str]


class MilestoneRow(Row):
    quarters: list[int]
    period: str
    section: str
    text: str
    part: int | None = None


class RoleUnits(Row):
    """Names by role; a name of a group (各县（市、区）政府（管委会）) stands as printed."""

    lead: list[str] = []
    implement: list[str] = []
    assist: list[str] = []


class PortfolioPart(Row):
    id: str
    part: int
    title: str
    units: RoleUnits
    milestones: list[MilestoneRow]


class PortfolioItem(ItemRef):
    units: RoleUnits
    milestones: list[MilestoneRow]
    parts: list[PortfolioPart]


class Portfolio(Row):
    leader: str
    city: str
    items: list[PortfolioItem]


class WorkloadRow(Row):
    """Distinct items per role (for a leader: distinct units per role on their items)."""

    name: str
    city: str
    kind: str
    items: int
    lead: int
    implement: int
    assist: int
    via_group: int
    score: float


class Balance(Row):
    """How evenly the score is spread over the rows."""

    count: int
    total: float
    median: float
    top10_share: float
    gini: float


class Workload(Row):
    by: str
    weights: dict[str, float]
    rows: list[WorkloadRow]
    balance: Balance


class CoRow(Row):
    """A unit that shares items with the asked-for one."""

    name: str
    city: str
    kind: str
    shared: int
    roles: list[str]
    other_roles: list[str]
    items: list[str]


class PairRow(Row):
    a: str
    b: str
    city: str
    shared: int
