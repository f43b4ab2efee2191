"""The typed rows of accounts: users, progress submissions, audit entries; and their errors."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum

from pydantic import Field

from respgraph.graph.errors import RespgraphError
from respgraph.graph.model import Model


class Role(StrEnum):
    OFFICE = "office"  # 督查室: everything
    LEADER = "leader"  # a vice-mayor's office: reads its city; its portfolio is its home
    UNIT = "unit"  # a bureau: reads its own items and those of the units it shares them with; reports
    VIEWER = "viewer"  # reads, writes nothing


#: Roles bound to a node of the graph, and the label the binding is looked up with.
BOUND_LABEL = {Role.LEADER: "Leader", Role.UNIT: "Unit"}


class User(Model):
    login: str
    display: str
    role: Role
    bound: str | None = Field(None, description="key of the Leader or Unit a leader or unit account speaks for")
    bound_name: str | None = None
    city: str | None = None
    active: bool = True
    #: Raised by a password change or ``disable``: every session signed with an older one is void.
    session_version: int = 1
    created: dt.datetime
    updated: dt.datetime


class Submission(Model):
    """One progress report on one item or sub-item for one quarter, as a unit sent it.

    Never overwritten: a later one for the same target and quarter is a new row and
    the latest one not returned counts."""

    key: str
    author: str = Field(description="login of the user who submitted it")
    unit: str | None = Field(None, description="key of the unit the author speaks for")
    target: str = Field(description="key of the item or sub-item reported on")
    item: str
    document: str
    year: int
    quarter: int
    status_word: str
    status: str = Field(description="the word's status in the vocabulary (done, on_track, behind …)")
    done: str = Field(description="what was done")
    obstacles: str = Field(description="what is in the way")
    submitted: dt.datetime
    returned: dt.datetime | None = None
    returned_by: str | None = None
    return_comment: str | None = None


class AuditEntry(Model):
    """One write through the accounts layer: who, when, what, from where.  Never edited."""

    at: dt.datetime
    actor: str
    address: str = ""
    action: str
    subject: str = ""
    detail: str = ""


class AccountError(RespgraphError):
    """A request about accounts that cannot be done as asked."""


class NotAllowed(AccountError):
    """The user's role or binding does not allow this."""


class LoginRefused(AccountError):
    """Wrong login or password, or a disabled account (one message for all: no hint which)."""


class NeedsConfirmation(AccountError):
    """A change that may lock the office out (disabling its last active account …): asked again, it is done."""


class TooManyAttempts(AccountError):
    """Too many failed logins for this login or from this address; ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)


#: The ``source`` of a progress report made of online submissions (a loaded workbook names its file).
ONLINE_SOURCE = "online"


def user_from(props: dict) -> User:
    return User.model_validate(props)


def stamp(moment) -> str:
    """A UTC time as fixed-width text that sorts as time does (``isoformat`` drops zero microseconds).

    >>> import datetime as dt
    >>> stamp(dt.datetime(2023, 7, 1, 8, 0, tzinfo=dt.timezone.utc))
    '2023-07-01T08:00:00.000000Z'
    """
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
