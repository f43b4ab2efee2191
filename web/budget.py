"""Heavy answers on a budget: each runs in a child process with a time and a memory limit, a few at once.

An export, the notices, a whole-graph picture can take minutes and gigabytes on a
province; in the server's own process they could be neither stopped nor bounded (a
thread cannot be cancelled, and its memory is the server's).  So :func:`run_heavy`
runs one in a child process (``multiprocessing``'s *forkserver*: a fork of a clean,
single-threaded process with the library already imported, so no lock or connection of
the server is inherited) that opens its own store, and:

- limits the child's address space to what it had at start plus ``RESPGRAPH_HEAVY_MB``
  (``RLIMIT_AS``): past it the answer fails with ``MemoryError`` in the child, never the server;
- kills it after ``RESPGRAPH_HEAVY_SECONDS`` (the child also ends itself then, should the
  server be gone);
- kills it as soon as the client disconnects, and when the server stops (a cancelled
  request);
- lets ``RESPGRAPH_HEAVY_AT_ONCE`` run at once in one server process; the next waits up to
  ``RESPGRAPH_HEAVY_WAIT`` seconds for a turn, then gets 503 with ``Retry-After``.

What cannot be answered in budget is a 503 that says how to get it: a narrower scope, or the
command on the server.  To put a new heavy route on a budget, write its work as a top-level
function ``job(backend, store, *args)`` in :mod:`respgraph.web.heavy` returning something
picklable (bytes, a string, an answer) and call it from an ``async`` route (from a plain ``def``
route, :func:`run_heavy_here` does the same)::

    @router.get("/board/bulletin.docx", dependencies=[requires("overview")])
    async def bulletin(ctx: Ctx):
        data = await run_heavy(ctx.request, heavy.bulletin, ctx.scope(), cli="respgraph bulletin")
        return download(data, "通报.docx", "application/…")
"""

from __future__ import annotations

import asyncio
import os
import threading
import time

from fastapi import HTTPException, Request

from respgraph.graph.errors import RespgraphError

__all__ = ["run_heavy", "run_heavy_here", "in_thread", "warm", "OVER_BUDGET"]

#: How a 503 for an answer past its budget begins (tests and scripts look for it).
OVER_BUDGET = "这个回答超出了网页的"
_MB = 1024 * 1024
_POLL = 0.05  # seconds between looks at the child, the client and the clock
#: Imported once by the forkserver, so a child starts with what the jobs draw with.
PRELOAD = [
    "respgraph.web.heavy",
    "respgraph.answers.supervision",
    "respgraph.ingest",
    "respgraph.queries.export_data",
    "respgraph.viz.export_files",
    "respgraph.viz.network_pages",
    "respgraph.viz.notices",
    "respgraph.viz.issued",
    "respgraph.viz.bulletin",
]
_context_lock = threading.Lock()
_context = None


def _mp():
    """The forkserver context, started once per server process with the library preloaded."""
    global _context
    with _context_lock:
        if _context is None:
            import multiprocessing

            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(PRELOAD)
        return _context


def warm() -> None:
    """Start the forkserver now (a second or two), so the first heavy answer does not wait for it."""
    from multiprocessing import forkserver

    _mp()
    forkserver.ensure_running()


class _Gate:
    """How many heavy answers run at once in this process; a thread lock, so any event loop may wait on it."""

    def __init__(self, size: int):
        self.size = size
        self.free = threading.BoundedSemaphore(size)

    async def enter(self, wait: float) -> bool:
        deadline = time.monotonic() + wait
        while not self.free.acquire(blocking=False):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(_POLL)
        return True


def _gate(app, size: int) -> _Gate:
    gate = getattr(app.state, "heavy_gate", None)
    if gate is None or gate.size != size:
        gate = app.state.heavy_gate = _Gate(size)
    return gate


async def run_heavy(request: Request, job, *args, cli: str):
    """``job(backend, store, *args)`` in a child process on the budget; its result, or an HTTPException
    (503) that says why not and how to get it (``cli``: the command that answers the same)."""
    from respgraph.web.serve_limits import serve_limits

    limits = serve_limits()
    gate = _gate(request.app, limits.heavy_at_once)
    if not await gate.enter(limits.heavy_wait):
        retry = max(1, round(limits.heavy_wait * 2))
        raise HTTPException(
            503,
            f"服务正忙：已有 {gate.size} 个导出或大图在计算（RESPGRAPH_HEAVY_AT_ONCE），请 {retry} 秒后再试",
            headers={"Retry-After": str(retry)},
        )
    try:
        return await _in_child(request, job, args, limits, cli)
    finally:
        gate.free.release()


def run_heavy_here(request: Request, job, *args, cli: str):
    """:func:`run_heavy` from a route that is a plain function (it runs in a worker thread)."""
    import functools

    import anyio.from_thread

    return anyio.from_thread.run(functools.partial(run_heavy, request, job, *args, cli=cli))


async def in_thread(fn, *args, **kwargs):
    """``fn`` in a worker thread, from an ``async`` route: what reads the store never runs on the event loop."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args, **kwargs)


def _over(what: str, cli: str) -> HTTPException:
    return HTTPException(
        503, f"{OVER_BUDGET}{what}：请缩小范围（?city=、?year=、?doc=），或在服务器上用命令行得到它：{cli}"
    )


async def _in_child(request: Request, job, args, limits, cli: str):
    from starlette.concurrency import run_in_threadpool

    backend = request.app.state.backend
    mp = _mp()
    receiving, sending = mp.Pipe(duplex=False)
    child = mp.Process(
        target=_child,
        daemon=True,
        name="respgraph-heavy",
        args=(sending, job, args, backend.settings, dict(os.environ), limits.heavy_mb, limits.heavy_seconds),
    )
    await run_in_threadpool(child.start)
    sending.close()
    deadline = time.monotonic() + limits.heavy_seconds
    left = asyncio.Event()
    watcher = asyncio.ensure_future(_watch(request, left))
    try:
        while not receiving.poll():
            if not child.is_alive() and not receiving.poll():
                raise RuntimeError(f"a heavy answer's process ended without an answer (exit code {child.exitcode})")
            if time.monotonic() > deadline:
                raise _over(f"时间预算（{limits.heavy_seconds:g} 秒，RESPGRAPH_HEAVY_SECONDS）", cli)
            if left.is_set():
                raise HTTPException(503, "客户端已断开")  # nobody reads it; the work stops here
            await asyncio.sleep(_POLL)
        outcome, value = await run_in_threadpool(receiving.recv)
    finally:
        watcher.cancel()
        if child.is_alive():
            child.kill()  # past its time, its client gone, or the server stopping
        await run_in_threadpool(child.join, 5)
        receiving.close()
    if outcome == "ok":
        return value
    if outcome == "memory":
        raise _over(f"内存预算（{limits.heavy_mb} MB，RESPGRAPH_HEAVY_MB）", cli)
    if outcome == "error":
        raise value
    raise RuntimeError(f"a heavy answer failed in its process:\n{value}")


async def _watch(request: Request, left: asyncio.Event) -> None:
    """Set ``left`` when the client disconnects: told by the server's own ``receive`` (kept by the
    shield), else asked of the request now and then."""
    from respgraph.web.shield import CLIENT_RECEIVE

    receive = request.scope.get(CLIENT_RECEIVE)
    while True:
        if receive is not None:
            gone = (await receive())["type"] == "http.disconnect"
        else:
            gone = await request.is_disconnected()
            await asyncio.sleep(_POLL)
        if gone:
            left.set()
            return


def _address_space() -> int:
    """Bytes of address space this process holds now (``VmSize``)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(sending, job, args, settings, environ: dict, budget_mb: int, seconds: float) -> None:
    """The child: the server's environment, the limits, its own store, the job, one message back."""
    import math
    import resource
    import traceback

    os.environ.clear()
    os.environ.update(environ)  # the forkserver's environment is that of its start, not of this request
    # Should the server die without killing it, the child ends itself when its time is up
    # (started first: its thread's stack is part of what the child holds at start).
    ender = threading.Timer(seconds + 2, os._exit, (3,))
    ender.daemon = True
    ender.start()
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    limit = _address_space() + budget_mb * _MB
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)  # a server started under a limit (prlimit, ulimit -v) keeps it
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        from respgraph.web.library import Backend

        backend = Backend(settings, read_only=True)
        message = ("ok", job(backend, backend.query_store(), *args))
    except MemoryError:
        message = ("memory", "")
    except RespgraphError as exc:
        message = ("error", exc if _picklable(exc) else RespgraphError(str(exc)))
    except BaseException:  # noqa: BLE001 - any other fault is the server's to log
        message = ("fault", traceback.format_exc())
    try:
        sending.send(message)
    except MemoryError:
        del message
        sending.send(("memory", ""))
    sending.close()
    os._exit(0)  # no clean-up of what the forkserver preloaded: the answer is sent


def _picklable(exc) -> bool:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:  # noqa: BLE001 - an error class whose arguments do not round-trip
        return False
