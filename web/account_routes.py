"""The routes of accounts: log in and out, a unit's reporting page, the office's review, users, the audit log.

Short functions over :mod:`respgraph.accounts`; the rights table (:mod:`respgraph.web.rights`)
says who may call each, and every POST has passed its CSRF check before it gets here.
"""

from __future__ import annotations

import datetime as dt
import io

from fastapi import Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from respgraph.accounts import audit as audit_log
from respgraph.accounts import submissions, users
from respgraph.accounts.model import AccountError, LoginRefused, NeedsConfirmation, Role, TooManyAttempts
from respgraph.web.auth import address_of
from respgraph.web.flash import notice_of, notice_url

__all__ = ["register"]

#: The status words offered on the form, the ones offices use most; any word of the vocabulary is accepted.
OFFERED = ("已完成", "超进度", "序时推进", "滞后", "未启动")


def _safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this server, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _backend(request: Request):
    return request.app.state.backend


def _store(request: Request):
    return _backend(request).store()


def _vocabulary(request: Request):
    from respgraph.loaders.progress.words import default_vocabulary

    return default_vocabulary(_backend(request).settings.home / "status_words.toml")


def _office_at_server():
    """The office at the server's own browser, before any account exists (acts as the office)."""
    from respgraph.accounts.model import User

    now = dt.datetime.now(dt.timezone.utc)
    return User(login="(office at the server)", display="督查室", role=Role.OFFICE, created=now, updated=now)


def register(route, *, page, respond, json_response, ctx, download) -> None:
    # --- log in and out -----------------------------------------------------------------------
    @route("GET", "/login", response_class=HTMLResponse, summary="登录")
    def login_page(request: Request, next: str | None = None):
        return page(request, "login.html", next=_safe_next(next), error=None)

    @route("POST", "/login", response_class=HTMLResponse, summary="登录")
    def login(request: Request, login: str = Form("", max_length=64), password: str = Form("", max_length=1024),
              next: str = Form("/", max_length=2000)):
        auth = request.app.state.auth
        if not auth.accounts_exist():
            return page(request, "login.html", 400, next=_safe_next(next),
                        error="尚无账号：请在服务器上运行 respgraph users add LOGIN --role office 添加第一个督查室账号")
        try:
            user = users.authenticate(_store(request), login, password, address=address_of(request),
                                      limiter=auth.limiter)
        except TooManyAttempts as exc:
            response = page(request, "login.html", 429, next=_safe_next(next),
                            error=f"登录失败次数过多，请 {exc.retry_after} 秒后再试")
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except LoginRefused:
            return page(request, "login.html", 401, next=_safe_next(next), error="账号或密码不对，或账号已停用")
        response = RedirectResponse(_safe_next(next), 303)
        auth.set_session(response, request, user)
        return response

    @route("POST", "/logout", summary="退出登录")
    def logout(request: Request, everywhere: str = Form("", max_length=1)):
        # The session ends on the server, not only in this browser: a copied cookie is refused too.
        request.app.state.auth.end_session(request, everywhere=everywhere == "1")
        response = RedirectResponse("/login", 303)
        request.app.state.auth.clear_session(response, request)
        return response

    @route("GET", "/account", response_class=HTMLResponse, summary="我的账号")
    def account(request: Request):
        return page(request, "account.html", done=notice_of(request), error=None)

    @route("POST", "/account/password", response_class=HTMLResponse, summary="修改我的密码")
    def account_password(request: Request, current: str = Form("", max_length=1024),
                         password: str = Form("", max_length=1024), again: str = Form("", max_length=1024)):
        user = request.state.user
        auth = request.app.state.auth
        if user is None:
            raise HTTPException(400, "没有登录账号：本机督查室（尚无账号时）无密码可改")
        try:
            users.authenticate(_store(request), user.login, current, address=address_of(request), limiter=auth.limiter,
                               logging_in=False)
            if password != again:
                raise AccountError("两次输入的新密码不同")
            changed = users.change_password(_store(request), user.login, password, actor=user.login,
                                            address=address_of(request), confirm=True)  # it gave its current one
        except (LoginRefused, TooManyAttempts):
            return page(request, "account.html", 400, done=None, error="当前密码不对")
        except AccountError as exc:
            return page(request, "account.html", 400, done=None, error=str(exc))
        response = RedirectResponse(notice_url(request, "/account", "password"), 303)
        auth.set_session(response, request, changed)  # this browser stays in; every other session has ended
        return response

    # --- a unit reports -------------------------------------------------------------------------
    @route("GET", "/report", response_class=HTMLResponse, summary="本单位报送进展")
    def report_page(request: Request, year: int | None = Query(None, ge=1900, le=2999),
                    quarter: int | None = Query(None, ge=1, le=4)):
        store = _store(request)
        user = request.state.user
        year, quarter = submissions.quarter_asked(store, year, quarter)
        due = submissions.due_targets(store, user, year=year, quarter=quarter)
        history = {}
        for s in submissions.submissions(store, year=year, quarter=quarter):
            if s.unit == user.bound:
                history.setdefault(s.target, []).append(s)
        return page(request, "report.html", year=year, quarter=quarter, due=due, history=history,
                    done=notice_of(request),
                    words=[w for w in OFFERED if w in _vocabulary(request).status], error=None,
                    limit=submissions.MAX_TEXT)

    @route("POST", "/report", response_class=HTMLResponse, summary="报送一项进展")
    def report(request: Request, target: str = Form(..., max_length=500), year: int = Form(..., ge=1900, le=2999),
               quarter: int = Form(..., ge=1, le=4), status: str = Form(..., max_length=50),
               done: str = Form("", max_length=submissions.MAX_TEXT * 2),
               obstacles: str = Form("", max_length=submissions.MAX_TEXT * 2)):
        store = _store(request)
        user = request.state.user
        try:
            sub = submissions.submit(store, user, target=target, year=year, quarter=quarter, status_word=status,
                                     done=done, obstacles=obstacles, vocabulary=_vocabulary(request),
                                     address=address_of(request))
        except AccountError as exc:  # NotAllowed too: a target not its own is refused, not shown
            raise HTTPException(400, str(exc)) from None
        return RedirectResponse(notice_url(request, "/report", "reported", sub.status_word, year=year, quarter=quarter)
                                + f"#t-{sub.key[-12:]}", 303)

    # --- the office reviews -------------------------------------------------------------------------
    def _review(request: Request, year: int | None, quarter: int | None):
        store = _store(request)
        year, quarter = submissions.quarter_asked(store, year, quarter)
        who = submissions.who_reported(store, year=year, quarter=quarter)
        latest = submissions.latest(store, year=year, quarter=quarter)
        returned = [s for s in submissions.submissions(store, year=year, quarter=quarter) if s.returned]
        from respgraph.accounts.rights import unit_scope_is_wide

        docs = [{**d, "implementers": submissions.implementers_may_report(store, d["key"]),
                 "wide": unit_scope_is_wide(store, d["key"])} for d in store.documents() if d.get("year") == year]
        return store, year, quarter, who, latest, returned, docs

    @route("GET", "/review", response_class=HTMLResponse, summary="报送情况（督查室）")
    @route("GET", "/review.{fmt:fmt}", summary="报送情况（孪生：respgraph submissions who）")
    def review(request: Request, year: int | None = Query(None, ge=1900, le=2999),
               quarter: int | None = Query(None, ge=1, le=4), fmt: str | None = None):
        store, year, quarter, who, latest, returned, docs = _review(request, year, quarter)
        if fmt == "json":
            return json_response(who)
        if fmt == "csv":
            from respgraph.web.library import csv_bytes

            return Response(csv_bytes(submissions.who_reported_rows(who)), media_type="text/csv; charset=utf-8")
        titles = {}
        for t in docs:
            titles[t["key"]] = t.get("title", t["key"])
        return page(request, "review.html", year=year, quarter=quarter, who=who, latest=latest, returned=returned,
                    docs=docs, done=notice_of(request), titles=titles)

    @route("POST", "/review/return", summary="退回一份报送")
    def review_return(request: Request, key: str = Form(..., max_length=200),
                      comment: str = Form(..., max_length=submissions.MAX_COMMENT * 2)):
        try:
            sub = submissions.return_submission(_store(request), request.state.user or _office_at_server(), key, comment,
                                                address=address_of(request))
        except AccountError as exc:
            raise HTTPException(400, str(exc)) from None
        return RedirectResponse(notice_url(request, "/review", "returned", sub.author, year=sub.year,
                                           quarter=sub.quarter), 303)

    @route("POST", "/review/implementers", summary="允许或不允许实施单位报送（按文件）")
    def review_implementers(request: Request, doc: str = Form(..., max_length=300), allow: str = Form("1", max_length=1)):
        from respgraph.queries.lookup import find_document

        store = _store(request)
        key = find_document(store.documents(), doc)
        submissions.allow_implementers(store, request.state.user or _office_at_server(), key, allow == "1",
                                       address=address_of(request))
        return RedirectResponse(notice_url(request, "/review", "implementers", f"{key.removeprefix('doc:')}：实施单位"
                                           f"{'可以' if allow == '1' else '不再'}报送"), 303)

    @route("POST", "/review/unit-scope", summary="单位可见范围（按文件）：仅列名事项，或也见同列单位的事项")
    def review_unit_scope(request: Request, doc: str = Form(..., max_length=300), wide: str = Form("0", max_length=1)):
        from respgraph.accounts.rights import widen_unit_scope
        from respgraph.queries.lookup import find_document

        store = _store(request)
        key = find_document(store.documents(), doc)
        widen_unit_scope(store, request.state.user or _office_at_server(), key, wide == "1", address=address_of(request))
        return RedirectResponse(notice_url(request, "/review", "implementers", f"{key.removeprefix('doc:')}：单位"
                                           f"{'也可见同列单位的全部事项' if wide == '1' else '仅见本单位列名的事项'}"), 303)

    @route("GET", "/review/workbook.xlsx", summary="下载一个季度的报送（progress load 可读的进展表）")
    def review_workbook(request: Request, doc: str = Query(..., max_length=300),
                        year: int = Query(..., ge=1900, le=2999), quarter: int = Query(..., ge=1, le=4)):
        import tempfile
        from pathlib import Path

        from respgraph.queries.lookup import find_document

        store = _store(request)
        key = find_document(store.documents(), doc)
        with tempfile.TemporaryDirectory(prefix="respgraph-") as folder:
            path = Path(folder) / "q.xlsx"
            submissions.export_workbook(store, document=key, year=year, quarter=quarter, path=path)
            data = path.read_bytes()
        name = f"{key.removeprefix('doc:').replace('/', '-')}-{year}Q{quarter}-进展情况.xlsx"
        return download(data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    # --- users ------------------------------------------------------------------------------------
    @route("GET", "/users", response_class=HTMLResponse, summary="账号（督查室）")
    @route("GET", "/users.{fmt:fmt}", summary="账号（孪生：respgraph users list）")
    def users_page(request: Request, fmt: str | None = None):
        found = users.list_users(_store(request))
        if fmt:
            rows = [u.model_dump(mode="json") for u in found]
            if fmt == "json":
                return json_response(rows)
            from respgraph.web.library import csv_bytes

            return Response(csv_bytes(rows), media_type="text/csv; charset=utf-8")
        return page(request, "users.html", users=found, done=notice_of(request), error=None,
                    roles=[r.value for r in Role])

    def _users_done(request: Request, key: str, login: str):
        return RedirectResponse(notice_url(request, "/users", key, login), 303)

    def _actor(request: Request) -> str:
        user = request.state.user
        return user.login if user is not None else "(office at the server)"

    @route("POST", "/users/add", response_class=HTMLResponse, summary="添加账号")
    def users_add(request: Request, login: str = Form(..., max_length=64), display: str = Form("", max_length=200),
                  role: str = Form(..., max_length=20), bound: str = Form("", max_length=200),
                  city: str = Form("", max_length=100), password: str = Form(..., max_length=1024)):
        backend = _backend(request)
        if backend.engine == "sqlite" and not backend.settings.graph_file.exists():
            raise HTTPException(400, "尚未载入任何表格：先上传表格，账号与图谱存在同一文件中")
        store = _store(request)
        bound = backend.name(bound.strip()) if bound.strip() else None
        try:
            user = users.add_user(store, login=login.strip(), display=display.strip() or bound or login.strip(),
                                  role=role, password=password, bound=bound, city=city.strip() or None,
                                  actor=_actor(request), address=address_of(request))
        except AccountError as exc:
            return page(request, "users.html", 400, users=users.list_users(store), done=None, error=str(exc),
                        roles=[r.value for r in Role])
        return _users_done(request, "added", user.login)

    @route("POST", "/users/disable", summary="停用账号（先确认）")
    def users_disable(request: Request, login: str = Form(..., max_length=64), confirm: str = Form("", max_length=1)):
        store = _store(request)
        if confirm != "1":  # a disable is asked once more, and says when it is the office's last account
            users.get_user(store, login)
            warning = ("这是最后一个启用的督查室账号：停用后，网页上无人能管理账号，只能在服务器上运行 "
                       f"respgraph users enable {login} 恢复。") if users.last_office(store, login) else ""
            return page(request, "confirm.html", title=f"停用账号 {login}？", warning=warning, action="/users/disable",
                        fields={"login": login}, button="确认停用", back="/users")
        users.disable_user(store, login, actor=_actor(request), address=address_of(request), confirm=True)
        return _users_done(request, "disabled", login)

    @route("POST", "/users/enable", summary="启用账号")
    def users_enable(request: Request, login: str = Form(..., max_length=64)):
        users.enable_user(_store(request), login, actor=_actor(request), address=address_of(request))
        return _users_done(request, "enabled", login)

    @route("POST", "/users/passwd", response_class=HTMLResponse, summary="重设账号密码")
    def users_passwd(request: Request, login: str = Form(..., max_length=64), password: str = Form(..., max_length=1024),
                     confirm: str = Form("", max_length=1)):
        store = _store(request)
        try:
            users.change_password(store, login, password, actor=_actor(request), address=address_of(request),
                                  confirm=confirm == "1")
        except NeedsConfirmation:
            return page(request, "users.html", 400, users=users.list_users(store), done=None, roles=[r.value for r in Role],
                        error=f"{login} 是最后一个启用的督查室账号，正在重设自己的密码：请勾选“确认”后再提交"
                              "（或在“我的账号”页用当前密码修改）")
        except AccountError as exc:
            return page(request, "users.html", 400, users=users.list_users(store), done=None, error=str(exc),
                        roles=[r.value for r in Role])
        return _users_done(request, "passwd", login)

    # --- the audit log ----------------------------------------------------------------------------
    @route("GET", "/audit", response_class=HTMLResponse, summary="审计日志（督查室）")
    def audit_page(request: Request, action: str | None = Query(None, max_length=50)):
        entries = audit_log.audit_log(_store(request), None, action=action or None)
        return page(request, "audit.html", entries=list(reversed(entries))[:1000], total=len(entries), action=action)

    @route("GET", "/audit.csv", summary="导出审计日志（CSV）")
    def audit_csv(request: Request):
        text = audit_log.export_audit(audit_log.audit_log(_store(request), None), "csv")
        return download(("\ufeff" + text).encode("utf-8"), "审计日志.csv", "text/csv; charset=utf-8")

    _ = (Depends, ctx, respond, io)
