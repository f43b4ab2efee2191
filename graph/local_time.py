"""Times as the office reads them: stored in UTC, shown in the configured zone.

Apart from :mod:`respgraph.graph.i18n` because the zone is a setting, and the settings say
their errors through the catalogue: here the two meet without a cycle.
"""

from __future__ import annotations

import datetime as dt

from respgraph.graph.settings import timezone

__all__ = ["local_time"]


def local_time(when: dt.datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time (UTC; naive means UTC) as the office reads it, in the zone of the
    settings (``RESPGRAPH_TIMEZONE``, Asia/Shanghai by default).

    >>> local_time("2026-01-02T16:30:00+00:00")
    '2026-01-03 00:30'
    >>> local_time(None)
    ''
    """
    if when is None or when == "":
        return ""
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(timezone()).strftime(fmt)
