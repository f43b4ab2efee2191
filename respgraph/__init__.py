"""respgraph: a city government's responsibility tables as a typed graph.

The folders of the repository are this package's parts: ``graph`` (model, errors,
settings, stores), ``loaders``, ``queries``, ``ingest``, ``answers``, ``viz``,
``accounts``; the command line (``respgraph.commands``) and the web application
(``respgraph.web``) are two faces of them.

The Python API is the session both faces open and the everyday questions, imported
from here when first used (``import respgraph`` itself loads nothing else)::

    >>> import respgraph, tempfile
    >>> session = respgraph.Session(respgraph.load_settings(home=tempfile.mkdtemp()))
    >>> store = session.query_store()  # nothing loaded: the bundled sample
    >>> [r.number for r in respgraph.items_of_unit(store, "市公安局")][:3]
    ['53', '61', '100']
"""

__version__ = "0.1.0"

#: name -> the module it comes from, imported on first use (PEP 562).
_API = {
    "Session": "respgraph.answers.session",
    "Scope": "respgraph.answers.scope",
    "load_settings": "respgraph.graph.settings",
    "Settings": "respgraph.graph.settings",
    "open_store": "respgraph.graph.open_store",
    "sample_store": "respgraph.ingest",
    "load_files": "respgraph.ingest",
    "check_file": "respgraph.ingest",
    "items_of_unit": "respgraph.queries.items",
    "portfolio": "respgraph.queries.portfolio",
    "workload": "respgraph.queries.workload",
    "co_responsibility": "respgraph.queries.co",
    "co_pairs": "respgraph.queries.co",
    "RespgraphError": "respgraph.graph.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'respgraph' has no attribute {name!r}")
