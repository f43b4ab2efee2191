"""The typed responsibility graph: model, errors and the two stores.

Nothing in this package imports the rest of respgraph.
"""
