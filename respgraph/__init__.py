"""respgraph: a city government's responsibility tables as a typed graph.

The folders of the repository are this package's parts: ``graph`` (model, errors,
stores), ``loaders``, ``queries``, ``viz``; ``respgraph.cli`` wires them together.
"""

__version__ = "0.1.0"
