"""`respgraph report`: the files it writes, the charts' Chinese text, and the page in a real browser."""

from __future__ import annotations

import datetime as dt
import re
import warnings

import pytest
from click.testing import CliRunner

from respgraph.cli import cli
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.synthetic import synthetic_table
from respgraph.viz import charts
from respgraph.viz.report import report_html, summary
from respgraph.viz.report_build import CSV_FILES, build_report, gather_report

CHARTS = 6
DAY = dt.date(2024, 1, 15)


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    """`respgraph report --out DIR` on the bundled sample, as a user runs it."""
    out = tmp_path_factory.mktemp("report")
    home = tmp_path_factory.mktemp("home")
    env = {"RESPGRAPH_HOME": str(home), "RESPGRAPH_CONFIG": str(home / "config.toml"), "RESPGRAPH_STORE": None}
    result = CliRunner().invoke(cli, ["report", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def sample_data(memory_store, sample_tables):
    return gather_report(memory_store, tables=sample_tables, generated=DAY)[0]


def test_report_writes_page_pages_and_csv(sample_report):
    html = (sample_report / "report.html").read_text("utf-8")
    assert html.count("<img class='chart'") == CHARTS
    assert len(re.findall(r"src='data:image/svg\+xml;base64,", html)) == CHARTS
    for name in CSV_FILES:
        data = (sample_report / name).read_bytes()
        assert data.startswith("\ufeff".encode()), name  # Excel and WPS read the BOM as UTF-8
        assert f"href='{name}'" in html
    assert (sample_report / "network.html").exists()
    assert sorted(p.name for p in sample_report.glob("portfolio-*.html")) == [
        f"portfolio-{i:02d}.html" for i in range(1, 9)
    ]
    header = (sample_report / "workload-units.csv").read_text("utf-8-sig").splitlines()[0]
    assert header == "name,city,kind,items,parts,lead,implement,assist,via_group,score,position"


def test_report_loads_nothing_from_outside(sample_report):
    html = (sample_report / "report.html").read_text("utf-8")
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html


def test_report_says_the_numbers_that_matter(sample_data):
    text = "\n".join(summary(sample_data))
    assert "共 110 项任务" in text and "127 个单位" in text and "8 位分管市领导" in text
    assert "承担了 48.3% 的工作量" in text
    assert "协办事项最多的单位是市自然资源局（33 项）" in text
    assert "9 项须在 6 月底前完成，97 项在 12 月底" in text
    assert "附件 1 第 92 项的时限写作 2013 年 12 月" in text
    assert "市发展改革局、市自然资源局" in text  # the two strongest brokers
    assert "源表有 4 处需要核实" in text


def test_report_without_source_file_says_how_to_get_quality(memory_store):
    data, frames = gather_report(memory_store, generated=DAY)
    assert "quality.csv" not in frames
    assert "respgraph report --source" in report_html(data, links=[])


def test_report_on_a_synthetic_graph_thins_the_network_page(tmp_path, monkeypatch):
    monkeypatch.setattr("respgraph.viz.report_build.MAX_PAIRS", 300)
    store = SqliteStore()
    store.write(synthetic_table(300, seed=3).to_batch())
    files = build_report(store, tmp_path, generated=DAY)
    html = files[0].read_text("utf-8")
    assert html.count("<img class='chart'") == CHARTS
    pairs = (tmp_path / "co-pairs.csv").read_text("utf-8-sig").count("\n") - 1
    assert pairs > 300
    assert re.search(r"交互式网络图只画共同承担至少 \d+ 项的 \d+ 对单位（共 " + str(pairs) + " 对）", html)


# -- Chinese text in the charts ----------------------------------------------------------


def _texts(figure) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


def _sample_figures(data):
    lu = data.leader_units
    units = lu.units(top=30)
    return [
        charts.role_bars(data.units.rows, title="工作量最重的单位"),
        charts.role_bars(data.districts.rows, title="各县（市、区）工作量", top=20),
        charts.lorenz_chart({"单位": (data.units.lorenz, data.units.balance.gini)}, title="洛伦兹曲线"),
        charts.heatmap(
            lu.matrix(lu.leaders(), units),
            rows=lu.leaders(),
            columns=units,
            title="市领导 × 单位",
            colour_label="事项数",
        ),
        charts.quarter_bars({r.name: r.quarters for r in data.leader_quarters.rows}, title="各季度目标"),
    ]


def test_the_chart_font_has_every_character_of_the_labels(sample_data):
    assert charts.cjk_family().startswith(("Noto Sans CJK", "Source Han Sans", "Noto Sans SC"))
    texts = [t for figure in _sample_figures(sample_data) for t in _texts(figure)]
    assert any("市自然资源局" in t for t in texts)
    assert charts.missing_glyphs(texts) == set()
    every_name = [r.name for b in (sample_data.units, sample_data.leaders, sample_data.districts) for r in b.rows]
    assert charts.missing_glyphs(every_name) == set()


def test_no_glyph_falls_back_when_the_charts_are_drawn(sample_data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        for figure in _sample_figures(sample_data):
            assert charts.svg_data_uri(figure).startswith("data:image/svg+xml;base64,")


def test_a_missing_glyph_would_be_caught():
    assert charts.missing_glyphs(["市\U0001f600局"]) == {"\U0001f600"}
    figure = charts.quarter_bars({"\U0001f600": [1, 2, 3, 4]}, title="测试")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="missing from font"):
            charts.svg_data_uri(figure)


# -- in a real browser -------------------------------------------------------------------


@pytest.mark.browser
def test_report_opens_offline_with_every_chart(browser, sample_report):
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((sample_report / "report.html").as_uri())
    page.wait_for_load_state("networkidle")
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert outside == []
    loaded = page.eval_on_selector_all("img.chart", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
    assert loaded == [True] * CHARTS
    assert page.title().endswith("责任分工分析报告")
    assert "摘要" in page.inner_text("#summary")
    sections = page.eval_on_selector_all("section h2", "hs => hs.map(h => h.textContent)")
    assert len(sections) == 7
    page.close()
