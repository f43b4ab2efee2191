"""The one place where the Neo4j driver's exceptions become respgraph's errors.

Every store call that reaches the server runs inside :func:`neo4j_errors`, so a
server gone away, a Cypher error and a failed transaction read alike whichever
call met them, and none carries the password or a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from respgraph.graph.errors import RespgraphError, StoreUnavailable
from respgraph.graph.neo4j_driver import neo4j  # noqa: F401,I001  first: the driver without numpy and pandas

__all__ = ["neo4j_errors", "why"]

#: The server went away, or never answered: the message says so, not what the driver saw.
GONE = (ServiceUnavailable, SessionExpired)


def why(exc: Exception) -> str:
    """A driver exception in one line: its Neo4j code and message when it has them."""
    code = getattr(exc, "code", None)
    return f"{code}: {getattr(exc, 'message', '')}" if code else f"{type(exc).__name__}: {exc}"


@contextmanager
def neo4j_errors(
    uri: str,
    doing: str,
    outcome: str = "",
    *,
    statement: bool = False,
    on_client_error: Callable[[ClientError], None] | None = None,
) -> Iterator[None]:
    """Run the block; turn the driver's exceptions into :class:`StoreUnavailable` (the server
    is gone) or :class:`RespgraphError` (it refused), saying what was being done and what
    came of it (``outcome``: "nothing was removed").

    With ``statement`` (a query a person wrote or may get wrong), a ``ClientError``
    (bad Cypher, a write in a read transaction) goes to ``on_client_error`` first,
    which may raise a better error, and is else reported as a Cypher error.

    >>> with neo4j_errors("bolt://x", "answering"):
    ...     raise ServiceUnavailable("boom")
    Traceback (most recent call last):
    respgraph.graph.errors.StoreUnavailable: bolt://x: the server stopped answering while answering
    """
    tail = f"; {outcome}" if outcome else ""
    try:
        yield
    except GONE:
        raise StoreUnavailable(uri, f"the server stopped answering while {doing}{tail}") from None
    except ClientError as exc:
        if not statement:
            raise RespgraphError(f"Neo4j failed while {doing} ({why(exc)}){tail}") from None
        if on_client_error is not None:
            on_client_error(exc)
        raise RespgraphError(f"Cypher error {exc.code}: {exc.message}{tail}") from None
    except (Neo4jError, DriverError) as exc:  # a deadlock retried past its time, a full disk …
        raise RespgraphError(f"Neo4j failed while {doing} ({why(exc)}){tail}") from None
