"""A one-shot question's reads over Bolt without the Neo4j driver: the standard library only.

Importing the driver costs about as much as Python, click and pydantic together (its
asyncio and sync halves, and tables it builds at import), so a one-shot command on Neo4j
took twice the time of the same command on the embedded store.  A question needs little
of it: one connection to one server (``bolt://``, no TLS, no cluster routing), auto-commit
reads, and values that are maps, lists, text, numbers and dates.  This module speaks just
that: Bolt 5 (the handshake, HELLO and LOGON, RUN and PULL) and the PackStream values our
statements return.  Anything else — ``neo4j://`` and ``+s`` addresses, writes, a user's own
Cypher — goes through the driver (:mod:`respgraph.graph.neo4j_store`).
"""

from __future__ import annotations

import datetime as dt
import socket
import struct
from typing import Any

__all__ = ["BoltConnection", "BoltFailure", "pack", "unpack"]

#: Bolt 5.4 down to 5.0 (Neo4j 5.23+ speaks 5.4 or more): ``[0, range, minor, major]``.
_VERSIONS = bytes([0x60, 0x60, 0xB0, 0x17, 0, 4, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
_HELLO, _LOGON, _GOODBYE, _RUN, _PULL = 0x01, 0x6A, 0x02, 0x10, 0x3F
_SUCCESS, _RECORD, _IGNORED, _FAILURE = 0x70, 0x71, 0x7E, 0x7F
_EPOCH = dt.date(1970, 1, 1)


class BoltFailure(Exception):
    """The server refused a message: its Neo4j ``code`` and ``message``."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class _Structure:
    def __init__(self, tag: int, fields: list):
        self.tag, self.fields = tag, fields


def pack(value: Any) -> bytes:
    """``value`` in PackStream: None, bool, int, float, str, list, dict, date.

    >>> pack({"a": [1, None, "x"]}).hex()
    'a181619301c08178'
    """
    out = bytearray()
    _pack(value, out)
    return bytes(out)


def _pack(value: Any, out: bytearray) -> None:
    if value is None:
        out.append(0xC0)
    elif value is True:
        out.append(0xC3)
    elif value is False:
        out.append(0xC2)
    elif isinstance(value, int):
        if -16 <= value < 128:
            out += struct.pack(">b", value)
        elif -(2**31) <= value < 2**31:
            out += b"\xca" + struct.pack(">i", value)
        else:
            out += b"\xcb" + struct.pack(">q", value)
    elif isinstance(value, float):
        out += b"\xc1" + struct.pack(">d", value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _size(len(data), 0x80, 0xD0, out)
        out += data
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        _size(len(items), 0x90, 0xD4, out)
        for item in items:
            _pack(item, out)
    elif isinstance(value, dict):
        _size(len(value), 0xA0, 0xD8, out)
        for key, item in value.items():
            _pack(str(key), out)
            _pack(item, out)
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        out += b"\xb1\x44"
        _pack((value - _EPOCH).days, out)
    else:
        raise TypeError(f"cannot send a {type(value).__name__} to Neo4j")


def _size(n: int, tiny: int, marker: int, out: bytearray) -> None:
    if n < 16:
        out.append(tiny + n)
    elif n < 0x100:
        out += bytes([marker, n])
    elif n < 0x10000:
        out += bytes([marker + 1]) + struct.pack(">H", n)
    else:
        out += bytes([marker + 2]) + struct.pack(">I", n)


def unpack(data: bytes) -> Any:
    """One PackStream value from ``data``.

    >>> unpack(pack({"a": [1, None, "x", -300, 2.5, True]}))
    {'a': [1, None, 'x', -300, 2.5, True]}
    """
    value, _ = _unpack(memoryview(data), 0)
    return value


def _unpack(data: memoryview, at: int):  # noqa: C901 - one branch per marker, the common ones first
    marker = data[at]
    at += 1
    if marker < 0x80:
        return marker, at
    if marker < 0x90:
        end = at + marker - 0x80
        return str(data[at:end], "utf-8"), end
    if marker == 0xD0:
        end = at + 1 + data[at]
        return str(data[at + 1 : end], "utf-8"), end
    if marker < 0xA0:
        return _list(data, at, marker - 0x90)
    if marker < 0xB0:
        return _map(data, at, marker - 0xA0)
    if marker == 0xC0:
        return None, at
    if marker < 0xC0:
        return _structure(data, at, marker - 0xB0)
    if marker >= 0xF0:
        return marker - 0x100, at
    if marker in (0xC2, 0xC3):
        return marker == 0xC3, at
    if marker == 0xC1:
        return _DOUBLE.unpack_from(data, at)[0], at + 8
    if marker in _SIZED:
        fmt = _SIZED[marker]
        return fmt.unpack_from(data, at)[0], at + fmt.size
    for base, read in ((0xD0, _text), (0xD4, _list), (0xD8, _map), (0xCC, _bytes)):
        if base <= marker <= base + 2:
            fmt = _LENGTHS[marker - base]
            return read(data, at + fmt.size, fmt.unpack_from(data, at)[0])
    raise ValueError(f"PackStream marker {marker:#x} is not understood here")


_DOUBLE = struct.Struct(">d")
_SIZED = {0xC8: struct.Struct(">b"), 0xC9: struct.Struct(">h"), 0xCA: struct.Struct(">i"), 0xCB: struct.Struct(">q")}
_LENGTHS = {0: struct.Struct(">B"), 1: struct.Struct(">H"), 2: struct.Struct(">I")}


def _text(data: memoryview, at: int, n: int):
    return str(data[at : at + n], "utf-8"), at + n


def _bytes(data: memoryview, at: int, n: int):
    return bytes(data[at : at + n]), at + n


def _list(data: memoryview, at: int, n: int):
    out = [None] * n
    for i in range(n):
        out[i], at = _unpack(data, at)
    return out, at


def _map(data: memoryview, at: int, n: int):
    out = {}
    for _ in range(n):
        key, at = _unpack(data, at)
        out[key], at = _unpack(data, at)
    return out, at


def _structure(data: memoryview, at: int, n: int):
    tag = data[at]
    fields, at = _list(data, at + 1, n)
    if tag == 0x44:  # Date: days since the epoch
        return _EPOCH + dt.timedelta(days=fields[0]), at
    if tag == 0x49:  # DateTime in UTC (Bolt 5): seconds, nanoseconds, offset
        seconds, nanos, offset = fields
        zone = dt.timezone(dt.timedelta(seconds=offset))
        when = dt.datetime.fromtimestamp(seconds, zone) + dt.timedelta(microseconds=nanos // 1000)
        return when, at
    return _Structure(tag, fields), at


class BoltConnection:
    """One Bolt connection to one server, for auto-commit reads."""

    def __init__(self, host: str, port: int, *, user: str, password: str, timeout: float = 5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(None)  # as the driver: a long question waits for its answer
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(_VERSIONS)
        agreed = self._exactly(4)
        if agreed == b"\x00\x00\x00\x00" or agreed[3] != 5:
            self.close()
            raise BoltFailure("Respgraph.Bolt.Version", f"the server speaks no Bolt 5 ({agreed.hex()})")
        self.minor = agreed[2]
        agent: dict[str, object] = {"user_agent": "respgraph"}
        if self.minor >= 3:
            agent["bolt_agent"] = {"product": "respgraph"}
        auth = {"scheme": "basic", "principal": user, "credentials": password}
        if self.minor >= 1:
            self._send(_HELLO, agent)
            self._send(_LOGON, auth)
            self._flush()
            self._reply()
            self._reply()
        else:
            self._send(_HELLO, {**agent, **auth})
            self._flush()
            self._reply()
        self._out = bytearray()

    def run(self, query: str, params: dict, database: str) -> list[dict]:
        """The rows of an auto-commit read of ``query`` in ``database``, each a dict."""
        self._send(_RUN, query, params, {"db": database, "mode": "r"})
        self._send(_PULL, {"n": -1})
        self._flush()
        head = self._reply()
        fields = head.get("fields", [])
        rows = []
        while True:
            tag, values = self._message()
            if tag == _RECORD:
                rows.append(dict(zip(fields, values[0])))
            elif tag == _SUCCESS:
                return rows
            else:
                self._failed(tag, values)

    def close(self) -> None:
        try:
            self._send(_GOODBYE)
            self._flush()
        except OSError:
            pass
        self.sock.close()

    # --- messages ----------------------------------------------------------------------
    def _send(self, tag: int, *fields) -> None:
        body = bytes([0xB0 + len(fields), tag]) + b"".join(pack(f) for f in fields)
        out = getattr(self, "_out", None)
        if out is None:
            self._out = out = bytearray()
        for start in range(0, len(body), 0xFFFF):
            chunk = body[start : start + 0xFFFF]
            out += struct.pack(">H", len(chunk)) + chunk
        out += b"\x00\x00"

    def _flush(self) -> None:
        self.sock.sendall(bytes(self._out))
        self._out = bytearray()

    def _reply(self) -> dict:
        tag, values = self._message()
        if tag != _SUCCESS:
            self._failed(tag, values)
        return values[0] if values else {}

    def _failed(self, tag: int, values: list):
        if tag == _FAILURE:
            meta = values[0] if values else {}
            failure = BoltFailure(meta.get("code", "Neo.DatabaseError.General.UnknownError"), meta.get("message", ""))
            self.sock.close()  # after a failure the connection wants a RESET; a question opens another
            raise failure
        self.sock.close()
        raise BoltFailure("Respgraph.Bolt.Protocol", f"unexpected message {tag:#x}")

    def _message(self) -> tuple[int, list]:
        body = bytearray()
        while True:
            (size,) = struct.unpack(">H", self._exactly(2))
            if size == 0:
                if body:
                    break
                continue  # a keep-alive NOOP
            body += self._exactly(size)
        value = _unpack(memoryview(body), 0)[0]
        if not isinstance(value, _Structure):
            raise BoltFailure("Respgraph.Bolt.Protocol", "a message that is not a structure")
        return value.tag, value.fields

    def _exactly(self, n: int) -> bytes:
        data = bytearray()
        while len(data) < n:
            part = self.sock.recv(n - len(data))
            if not part:
                raise ConnectionError("the server closed the connection")
            data += part
        return bytes(data)
