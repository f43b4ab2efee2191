"""The register of notices (发文登记): every batch of 督办通知单 issued, numbered from a sequence kept in the store.

A 发文字号 never repeats within a year: the numbers of a batch come from the sequence
of its year and prefix (``湛督办〔2023〕``), taken in the same transaction that records
the batch and appends its audit entry, so two offices issuing at once never get one
number, and a batch is there whole or not at all.  A new batch goes on from the last
number; ``minimum`` lets an office that numbered by hand before go on from its own last
number.  A batch is never changed: writing it again (:func:`batch`) gives its own
numbers.

The year of a sequence is the year the prefix names (``〔2023〕``), else that of the
batch's 成文日期: a printed 文号 never repeats, whatever date the office gives.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

from pydantic import Field

from respgraph.accounts.model import AccountError, User
from respgraph.accounts.rights import require
from respgraph.accounts.storage import account_storage
from respgraph.accounts.users import clean_text, now_utc, record
from respgraph.graph.model import Model
from respgraph.graph.protocol import GraphStore

__all__ = [
    "IssuedNotice",
    "NoticeBatch",
    "issue",
    "batches",
    "batch",
    "remembered",
    "default_prefix",
    "bulletin_prefix",
    "sequence_year",
    "BULLETIN",
    "notice_number",
]

#: The kind of a batch that is one 督查通报 (the others are notices: red, orange, yellow, blue).
BULLETIN = "bulletin"
#: Characters of a prefix, a contact line or an office's name, as a form may send them.
MAX_FIELD = 100


class IssuedNotice(Model):
    """One notice of a batch: its kind (red …), the unit it goes to, its number and its items (ids)."""

    kind: str
    unit: str
    number: int
    items: list[str]


class NoticeBatch(Model):
    """One batch as issued: what the register keeps, and what writing it again reads."""

    key: str
    year: int = Field(description="the year of the sequence: the prefix's, else the 成文日期's")
    prefix: str
    first: int
    last: int
    date: dt.date = Field(description="成文日期")
    as_of: dt.date = Field(description="the date the items' statuses are as of")
    reply_by: dt.date
    contact: str = ""
    office: str = ""
    city: str | None = None
    documents: list[str] | None = None
    preset: str = "three-colour"
    near_days: int = 30
    issued: dt.datetime
    issued_by: str
    notices: list[IssuedNotice]

    def number(self, notice: IssuedNotice) -> str:
        return notice_number(self.prefix, notice.number)

    def numbers(self) -> list[str]:
        """The 发文字号 of its notices, in order."""
        return [self.number(n) for n in self.notices]

    def rules(self):
        """The warning rules its items were judged by."""
        from respgraph.queries.status import WarningRules

        return WarningRules(preset=self.preset, near_days=self.near_days)


def notice_number(prefix: str, number: int) -> str:
    """The 发文字号 as printed.

    >>> notice_number("湛督办〔2023〕", 12)
    '湛督办〔2023〕12号'
    """
    return f"{prefix}{number}号"


def sequence_year(prefix: str, date: dt.date) -> int:
    """The year whose sequence a batch numbers from: the one in its prefix, else its date's.

    >>> sequence_year("湛督办〔2023〕", dt.date(2024, 1, 5)), sequence_year("督办", dt.date(2024, 1, 5))
    (2023, 2024)
    """
    found = re.search(r"[〔\[(（](\d{4})[〕\])）]", prefix)
    return int(found[1]) if found else date.year


def default_prefix(date: dt.date) -> str:
    """The prefix when the office gives none.

    >>> default_prefix(dt.date(2023, 10, 8))
    '督办〔2023〕'
    """
    return f"督办〔{date.year}〕"


def bulletin_prefix(date: dt.date) -> str:
    """The prefix of a 督查通报 when the office gives none: a sequence apart from the notices'.

    >>> bulletin_prefix(dt.date(2023, 10, 12))
    '督查〔2023〕'
    """
    return f"督查〔{date.year}〕"


def issue(
    store: GraphStore,
    user: User,
    plan: list[tuple[str, str, list]],
    *,
    prefix: str | None,
    date: dt.date | None,
    as_of: dt.date,
    reply_by: dt.date | None = None,
    contact: str | None = "",
    office: str | None = "",
    city: str | None = None,
    documents: list[str] | None = None,
    preset: str = "three-colour",
    near_days: int = 30,
    minimum: int = 1,
    address: str = "",
    now: dt.datetime | None = None,
) -> NoticeBatch:
    """Issue the notices of ``plan`` ((kind, unit, items) in the order they are numbered, as
    :func:`respgraph.viz.notices.notice_plan` gives it; items are ids or status rows): the
    batch recorded with its numbers, the next of its sequence, and its audit entry.  ``date``
    is the 成文日期 (today), ``reply_by`` ten days after it unless given."""
    require(user, "notices")
    date = date or dt.date.today()
    reply_by = reply_by or date + dt.timedelta(days=10)
    contact, office = contact or "", office or ""
    if not plan:
        raise AccountError("no item has a warning: there is no notice to issue")
    prefix = clean_text(prefix or default_prefix(date), limit=MAX_FIELD, what="the 发文字号 prefix")
    contact = clean_text(contact, limit=MAX_FIELD, what="the contact line")
    office = clean_text(office, limit=MAX_FIELD, what="the office")
    if not prefix:
        raise AccountError("give the 发文字号 prefix, e.g. 湛督办〔2023〕")
    now = now or now_utc()
    year = sequence_year(prefix, date)
    key = f"notices:{now.strftime('%Y%m%dT%H%M%S')}/{uuid.uuid4().hex[:8]}"

    def make(first: int):
        found = NoticeBatch(
            key=key,
            year=year,
            prefix=prefix,
            first=first,
            last=first + len(plan) - 1,
            date=date,
            as_of=as_of,
            reply_by=reply_by,
            contact=contact,
            office=office,
            city=city,
            documents=documents,
            preset=preset,
            near_days=near_days,
            issued=now,
            issued_by=user.login,
            notices=[
                IssuedNotice(
                    kind=kind, unit=unit, number=first + n, items=[i if isinstance(i, str) else i.id for i in items]
                )
                for n, (kind, unit, items) in enumerate(plan)
            ],
        )
        from respgraph.graph.i18n import ngettext

        detail = ngettext(
            "{first}–{last}号, {count} notice as of {as_of}",
            "{first}–{last}号, {count} notices as of {as_of}",
            len(plan),
        ).format(first=notice_number(prefix, found.first), last=found.last, count=len(plan), as_of=as_of)
        return found.model_dump(mode="json"), record(store, user.login, "notices.issue", key, detail, address, now)

    props = account_storage(store).issue_notices(year, prefix, max(minimum, 1), make)
    return NoticeBatch.model_validate(props)


def batches(store: GraphStore, *, year: int | None = None) -> list[NoticeBatch]:
    """Every batch issued (of ``year``), newest first."""
    found = [NoticeBatch.model_validate(json.loads(p)) for p in account_storage(store).notice_batches(year=year)]
    return sorted(found, key=lambda b: (b.issued, b.key), reverse=True)


def batch(store: GraphStore, key: str) -> NoticeBatch:
    """The batch ``key``; AccountError when there is none."""
    found = account_storage(store).notice_batches(key=key)
    if not found:
        raise AccountError(f"no batch of notices {key!r} was issued")
    return NoticeBatch.model_validate(json.loads(found[0]))


def remembered(store: GraphStore, login: str) -> dict:
    """What ``login`` gave last time: the form's defaults, per office.  ``prefix`` and
    ``contact`` of its last notices, ``bulletin_prefix`` of its last bulletin, ``office`` of either."""
    mine = [b for b in batches(store) if b.issued_by == login]
    notices = next((b for b in mine if b.notices[0].kind != BULLETIN), None)
    bulletin = next((b for b in mine if b.notices[0].kind == BULLETIN), None)
    return {
        "prefix": notices.prefix if notices else "",
        "contact": notices.contact if notices else "",
        "office": mine[0].office if mine else "",
        "bulletin_prefix": bulletin.prefix if bulletin else "",
    }
