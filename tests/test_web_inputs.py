"""What a client sends and a page shows (issue 31, items 7 and 8): upload file names reduced
to a base name or refused in one line, no server path on a page, and notices chosen by a key
the code knows, never text from the URL."""

from __future__ import annotations

import base64
import tempfile

import pytest

pytest.importorskip("fastapi")

from tests.test_web import client_of, sample_home  # noqa: E402,F401 - the fixture: the sample, no account
from tests.two_cities import two_cities  # noqa: E402,F401

PHISH = "请致电 0759-1234567 核实账号"
BROKEN = b"PK\x03\x04 not really a workbook"


# --- uploads ---------------------------------------------------------------------------------------
def multipart(name: str) -> dict:
    """The request a client sending ``name`` raw makes (httpx would percent-encode a NUL)."""
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="'
        + name.encode("utf-8")
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + BROKEN
        + b"\r\n--b0undary--\r\n"
    )
    return {"content": body, "headers": {"Content-Type": "multipart/form-data; boundary=b0undary"}}


@pytest.mark.parametrize("name", ["..", ".", "...", "a/..", "\x00", "\u202e\u200b"])
def test_an_upload_named_nothing_is_refused_in_one_line(sample_home, name):
    client = client_of(sample_home)
    for answer in (
        client.post("/files/check", **multipart(name)),
        client.post("/files/check", data={"content": base64.b64encode(BROKEN).decode(), "filename": name}),
    ):
        assert answer.status_code == 400, answer.text[:200]
        assert "上传的文件名不可用" in answer.text and "names no file" in answer.text


def test_an_upload_name_too_long_is_refused_and_a_path_is_reduced_to_its_base(sample_home):
    client = client_of(sample_home)
    long = "表" * 90 + ".xlsx"  # 275 bytes in UTF-8
    answer = client.post("/files/check", data={"content": base64.b64encode(BROKEN).decode(), "filename": long})
    assert answer.status_code == 400 and "275 bytes long; at most 255" in answer.text
    # A name with folders, NUL and a right-to-left override: checked as 坏表.xlsx.
    for name in ("../../etc/坏表.xlsx", "C:\\temp\\坏\x00表.xlsx", "坏表\u202e.xlsx"):
        answer = client.post("/files/check", data={"content": base64.b64encode(BROKEN).decode(), "filename": name})
        assert answer.status_code == 400 and "坏表.xlsx" in answer.text, name
        assert "etc" not in answer.text and "temp" not in answer.text


@pytest.mark.parametrize("fmt", ["", ".json"])
def test_no_page_shows_the_servers_temporary_path(sample_home, fmt):
    answer = client_of(sample_home).post(f"/files/check{fmt}", files={"file": ("坏表.xlsx", BROKEN)})
    assert answer.status_code == 400 and "坏表.xlsx" in answer.text
    assert "respgraph-upload-" not in answer.text and tempfile.gettempdir() not in answer.text


# --- notices ---------------------------------------------------------------------------------------
def test_a_notice_from_the_url_is_not_shown(sample_home):
    client = client_of(sample_home)
    for query in (f"done={PHISH}", f"done=loaded&detail={PHISH}", f"done=loaded&detail={PHISH}&sig=" + "0" * 32):
        page = client.get(f"/files?{query}")
        assert page.status_code == 200 and PHISH not in page.text, query
    # A notice the server made after a write shows, with its detail.
    removed = client.post("/files/remove", data={"doc": "doc:湛江市/2023/2-a4a381"})
    assert (
        removed.status_code == 200 and "已移除：" in removed.text and "removed doc:湛江市/2023/2-a4a381" in removed.text
    )


def test_no_accounts_page_shows_a_notice_from_the_url(two_cities):
    office, unit = two_cities.logged_in("office"), two_cities.logged_in("zrzy")
    for client, path in (
        (office, "/users"),
        (office, "/review"),
        (office, "/account"),
        (unit, "/report"),
        (unit, "/account"),
    ):
        page = client.get(path, params={"done": PHISH})
        assert page.status_code == 200 and PHISH not in page.text, path
        page = client.get(path, params={"done": "added", "detail": PHISH, "sig": "f" * 32})
        assert PHISH not in page.text, path
