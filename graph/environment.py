"""The one reader of respgraph's settings from the environment.

Every knob is declared once, as a field of the settings object
(:class:`respgraph.graph.settings.Settings` and the groups it holds: the Neo4j connection,
the loaders' :class:`~respgraph.graph.limits.Limits`, the served pages'
:class:`~respgraph.graph.limits.ServeLimits`), with the variable that sets it in the
field's metadata (``env``); this module reads those variables and nothing else does.

>>> from dataclasses import dataclass, field
>>> @dataclass
... class Knobs:
...     rows: int = field(default=10, metadata={"env": "R"})
...     wait: float = field(default=5, metadata={"env": "W"})
>>> from_environment(Knobs, {"R": "20", "W": "0.5"})
Knobs(rows=20, wait=0.5)
>>> from_environment(Knobs, {"R": "0"})
Traceback (most recent call last):
respgraph.graph.errors.RespgraphError: R='0': give a whole number of at least 1
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import fields

from respgraph.graph.errors import RespgraphError

__all__ = ["read", "positive", "from_environment"]


def read(variable: str, env: Mapping[str, str] | None = None) -> str:
    """The value of ``variable``, stripped; "" when unset."""
    return (os.environ if env is None else env).get(variable, "").strip()


def positive(variable: str, raw: str, *, whole: bool) -> int | float:
    """``raw`` as a positive number (whole for an ``int`` knob), or one error line naming the variable."""
    try:
        value = (int if whole else float)(raw)
    except ValueError:
        value = 0
    if not value > 0:
        raise RespgraphError(
            f"{variable}={raw!r}: give " + ("a whole number of at least 1" if whole else "a number greater than 0")
        )
    return value


def from_environment(cls, env: Mapping[str, str] | None = None):
    """The dataclass ``cls`` with its defaults, each replaced by its field's variable
    (``metadata["env"]``) when set; a value that is not a positive number is one error line.
    The loaders' limits and the served pages' budgets read alike."""
    values = {}
    for f in fields(cls):
        raw = read(f.metadata["env"], env)
        if raw:
            values[f.name] = positive(f.metadata["env"], raw, whole=f.type in (int, "int"))
    return cls(**values)
