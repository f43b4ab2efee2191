"""What one request to ``respgraph serve`` may cost: the body it may send, the heavy answer it may ask.

Each limit is a setting read from the environment (``RESPGRAPH_*``), like the loaders' limits
(:mod:`respgraph.graph.limits`); a value that is not a positive number is one error line.

>>> ServeLimits.from_env({"RESPGRAPH_MAX_FORM_KB": "64"}).form_kb
64
>>> ServeLimits.from_env({}).heavy_at_once
2
>>> ServeLimits.from_env({"RESPGRAPH_HEAVY_WAIT": "0.5"}).heavy_wait
0.5
"""

from __future__ import annotations

from dataclasses import dataclass

from respgraph.graph.limits import from_environment

__all__ = ["ServeLimits", "serve_limits", "VARIABLES"]

#: setting -> its environment variable
VARIABLES = {
    "form_kb": "RESPGRAPH_MAX_FORM_KB",
    "form_fields": "RESPGRAPH_MAX_FORM_FIELDS",
    "heavy_seconds": "RESPGRAPH_HEAVY_SECONDS",
    "heavy_mb": "RESPGRAPH_HEAVY_MB",
    "heavy_at_once": "RESPGRAPH_HEAVY_AT_ONCE",
    "heavy_wait": "RESPGRAPH_HEAVY_WAIT",
}


@dataclass(frozen=True)
class ServeLimits:
    # The largest form a page sends is a unit's report: two texts of 4,000 characters, about
    # 72 KB once percent-encoded; 256 KB leaves room and keeps a flood of forms small.
    form_kb: int = 256
    # An upload form has about ten fields, a report eight: 50 is far above either.
    form_fields: int = 50
    # A province's export takes about a minute on a laptop; what needs more is for the CLI.
    heavy_seconds: float = 120
    # Memory a heavy answer may add to the process it runs in (a province's export: about 400 MB).
    heavy_mb: int = 1024
    heavy_at_once: int = 2
    heavy_wait: float = 5

    @classmethod
    def from_env(cls, env=None) -> ServeLimits:
        """The defaults, each replaced by its variable when set."""
        return from_environment(cls, VARIABLES, env)


def serve_limits() -> ServeLimits:
    """The limits in force (read from the environment on every call: it is cheap)."""
    return ServeLimits.from_env()
