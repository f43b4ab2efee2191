"""The Neo4j store's gate: reads together, a write alone, the writer's own reads let through."""

import threading

from respgraph.graph.commit_gate import CommitGate


def test_a_read_waits_for_a_write_and_a_write_for_the_reads():
    gate, seen = CommitGate(), []
    read_started = threading.Event()

    def read():
        read_started.set()
        with gate.reading():
            seen.append("read")

    with gate.writing():
        reader = threading.Thread(target=read)
        reader.start()
        read_started.wait()
        reader.join(0.2)
        assert reader.is_alive() and seen == []  # held at the gate while the write runs
        with gate.reading():  # the writing thread's own read is not
            seen.append("writer's read")
    reader.join(5)
    assert seen == ["writer's read", "read"]

    with gate.reading():
        writer = threading.Thread(target=lambda: gate.commit(lambda f: f(None), lambda tx: seen.append("write")))
        writer.start()
        writer.join(0.2)
        assert writer.is_alive()
    writer.join(5)
    assert seen[-1] == "write"


def test_a_waiting_write_goes_before_new_reads():
    gate, order = CommitGate(), []
    first = gate.reading()
    first.__enter__()
    writer = threading.Thread(target=lambda: gate.commit(lambda f: f(None), lambda tx: order.append("write")))
    writer.start()
    while not gate._waiting:  # the writer is queued behind the first read
        threading.Event().wait(0.01)
    late = threading.Thread(target=lambda: gate.reading().__enter__() or order.append("late read"))
    late.start()
    late.join(0.2)
    assert late.is_alive()
    first.__exit__(None, None, None)
    writer.join(5)
    late.join(5)
    assert order == ["write", "late read"]


def test_a_wait_past_the_limit_is_one_error(monkeypatch):
    import pytest

    from respgraph.graph.errors import RespgraphError

    monkeypatch.setenv("RESPGRAPH_LOCK_WAIT", "0.2")
    gate, failed = CommitGate(), []

    def read():
        try:
            with gate.reading():
                pass
        except RespgraphError as exc:
            failed.append(str(exc))

    with gate.writing():
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(5)
    assert failed and "RESPGRAPH_LOCK_WAIT" in failed[0]
    with gate.reading(), pytest.raises(RespgraphError, match="waited 0 s"):
        gate.commit(lambda f: f(None), lambda tx: None)
    with gate.writing():  # the failed waits left nothing behind
        pass
