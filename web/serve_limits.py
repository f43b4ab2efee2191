"""What one request to ``respgraph serve`` may cost: now fields of the settings
(:class:`respgraph.graph.limits.ServeLimits`, held by :class:`respgraph.graph.settings.Settings`),
read from the environment by the one reader of every knob.

>>> serve_limits().heavy_at_once >= 1
True
"""

from __future__ import annotations

from dataclasses import fields

from respgraph.graph.limits import ServeLimits, serve_limits

__all__ = ["ServeLimits", "serve_limits", "VARIABLES"]

#: setting -> its environment variable
VARIABLES = {f.name: f.metadata["env"] for f in fields(ServeLimits)}
