"""The one table of the Chinese words a person reads for the project's codes.

Statuses, warning colours, roles, kinds of unit and district, and account roles each
have exactly one label here; the web pages, the pictures, the notices, the report and
the exports all read it (``tests/test_labels.py`` holds that), so the board and the
notice it prints never call one status by two names.

>>> STATUS_ZH["ahead"], WARNING_ZH["red"], ROLE_ZH["assist"], ACCOUNT_ROLE_ZH["office"]
('超进度', '红', '协办', '督查室')
"""

from __future__ import annotations

from respgraph.graph.i18n import N_, NC_, gettext, pgettext

__all__ = [
    "STATUS_ZH",
    "WARNING_ZH",
    "ROLE_ZH",
    "KIND_ZH",
    "UNIT_KIND_ZH",
    "NAME_KIND_ZH",
    "ACCOUNT_ROLE_ZH",
    "TABLES",
    "COLUMNS",
    "column_label",
    "AUDIT_ACTIONS",
    "audit_action",
    "PROGRESS_NOTES",
    "progress_note",
]

# These tables stay the single source of their words rather than moving into the catalogue:
# they label codes (data) for the documents, the pictures and the pages, which speak Chinese
# whatever the reader's language (the notices and the report are sent as written), and
# tests/test_labels.py holds that each code has exactly one label. The sentences around them
# are the catalogue's (graph/locale).

#: A progress status (graph.progress.Status) as the office's own tables word it.
STATUS_ZH = {
    "done": "已完成",
    "ahead": "超进度",
    "on_track": "序时推进",
    "behind": "滞后",
    "not_started": "未启动",
    "other": "其它",
    "no_report": "未报送",
}
#: The 三色 (and orange) warning of an item.
WARNING_ZH = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}
#: A unit's role on an item.
ROLE_ZH = {"lead": "牵头", "implement": "实施", "assist": "协办"}
#: A kind of unit, ``group`` for the collective names, then the kinds of district.
KIND_ZH = {
    "city_department": "市直部门",
    "county_government": "县（市、区）政府",
    "zone_committee": "功能区管委会",
    "enterprise": "企业",
    "stationed_agency": "中央、省驻地单位",
    "other": "其他单位",
    "group": "单位集合",
    "county": "县",
    "county_city": "县级市",
    "district": "区",
    "zone": "功能区",
}
#: The kinds a unit (or a group) may have: what a choice of unit kind offers.
UNIT_KIND_ZH = {
    k: KIND_ZH[k]
    for k in (
        "city_department",
        "county_government",
        "zone_committee",
        "enterprise",
        "stationed_agency",
        "other",
        "group",
    )
}
#: What a name was looked up as (the words of ``UnknownName`` and ``AmbiguousName``).
NAME_KIND_ZH = {
    "unit": "单位",
    "unit or group": "单位或单位集合",
    "leader": "分管领导",
    "district": "县（市、区）",
    "city": "城市",
    "item": "事项",
}
#: An account's role.
ACCOUNT_ROLE_ZH = {"office": "督查室", "leader": "领导", "unit": "单位", "viewer": "只读"}

#: Every table, by what it labels: the test that each code has one label walks these.
TABLES = {
    "status": STATUS_ZH,
    "warning": WARNING_ZH,
    "role": ROLE_ZH,
    "kind": KIND_ZH,
    "name_kind": NAME_KIND_ZH,
    "account_role": ACCOUNT_ROLE_ZH,
}


#: The columns of an answer's table (its flat rows' keys) as a person reads them: the CLI's
#: table and the web's CSV in the reader's language, the CLI's CSV when ``--lang`` is given.
COLUMNS = {
    "attachment": NC_("column", "attachment"),
    "number": NC_("column", "number"),
    "title": NC_("column", "title"),
    "content": NC_("column", "content"),
    "targets": NC_("column", "targets"),
    "deadline": NC_("column", "deadline"),
    "leader": NC_("column", "leader"),
    "lead": NC_("column", "lead"),
    "implement": NC_("column", "implement"),
    "assist": NC_("column", "assist"),
    "roles": NC_("column", "roles"),
    "parts": NC_("column", "parts"),
    "via": NC_("column", "via"),
    "city": NC_("column", "city"),
    "year": NC_("column", "year"),
    "document": NC_("column", "document"),
    "name": NC_("column", "name"),
    "kind": NC_("column", "kind"),
    "items": NC_("column", "items"),
    "unit": NC_("column", "unit"),
    "status": NC_("column", "status"),
    "warning": NC_("column", "warning"),
    "line": NC_("column", "line"),
    "cell": NC_("column", "cell"),
    "message": NC_("column", "message"),
    "file": NC_("column", "file"),
    "part": NC_("column", "part"),
    "quarter": NC_("column", "quarter"),
    "why": NC_("column", "why"),
    "district": NC_("column", "district"),
    "login": NC_("column", "login"),
    "display": NC_("column", "display"),
    "role": NC_("column", "role"),
    "bound": NC_("column", "bound"),
    "bound_name": NC_("column", "bound_name"),
    "active": NC_("column", "active"),
    "session_version": NC_("column", "session_version"),
    "created": NC_("column", "created"),
    "updated": NC_("column", "updated"),
    "accounts": NC_("column", "accounts"),
    "due": NC_("column", "due"),
    "missing": NC_("column", "missing"),
    "reported": NC_("column", "reported"),
}


def column_label(key: str, lang: str | None = None) -> str:
    """A column's header in ``lang`` (the current language by default); a column the table does
    not know keeps its key.

    >>> column_label("deadline", "zh_CN"), column_label("deadline", "en"), column_label("shared", "zh_CN")
    ('完成时限', 'deadline', 'shared')
    """
    return pgettext("column", COLUMNS[key], lang) if key in COLUMNS else key


#: What each action of the audit log did, as its page says it (messages of the catalogue).
AUDIT_ACTIONS = {
    "login": N_("logged in"),
    "login.failed": N_("failed to log in"),
    "logout": N_("logged out"),
    "logout.everywhere": N_("logged out everywhere"),
    "notices.issue": N_("issued notices"),
    "submission.add": N_("reported progress"),
    "submission.return": N_("returned a report"),
    "table.implementers": N_("set who reports on a table"),
    "table.remove": N_("removed a table"),
    "table.unit_scope": N_("set a table's units"),
    "table.upload": N_("loaded a table"),
    "progress.upload": N_("loaded progress"),
    "user.add": N_("added an account"),
    "user.disable": N_("disabled an account"),
    "user.enable": N_("enabled an account"),
    "user.passwd": N_("set a password"),
    "user.rehash": N_("renewed a password's hash"),
}


def audit_action(code: str, lang: str | None = None) -> str:
    """An audit log's action in ``lang``; an action this table does not know keeps its code.

    >>> audit_action("notices.issue", "zh_CN"), audit_action("notices.issue", "en")
    ('签发督办通知', 'issued notices')
    """
    return gettext(AUDIT_ACTIONS[code], lang) if code in AUDIT_ACTIONS else code


#: The kinds of note of a progress report's matching (loaders.progress.reports.Note), as a page says them.
PROGRESS_NOTES = {
    "unmatched": N_("a row that matches no item"),
    "other_document": N_("a row on another table's item"),
    "wrong_number": N_("a row whose number and title disagree"),
    "no_row": N_("an item without a row"),
}


def progress_note(kind: str, lang: str | None = None) -> str:
    """A kind of progress note in ``lang``; one this table does not know keeps its code.

    >>> progress_note("no_row", "zh_CN")
    '事项没有对应行'
    """
    return gettext(PROGRESS_NOTES[kind], lang) if kind in PROGRESS_NOTES else kind
