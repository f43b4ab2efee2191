"""The store as one request sees it: now :mod:`respgraph.answers.one_request` (both faces' session uses it)."""

from respgraph.answers.one_request import OneRequest

__all__ = ["OneRequest"]
