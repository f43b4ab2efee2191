"""Seeded synthetic tables of any size, for parity tests and benchmarks.

They have the shape of the real ones: every item a leader, lead, implementing and
assisting units (a few through a group), some split into sub-items, four quarterly
milestones each.  The same seed gives the same table.
"""

from __future__ import annotations

import datetime as dt
import random

from respgraph.graph.model import (
    Assignment,
    Category,
    District,
    Document,
    Governs,
    Item,
    Leader,
    Membership,
    Milestone,
    Part,
    Quantity,
    Role,
    Table,
    Unit,
    UnitGroup,
    UnitKind,
    document_id,
)

GROUP = "各县（市、区）政府（管委会）"


def synthetic_table(
    items: int,
    *,
    seed: int = 0,
    city: str = "合成市",
    year: int = 2023,
    attachment: int = 1,
    leaders: int = 12,
    departments: list[str] | None = None,
) -> Table:
    """A table of ``items`` items over about ``items // 8 + 20`` units and 12 leaders.

    ``leaders`` sets how many leaders there are; ``departments`` names the city
    departments (``市第1局`` … by default), so that real names such as 市财政局 can
    recur in every city of a corpus.

    >>> t = synthetic_table(50, seed=1)
    >>> (len(t.items), t.document.key)
    (50, 'doc:合成市/2023/1-5842b2')
    """
    rng = random.Random(seed)
    title = f"{year} 年合成督办事项分解表"
    doc_id = document_id(city, year, attachment, title)
    doc = Document(
        key=f"doc:{doc_id}",
        city=city,
        year=year,
        attachment=attachment,
        title=title,
        category=Category.KEY_ITEM,
        source="synthetic",
    )
    places = [f"第{i}区" for i in range(1, 11)]
    governments = [f"{p}政府" for p in places]
    departments = list(departments or [f"市第{i}局" for i in range(1, items // 8 + 11)])
    companies = [f"合成第{i}有限公司" for i in range(1, 11)]
    names = governments + departments + companies
    leader_names = [f"领导{i}" for i in range(1, leaders + 1)]
    unit_key = {n: f"unit:{city}/{n}" for n in names}
    kind = {
        **{g: UnitKind.COUNTY_GOVERNMENT for g in governments},
        **{d: UnitKind.CITY_DEPARTMENT for d in departments},
        **{c: UnitKind.ENTERPRISE for c in companies},
    }

    out_items, parts, milestones, assignments = [], [], [], []
    for number in range(1, items + 1):
        key = f"item:{doc_id}/{number}"
        leader = rng.choice(leader_names)
        month = rng.choice([6, 9, 12, 12, 12])
        out_items.append(
            Item(
                key=key,
                document=doc.key,
                city=city,
                attachment=attachment,
                number=str(number),
                title=f"合成事项 {number}",
                category=Category.KEY_ITEM,
                deadline=dt.date(year, month, 30 if month in (6, 9) else 31),
                deadline_text=f"{year}年{month}月",
                leaders=(leader,),
                line=number,
            )
        )
        owners = [key]
        if rng.random() < 0.05:  # split over rows, like item 79
            owners = [f"{key}.{p}" for p in range(1, rng.randint(2, 4) + 1)]
            parts += [
                Part(key=o, item=key, part=i, title=f"子项目 {i}", leaders=(leader,), line=number)
                for i, o in enumerate(owners, start=1)
            ]
        for owner in owners:
            chosen = rng.sample(names, 6)
            roles = [
                (chosen[0], Role.LEAD),
                (chosen[1], Role.IMPLEMENT),
                (chosen[2], Role.IMPLEMENT),
                *((n, Role.ASSIST) for n in chosen[3:]),
            ]
            if rng.random() < 0.1:
                roles.append((GROUP, Role.IMPLEMENT))
            assignments += [Assignment(owner=owner, name=n, role=r, line=number) for n, r in roles]
            for q in range(1, 5):
                milestones.append(
                    Milestone(
                        key=f"milestone:{owner.removeprefix('item:')}/{q}",
                        owner=owner,
                        seq=q,
                        quarters=(q,),
                        period=f"第{'一二三四'[q - 1]}季度",
                        text=f"累计完成投资 {q * 5} 亿元",
                        quantities=(Quantity(value=q * 5.0, unit_text="亿元", cumulative=True),),
                    )
                )
    return Table(
        document=doc,
        items=tuple(out_items),
        parts=tuple(parts),
        milestones=tuple(milestones),
        assignments=tuple(assignments),
        leaders=tuple(Leader(key=f"leader:{city}/{n}", name=n, city=city) for n in leader_names),
        units=tuple(Unit(key=unit_key[n], name=n, city=city, kind=kind[n]) for n in names),
        groups=(UnitGroup(key=f"group:{city}/{GROUP}", name=GROUP, city=city, members_known=True),),
        districts=tuple(District(key=f"district:{city}/{p}", name=p, city=city, kind="district") for p in places),
        memberships=tuple(Membership(unit=unit_key[g], group=f"group:{city}/{GROUP}") for g in governments),
        governs=tuple(Governs(unit=unit_key[g], district=f"district:{city}/{p}") for g, p in zip(governments, places)),
    )
