"""Answers as every face of respgraph shows them: the rows of a table (and its CSV), the
JSON, the line above and the figures below, for one question.

Each function takes the store and the question's options, runs the query of
:mod:`respgraph.queries` and returns an :class:`Answer`; the command line prints it
(``--format table|json|csv``) and the web app renders it and serves its JSON twin,
so the two cannot drift apart.  Nothing here prints, parses options or draws.
"""

from respgraph.answers.answer import Answer
from respgraph.answers.columns import aggregate_columns, item_columns, several_cities, with_city

__all__ = ["Answer", "several_cities", "with_city", "item_columns", "aggregate_columns"]
