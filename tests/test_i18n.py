"""The message catalogues (graph/locale) and who reads which language.

The catalogue tests run Babel's extraction over the code and the templates, as
``python -m respgraph.graph.catalogue check`` does, and compare it with the committed
``messages.pot`` and both ``.po`` files.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from respgraph.cli import cli
from respgraph.graph import catalogue, i18n
from respgraph.graph.errors import RespgraphError, UnknownName
from respgraph.graph.local_time import local_time
from tests.test_web import _maoming_xlsx, client_of, sample_home  # noqa: F401 - fixtures

# --- the catalogues ------------------------------------------------------------------------------


def test_every_message_the_code_says_is_in_messages_pot():
    """A message marked in the Python or a template that ``messages.pot`` lacks (or one it keeps
    that nothing says any more) fails here: run ``python -m respgraph.graph.catalogue update``."""
    said, kept = catalogue._ids(catalogue.extract()), catalogue._ids(catalogue.read(catalogue.POT))
    assert said - kept == set()
    assert kept - said == set()
    # Extraction sees all three ways a message is marked: a call, a table's marker, a template.
    assert (None, "no {kind} named {name!r} in {places}") in said  # gettext() in graph/errors.py
    assert (None, "{what} has no implementing unit") in said  # N_() in graph/notes.py
    assert ("column", "deadline") in said  # NC_() in graph/labels.py
    assert (None, "Back to the home page") in said  # _() in web/templates/error.html


def test_both_catalogues_translate_every_message():
    assert catalogue.problems() == []


def test_the_check_finds_a_missing_a_fuzzy_and_an_untranslated_message(tmp_path, monkeypatch):
    """The check itself can fail: a copy of the catalogues with one message missing from zh_CN,
    one fuzzy in en and one left empty in zh_CN."""
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    zh = copy / "zh_CN" / "LC_MESSAGES" / "messages.po"
    text = zh.read_text("utf-8")
    text = text.replace('msgid "(no title)"\nmsgstr "（无标题）"\n', "")
    text = text.replace('msgid "Cannot open"\nmsgstr "无法打开"', 'msgid "Cannot open"\nmsgstr ""')
    zh.write_text(text, "utf-8")
    en = copy / "en" / "LC_MESSAGES" / "messages.po"
    en.write_text(en.read_text("utf-8").replace('msgid "Server fault"', '#, fuzzy\nmsgid "Server fault"'), "utf-8")
    monkeypatch.setattr(catalogue, "LOCALE_DIR", copy)
    monkeypatch.setattr(catalogue, "POT", copy / "messages.pot")
    assert sorted(catalogue.problems()) == sorted(
        [
            "zh_CN: missing (None, '(no title)')",
            "zh_CN: untranslated (None, 'Cannot open')",
            "en: fuzzy (None, 'Server fault')",
        ]
    )


def test_a_fuzzy_translation_is_not_used(tmp_path, monkeypatch):
    """A fuzzy entry is a guess: gettext gives the English message id rather than say it."""
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    zh = copy / "zh_CN" / "LC_MESSAGES" / "messages.po"
    zh.write_text(zh.read_text("utf-8").replace('msgid "Cannot open"', '#, fuzzy\nmsgid "Cannot open"'), "utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    i18n.translations.cache_clear()
    try:
        assert i18n.gettext("Cannot open", "zh_CN") == "Cannot open"
        assert i18n.gettext("Cannot answer", "zh_CN") == "无法回答"
    finally:
        i18n.translations.cache_clear()


def test_placeholders_of_every_translation_are_fields_the_english_gives():
    """A Chinese sentence may leave a field out (or use ``kind_zh``/``role_zh``, which the code adds),
    never name one the code does not fill: that would raise at the moment an office reads it."""
    import re
    import string

    extra = {"kind_zh", "role_zh"}
    wrong = []
    for m in catalogue.read(i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po", "zh_CN"):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, (list, tuple)) else [m.id]
        strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
        if "python-format" in m.flags or "%(" in ids[0]:
            given = set(re.findall(r"%\((\w+)\)", " ".join(ids))) | {"num"}
            used = set(re.findall(r"%\((\w+)\)", " ".join(strings)))
        else:
            given = {f[1].split("!")[0] for i in ids for f in string.Formatter().parse(i) if f[1]}
            used = {f[1].split("!")[0] for s in strings for f in string.Formatter().parse(s) if f[1]}
        if used - given - extra:
            wrong.append((m.id, used - given - extra))
    assert wrong == []


# --- the library's words ---------------------------------------------------------------------------


def test_a_note_and_a_refusal_in_each_language():
    from respgraph.graph.notes import note_text

    fields = {"item": "92", "part": None, "value": "2013年12月", "year": 2023}
    assert note_text("deadline_year", "", fields, "zh_CN") == "第92项：完成时限“2013年12月”不在文件的年度（2023年）内"
    assert (
        note_text("deadline_year", "", fields, "en")
        == "item 92: deadline '2013年12月' is not in the document's year 2023"
    )
    e = UnknownName("unit", "自然资源局", ["市自然资源局"], cities=["湛江市"], listing="respgraph units")
    with i18n.use("zh_CN"):
        assert str(e) == "湛江市没有名为“自然资源局”的单位；是否要找：市自然资源局？（`respgraph units` 列出全部）"
    assert (
        str(e) == "no unit named '自然资源局' in 湛江市; did you mean: 市自然资源局? (`respgraph units` lists them all)"
    )


def test_the_reading_described_in_chinese():
    from respgraph.loaders.load import read_source, sample_path

    lines = read_source(sample_path()).describe("zh_CN").splitlines()
    assert lines[0].startswith("格式：")
    assert lines[2] == (
        "  列：序号=序号 | 事项=事项标题 | 季度工作目标=季度目标 | 完成时限=完成时限 | 市政府 分管领导=分管领导 | "
        "牵头单位=牵头单位 | 实施单位 (承办单位)=实施单位 | 协办单位=协办单位"
    )


@pytest.mark.parametrize(
    "header, expected",
    [
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
        ("fr-FR,en;q=0.5", "en"),
        ("fr-FR", "zh_CN"),
        ("", "zh_CN"),
        ("en;q=0, zh", "zh_CN"),
        ("zh;q=0.4,en;q=0.6", "en"),
    ],
)
def test_the_language_a_browser_asks_for(header, expected):
    assert i18n.from_accept_language(header) == expected


def test_times_in_the_office_zone(monkeypatch):
    monkeypatch.delenv("RESPGRAPH_TIMEZONE", raising=False)
    assert local_time("2026-01-02T23:30:00+00:00") == "2026-01-03 07:30"
    monkeypatch.setenv("RESPGRAPH_TIMEZONE", "Europe/Berlin")
    assert local_time("2026-01-02T23:30:00") == "2026-01-03 00:30"  # naive: stored as UTC
    monkeypatch.setenv("RESPGRAPH_TIMEZONE", "Mars/Base")
    with pytest.raises(RespgraphError, match="RESPGRAPH_TIMEZONE='Mars/Base': not a time zone"):
        local_time("2026-01-02T23:30:00")


# --- the CLI follows the locale --------------------------------------------------------------------


def _cli(home: Path, lang: str, *args: str):
    env = {"LANG": lang, "LC_ALL": None, "LC_MESSAGES": None}
    return CliRunner(env=env).invoke(cli, ["--home", str(home), "--store", "embedded", *args], prog_name="respgraph")


def test_items_in_chinese_under_a_chinese_locale(sample_home):
    answered = _cli(sample_home, "zh_CN.UTF-8", "items", "--unit", "市自然资源局")
    assert answered.exit_code == 0
    header = answered.stdout.splitlines()[0].split()
    assert header == ["附件", "序号", "事项标题", "角色", "部分", "经由", "完成时限"]
    assert answered.stdout.splitlines()[-1] == "直接列名 39 项，仅经单位集合 0 项"
    refused = _cli(sample_home, "zh_CN.UTF-8", "items", "--unit", "自然资源局")
    assert refused.exit_code == 1
    assert (
        refused.stderr.strip()
        == "错误：没有名为“自然资源局”的单位；是否要找：市自然资源局？（`respgraph units` 列出全部）"
    )


def test_items_in_english_under_the_c_locale(sample_home):
    answered = _cli(sample_home, "C", "items", "--unit", "市自然资源局")
    assert answered.exit_code == 0
    assert answered.stdout.splitlines()[0].split() == [
        "attachment",
        "number",
        "title",
        "roles",
        "parts",
        "via",
        "deadline",
    ]
    assert answered.stdout.splitlines()[-1] == "39 items named directly, 0 only through a group"
    refused = _cli(sample_home, "C", "items", "--unit", "自然资源局")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "Error: no unit named '自然资源局'; did you mean: 市自然资源局? (`respgraph units` lists them all)"
    )


def test_json_and_csv_keep_their_names_unless_lang_says(sample_home):
    import json

    english = _cli(sample_home, "C", "items", "--unit", "市自然资源局", "--format", "json")
    chinese = _cli(sample_home, "zh_CN.UTF-8", "items", "--unit", "市自然资源局", "--format", "json")
    assert json.loads(chinese.stdout) == json.loads(english.stdout)
    csv = _cli(sample_home, "zh_CN.UTF-8", "items", "--unit", "市自然资源局", "--format", "csv")
    assert csv.stdout.lstrip("\ufeff").splitlines()[0] == "attachment,number,title,roles,parts,via,deadline"
    asked = _cli(sample_home, "C", "--lang", "zh_CN", "items", "--unit", "市自然资源局", "--format", "csv")
    assert asked.stdout.lstrip("\ufeff").splitlines()[0] == "附件,序号,事项标题,角色,部分,经由,完成时限"
    assert asked.stdout.splitlines()[1].split(",")[3] == "assist"  # values stay codes: a CSV is data


# --- the web: Chinese unless the reader asks for English -------------------------------------------


def test_an_error_page_in_the_readers_language(sample_home):
    client = client_of(sample_home)
    chinese = client.get("/units/湛江市/自然资源局")
    assert chinese.status_code == 404
    assert "找不到“自然资源局”" in chinese.text and "湛江市没有名为“自然资源局”的单位" in chinese.text
    assert '<html lang="zh-CN">' in chinese.text
    english = client.get("/units/湛江市/自然资源局", headers={"Accept-Language": "en-GB,en;q=0.9"})
    text = html.unescape(english.text)
    assert "no '自然资源局' found" in text and "no unit named '自然资源局' in 湛江市" in text
    assert '<html lang="en">' in english.text and '<a href="/">Home</a>' in english.text
    assert '<a href="/">首页</a>' in chinese.text
    client.cookies.set("lang", "en")  # the reader's own setting comes before the browser's
    assert "no unit named '自然资源局' in 湛江市" in html.unescape(
        client.get("/units/湛江市/自然资源局", headers={"Accept-Language": "zh-CN"}).text
    )
    # The JSON twin is an interface: the library's English, whatever the page's language.
    twin = client.get("/units/湛江市/自然资源局.json", headers={"Accept-Language": "zh-CN"})
    assert twin.json()["error"].startswith("no unit named '自然资源局'")


def test_a_wrong_parameter_said_in_chinese(sample_home):
    page = client_of(sample_home).get("/co?min_shared=0")
    assert page.status_code == 422
    assert "参数“min_shared”应不小于 1" in page.text and "greater than" not in page.text


def test_the_upload_check_reads_in_chinese(sample_home, tmp_path):
    client = client_of(sample_home)
    xlsx = _maoming_xlsx(tmp_path / "茂名.xlsx")
    checked = client.post("/files/check", files={"file": (xlsx.name, xlsx.read_bytes())})
    assert checked.status_code == 200
    assert "格式：xlsx" in checked.text and "列：序号=序号 | 事项=事项标题" in checked.text
    assert "columns:" not in checked.text and "format:" not in checked.text
    assert "茂名市（依据：标题）" in checked.text


# --- the upload pages: no Latin word outside the allow-list ---------------------------------------
#: The words a page may say in Latin letters: file formats, the product, the stores' names.
ALLOWED = {
    "graphml",
    "gexf",
    "pajek",
    "json",
    "csv",
    "xlsx",
    "xls",
    "docx",
    "doc",
    "pdf",
    "txt",
    "html",
    "zip",
    "png",
    "svg",
    "respgraph",
    "sqlite",
    "neo4j",
    "mb",
}


def latin_words(page: str) -> set[str]:
    """The Latin-letter words a reader sees on ``page`` (no tags, scripts, styles, attribute values)."""
    body = re.sub(r"(?is)<(script|style|title)[^>]*>.*?</\1>", " ", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in ALLOWED}


def test_latin_words_finds_what_a_reader_sees():
    page = '<p title="hidden">格式：xlsx, encoding: GBK</p><script>var x = 1;</script><a href="/files">文件</a>'
    assert latin_words(page) == {"encoding", "GBK"}


def test_the_upload_pages_say_no_english(sample_home, tmp_path):
    """The check and its result, a refused upload, the progress check and its result, as an office reads them."""
    from tests.progress_reports import report_a, write_xlsx

    client = client_of(sample_home)
    xlsx = _maoming_xlsx(tmp_path / "茂名.xlsx")
    pages = {}
    checked = client.post("/files/check", files={"file": (xlsx.name, xlsx.read_bytes())})
    assert checked.status_code == 200
    pages["check"] = checked.text
    content = re.search(r'name="content" value="([^"]+)"', checked.text).group(1)
    loaded = client.post("/files/load", data={"filename": xlsx.name, "content": content})
    assert loaded.status_code == 200
    pages["loaded"] = loaded.text
    report = write_xlsx(tmp_path / "进展.xlsx", report_a(), "（截至2023年6月30日）")
    preview = client.post("/progress/check", files={"file": (report.name, report.read_bytes())})
    assert preview.status_code == 200
    pages["progress check"] = preview.text
    content = re.search(r'name="content" value="([^"]+)"', preview.text).group(1)
    result = client.post("/progress/load", data={"filename": report.name, "content": content})
    assert result.status_code == 200
    pages["progress loaded"] = result.text
    # Not yet in the catalogue: the progress check's notes (loaders.progress.reports.Note holds an
    # English sentence, not fields); the page's own words around them are checked.
    pages["progress check"] = re.sub(r"(?s)<h2>提示.*?</table>", "", pages["progress check"])
    # The files' own text: the uploaded workbook's sheet ("Sheet") and the sample's file name.
    own = {"Sheet", "zhanjiang"}
    found = {name: sorted(latin_words(page) - own) for name, page in pages.items() if latin_words(page) - own}
    assert found == {}
