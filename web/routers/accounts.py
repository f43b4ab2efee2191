"""Accounts: logging in and out, one's own password, a unit's reporting page, and the office's users.

Short functions over :mod:`respgraph.accounts`; every POST has passed its CSRF check
(:class:`respgraph.web.rights.Requires`) before it gets here.  A unit's report is in
:data:`writes`: not served under ``--read-only``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from respgraph.accounts import submissions, users
from respgraph.accounts.model import AccountError, LoginRefused, NeedsConfirmation, Role, TooManyAttempts
from respgraph.web.auth import address_of
from respgraph.web.contexts import AccountPage, ConfirmPage, LoginPage, ReportPage, UsersPage
from respgraph.web.deps import BackendDep, CurrentUser, StoreDep
from respgraph.web.flash import notice_of, notice_url
from respgraph.web.render import json_response, page
from respgraph.web.rights import requires

__all__ = ["router", "office", "writes", "OFFERED"]

router = APIRouter()
writes = APIRouter()
office = APIRouter(dependencies=[requires("users")])

#: The status words offered on the form, the ones offices use most; any word of the vocabulary is accepted.
OFFERED = ("已完成", "超进度", "序时推进", "滞后", "未启动")
Login = Annotated[str, Form(max_length=64)]
Secret = Annotated[str, Form(max_length=1024)]
Year = Annotated[int | None, Query(ge=1900, le=2999)]
Quarter = Annotated[int | None, Query(ge=1, le=4)]


def _safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this server, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def vocabulary(backend):
    """The status words the progress reader knows (the home's own list, else the bundled one)."""
    from respgraph.loaders.progress.words import default_vocabulary

    return default_vocabulary(backend.settings.home / "status_words.toml")


# --- log in and out ---------------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse, summary="登录", dependencies=[requires("enter")])
def login_page(request: Request, next: str | None = None):
    return page(request, LoginPage(next=_safe_next(next)))


@router.post("/login", response_class=HTMLResponse, summary="登录", dependencies=[requires("enter")])
def login(
    request: Request,
    store: StoreDep,
    login: Login = "",
    password: Secret = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
):
    auth = request.app.state.auth
    if not auth.accounts_exist():
        return page(
            request,
            LoginPage(
                next=_safe_next(next),
                error="尚无账号：请在服务器上运行 respgraph users add LOGIN --role office 添加第一个督查室账号",
            ),
            400,
        )
    try:
        user = users.authenticate(store, login, password, address=address_of(request), limiter=auth.limiter)
    except TooManyAttempts as exc:
        response: Response = page(
            request, LoginPage(next=_safe_next(next), error=f"登录失败次数过多，请 {exc.retry_after} 秒后再试"), 429
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except LoginRefused:
        return page(request, LoginPage(next=_safe_next(next), error="账号或密码不对，或账号已停用"), 401)
    response = RedirectResponse(_safe_next(next), 303)
    auth.set_session(response, request, user)
    return response


@router.post("/logout", summary="退出登录", dependencies=[requires("enter")])
def logout(request: Request, everywhere: Annotated[str, Form(max_length=1)] = ""):
    # The session ends on the server, not only in this browser: a copied cookie is refused too.
    request.app.state.auth.end_session(request, everywhere=everywhere == "1")
    response = RedirectResponse("/login", 303)
    request.app.state.auth.clear_session(response, request)
    return response


@router.get("/account", response_class=HTMLResponse, summary="我的账号", dependencies=[requires("account")])
def account(request: Request):
    return page(request, AccountPage(done=notice_of(request)))


@router.post(
    "/account/password", response_class=HTMLResponse, summary="修改我的密码", dependencies=[requires("account")]
)
def account_password(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    current: Secret = "",
    password: Secret = "",
    again: Secret = "",
):
    auth = request.app.state.auth
    if user is None:
        raise HTTPException(400, "没有登录账号：本机督查室（尚无账号时）无密码可改")
    try:
        users.authenticate(
            store, user.login, current, address=address_of(request), limiter=auth.limiter, logging_in=False
        )
        if password != again:
            raise AccountError("两次输入的新密码不同")
        changed = users.change_password(
            store, user.login, password, actor=user.login, address=address_of(request), confirm=True
        )  # it gave its current one
    except (LoginRefused, TooManyAttempts):
        return page(request, AccountPage(error="当前密码不对"), 400)
    except AccountError as exc:
        return page(request, AccountPage(error=str(exc)), 400)
    response = RedirectResponse(notice_url(request, "/account", "password"), 303)
    auth.set_session(response, request, changed)  # this browser stays in; every other session has ended
    return response


# --- a unit reports ---------------------------------------------------------------------------------
@router.get("/report", response_class=HTMLResponse, summary="本单位报送进展", dependencies=[requires("submit")])
def report_page(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    backend: BackendDep,
    year: Year = None,
    quarter: Quarter = None,
):
    assert user is not None  # requires("submit"): only a unit's own account reports
    year, quarter = submissions.quarter_asked(store, year, quarter)
    due = submissions.due_targets(store, user, year=year, quarter=quarter)
    history: dict[str, list] = {}
    for s in submissions.submissions(store, year=year, quarter=quarter):
        if s.unit == user.bound:
            history.setdefault(s.target, []).append(s)
    return page(
        request,
        ReportPage(
            year=year,
            quarter=quarter,
            due=due,
            history=history,
            done=notice_of(request),
            words=[w for w in OFFERED if w in vocabulary(backend).status],
            limit=submissions.MAX_TEXT,
        ),
    )


Text = Annotated[str, Form(max_length=submissions.MAX_TEXT * 2)]


@writes.post("/report", response_class=HTMLResponse, summary="报送一项进展", dependencies=[requires("submit")])
def report(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    backend: BackendDep,
    target: Annotated[str, Form(max_length=500)],
    year: Annotated[int, Form(ge=1900, le=2999)],
    quarter: Annotated[int, Form(ge=1, le=4)],
    status: Annotated[str, Form(max_length=50)],
    done: Text = "",
    obstacles: Text = "",
):
    assert user is not None  # requires("submit"): only a unit's own account reports
    try:
        sub = submissions.submit(
            store,
            user,
            target=target,
            year=year,
            quarter=quarter,
            status_word=status,
            done=done,
            obstacles=obstacles,
            vocabulary=vocabulary(backend),
            address=address_of(request),
        )
    except AccountError as exc:  # NotAllowed too: a target not its own is refused, not shown
        raise HTTPException(400, str(exc)) from None
    return RedirectResponse(
        notice_url(request, "/report", "reported", sub.status_word, year=year, quarter=quarter) + f"#t-{sub.key[-12:]}",
        303,
    )


# --- the office's users -----------------------------------------------------------------------------
def _users_page(request: Request, store, status: int = 200, *, error: str | None = None):
    return page(
        request,
        UsersPage(
            users=users.list_users(store),
            roles=[r.value for r in Role],
            error=error,
            done=notice_of(request) if status == 200 else None,
        ),
        status,
    )


def _users_done(request: Request, key: str, login: str):
    return RedirectResponse(notice_url(request, "/users", key, login), 303)


def _actor(user) -> str:
    return user.login if user is not None else "(office at the server)"


@office.get("/users.{fmt:fmt}", summary="账号（孪生：respgraph users list）")
@office.get("/users", response_class=HTMLResponse, summary="账号（督查室）")
def users_page(request: Request, store: StoreDep, fmt: str | None = None):
    if not fmt:
        return _users_page(request, store)
    rows = [u.model_dump(mode="json") for u in users.list_users(store)]
    if fmt == "json":
        return json_response(rows)
    from respgraph.web.library import csv_bytes

    return Response(csv_bytes(rows), media_type="text/csv; charset=utf-8")


@office.post("/users/add", response_class=HTMLResponse, summary="添加账号")
def users_add(
    request: Request,
    user: CurrentUser,
    backend: BackendDep,
    login: Login,
    role: Annotated[str, Form(max_length=20)],
    password: Secret,
    display: Annotated[str, Form(max_length=200)] = "",
    bound: Annotated[str, Form(max_length=200)] = "",
    city: Annotated[str, Form(max_length=100)] = "",
):
    if backend.engine == "sqlite" and not backend.settings.graph_file.exists():
        raise HTTPException(400, "尚未载入任何表格：先上传表格，账号与图谱存在同一文件中")
    store = backend.store()
    bound_key = backend.name(bound.strip()) if bound.strip() else None
    try:
        added = users.add_user(
            store,
            login=login.strip(),
            display=display.strip() or bound_key or login.strip(),
            role=role,
            password=password,
            bound=bound_key,
            city=city.strip() or None,
            actor=_actor(user),
            address=address_of(request),
        )
    except AccountError as exc:
        return _users_page(request, store, 400, error=str(exc))
    return _users_done(request, "added", added.login)


@office.post("/users/disable", summary="停用账号（先确认）")
def users_disable(
    request: Request, user: CurrentUser, store: StoreDep, login: Login, confirm: Annotated[str, Form(max_length=1)] = ""
):
    if confirm != "1":  # a disable is asked once more, and says when it is the office's last account
        users.get_user(store, login)
        warning = (
            (
                "这是最后一个启用的督查室账号：停用后，网页上无人能管理账号，只能在服务器上运行 "
                f"respgraph users enable {login} 恢复。"
            )
            if users.last_office(store, login)
            else ""
        )
        return page(
            request,
            ConfirmPage(
                title=f"停用账号 {login}？",
                warning=warning,
                action="/users/disable",
                fields={"login": login},
                button="确认停用",
                back="/users",
            ),
        )
    users.disable_user(store, login, actor=_actor(user), address=address_of(request), confirm=True)
    return _users_done(request, "disabled", login)


@office.post("/users/enable", summary="启用账号")
def users_enable(request: Request, user: CurrentUser, store: StoreDep, login: Login):
    users.enable_user(store, login, actor=_actor(user), address=address_of(request))
    return _users_done(request, "enabled", login)


@office.post("/users/passwd", response_class=HTMLResponse, summary="重设账号密码")
def users_passwd(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    login: Login,
    password: Secret,
    confirm: Annotated[str, Form(max_length=1)] = "",
):
    try:
        users.change_password(
            store, login, password, actor=_actor(user), address=address_of(request), confirm=confirm == "1"
        )
    except NeedsConfirmation:
        return _users_page(
            request,
            store,
            400,
            error=f"{login} 是最后一个启用的督查室账号，正在重设自己的密码：请勾选“确认”后再提交"
            "（或在“我的账号”页用当前密码修改）",
        )
    except AccountError as exc:
        return _users_page(request, store, 400, error=str(exc))
    return _users_done(request, "passwd", login)
