"""Who may open which route: the routes' actions and the one table of rights give, for every role,
exactly the routes main's route → roles table gave (checked by hand, route by route, before the
routers replaced it); the walk in tests/test_web_accounts.py asks the running server the same."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from respgraph.accounts.rights import ROLE_ACTIONS  # noqa: E402
from respgraph.web.rights import ROLES, action_of  # noqa: E402
from tests.test_web import client_of, sample_home  # noqa: E402,F401 - the fixture: the sample, no account

READ = {"anonymous", "read-only", "office", "leader", "viewer"}
READ_UNIT = READ | {"unit"}
READ_NOT_LEADER = READ - {"leader"}
EVERYONE = set(ROLES)
WRITE = {"office"}
OFFICE = {"office"}  # the same roles as WRITE, another list of routes
SUBMIT = {"unit"}
LOGGED_IN = {"office", "leader", "unit", "viewer"}

#: (roles, routes): main's table, grouped by its role sets.
EXPECTED = [
    (
        READ_UNIT,
        (
            "GET /",
            "GET /units/{city}/{name:path}",
            "GET /units/{city}/{name:path}.{fmt:fmt}",
            "GET /units/{city}/{name:path}/picture",
            "GET /units/{city}/{name:path}/picture.png",
            "GET /items/{document:path}/{number}",
            "GET /items/{document:path}/{number}.{fmt:fmt}",
        ),
    ),
    (
        READ,
        (
            "GET /index.{fmt:fmt}",
            "GET /suggest",
            "GET /go",
            "GET /units/{name}",
            "GET /leaders/{city}/{name:path}",
            "GET /leaders/{city}/{name:path}.{fmt:fmt}",
            "GET /leaders/{city}/{name:path}/picture",
            "GET /leaders/{name}",
            "GET /leaders/{city}/{name:path}/brief.{ext}",
            "GET /leaders/{city}/{name:path}/picture.png",
            "GET /workload",
            "GET /workload.{fmt:fmt}",
            "GET /co",
            "GET /co.{fmt:fmt}",
            "GET /co/picture",
            "GET /co/brokerage",
            "GET /co/brokerage.{fmt:fmt}",
            "GET /co/core",
            "GET /co/core.{fmt:fmt}",
            "GET /co/ties",
            "GET /co/ties.{fmt:fmt}",
            "GET /board",
            "GET /board.{fmt:fmt}",
            "GET /board/notices.zip",
            "GET /board/issued.zip",
            "GET /board/scorecard",
            "GET /board/scorecard.{fmt:fmt}",
            "GET /board/scorecard.xlsx",
            "GET /board/bulletin.docx",
            "GET /board/workbook.xlsx",
            "GET /openapi.json",
            "GET /api",
        ),
    ),
    (
        READ_NOT_LEADER,
        (
            "GET /files",
            "GET /files.{fmt:fmt}",
            "GET /diff",
            "GET /diff.{fmt:fmt}",
            "GET /export",
            "GET /export/graph.{fmt2}",
        ),
    ),
    (
        EVERYONE,
        (
            "GET /static/{path}",
            "GET /login",
            "POST /login",
            "POST /logout",
        ),
    ),
    (
        WRITE,
        (
            "POST /files/check",
            "POST /files/check.{fmt:fmt}",
            "POST /files/load",
            "GET /files/remove",
            "POST /files/remove",
            "POST /progress/check",
            "POST /progress/check.{fmt:fmt}",
            "POST /progress/load",
            "POST /board/notices",
            "POST /board/bulletin",
        ),
    ),
    (
        LOGGED_IN,
        (
            "GET /account",
            "POST /account/password",
        ),
    ),
    (
        SUBMIT,
        (
            "GET /report",
            "POST /report",
        ),
    ),
    (
        OFFICE,
        (
            "GET /review",
            "GET /review.{fmt:fmt}",
            "POST /review/return",
            "POST /review/implementers",
            "POST /review/unit-scope",
            "GET /review/workbook.xlsx",
            "GET /users",
            "GET /users.{fmt:fmt}",
            "POST /users/add",
            "POST /users/disable",
            "POST /users/enable",
            "POST /users/passwd",
            "GET /audit",
            "GET /audit.csv",
        ),
    ),
]


def test_every_route_opens_to_the_roles_it_did(sample_home):
    app = client_of(sample_home).app
    found = {
        f"{m} {r.path}": {role for role in ROLES if action_of(r) in ROLE_ACTIONS[role]}
        for r in app.routes
        for m in r.methods
        if m != "HEAD"
    }
    expected = {route: roles for roles, routes in EXPECTED for route in routes}
    assert set(found) == set(expected)
    assert {route: roles for route, roles in found.items() if roles != expected[route]} == {}


def test_a_read_only_server_keeps_its_readers_routes(sample_home):
    app = client_of(sample_home, read_only=True).app
    served = {f"{m} {r.path}" for r in app.routes for m in r.methods if m != "HEAD"}
    writes = {route for roles, routes in EXPECTED if roles is WRITE for route in routes}
    assert len(writes) == 10
    writes |= {"POST /report", "POST /review/return"}  # a unit's report, and the office returning one
    assert served == {route for _, routes in EXPECTED for route in routes} - writes
