"""The report on large graphs: what it caps (and says it caps), several cities, and
the report-side speed-ups that must not change a thing it writes.

Speed itself is measured by ``scripts/bench_report``, not asserted here.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import re
import subprocess
import sys

import pytest

from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.synthetic import synthetic_table
from respgraph.queries.result import fewer_collections
from respgraph.viz import report as viz_report
from respgraph.viz.report import _Figures, _quarter_series, report_html
from respgraph.viz.report_build import build_report, gather_report

DAY = dt.date(2024, 1, 15)


@pytest.fixture(scope="module")
def twelve_leaders():
    """80 synthetic items under 12 leaders in 10 districts (seed 5).

    By hand (``gather_report``): leaders by score 领导3, 领导10, 领导4, 领导1, 领导5,
    领导7, 领导11, 领导6, 领导2, 领导8, 领导9, 领导12; quarterly targets per leader,
    heaviest first, 12 10 10 9 8 8 7 6 5 5 5 3 (every quarter alike), 88 in all.
    """
    store = SqliteStore()
    store.write(synthetic_table(80, seed=5, leaders=12).to_batch())
    return store


@pytest.fixture(scope="module")
def twelve_data(twelve_leaders):
    return gather_report(twelve_leaders, generated=DAY)[0]


def _figure(data, key):
    figures = _Figures()
    text = report_html(data, [], figures=figures)
    drawn = {k.split("-", 2)[2]: f for k, _, f in figures.drawn}
    return text, drawn[key]


# -- portfolio pages -------------------------------------------------------------------


def test_portfolio_pages_are_capped_and_the_report_says_so(tmp_path, monkeypatch, twelve_leaders):
    monkeypatch.setattr("respgraph.viz.report_build.MAX_PORTFOLIO_PAGES", 3)
    files = build_report(twelve_leaders, tmp_path, generated=DAY)
    pages = sorted(p.name for p in tmp_path.glob("portfolio-*.html"))
    assert pages == ["portfolio-01.html", "portfolio-02.html", "portfolio-03.html"]
    html = files[0].read_text("utf-8")
    # The three with the highest workload score, in that order.
    links = re.findall(r"<a href='portfolio-\d\d\.html'>([^<]+) 分管事项</a>", html)
    assert links == ["领导3", "领导10", "领导4"]
    assert "分管事项图只为工作量指数最高的 3 位市领导生成（共 12 位有分管事项）" in html
    assert "respgraph portfolio 姓名 --html" in html


def test_no_note_while_every_leader_has_a_page(tmp_path, twelve_leaders):
    files = build_report(twelve_leaders, tmp_path, generated=DAY)
    assert len(list(tmp_path.glob("portfolio-*.html"))) == 12
    assert "分管事项图只为" not in files[0].read_text("utf-8")


# -- charts that grow with the corpus ----------------------------------------------------


def test_the_quarterly_chart_folds_the_lightest_leaders_into_one_band(twelve_data):
    series, others = _quarter_series(twelve_data.leader_quarters.rows)
    assert others == 4
    assert list(series) == ["领导3", "领导10", "领导5", "领导4", "领导1", "领导7", "领导11", "领导6", "其他 4 位市领导"]
    assert series["其他 4 位市领导"] == [18, 18, 18, 18]  # 领导2, 8, 9: 5 each; 领导12: 3
    assert [sum(v[q] for v in series.values()) for q in range(4)] == [88] * 4  # the totals stay whole
    text, figure = _figure(twelve_data, "quarters")
    assert "目标最多的 8 位市领导各占一段，其余 4 位合为“其他”一段（共 12 位" in text
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()][-1] == "其他 4 位市领导"


def test_nine_leaders_need_no_band(twelve_data):
    series, others = _quarter_series(twelve_data.leader_quarters.rows[:9])
    assert others == 0 and len(series) == 9 and "其他" not in "".join(series)


def test_the_district_chart_draws_the_heaviest_and_says_how_many_there_are(monkeypatch, twelve_data):
    text, figure = _figure(twelve_data, "districts")
    assert len(figure.axes[0].get_yticklabels()) == 10 and "共 10 个" not in text  # below the cap: all of them
    monkeypatch.setattr(viz_report, "DISTRICT_BARS", 4)
    text, figure = _figure(twelve_data, "districts")
    assert "县（市、区）工作量指数：直接点名的部分（指数最高的 4 个，共 10 个）" in text
    drawn = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert drawn[::-1] == [r.name for r in twelve_data.districts.rows[:4]]  # highest at the top


def test_the_leader_heat_map_draws_the_heaviest_leaders_and_says_so(monkeypatch, twelve_data):
    text, figure = _figure(twelve_data, "leader-units")
    labels = figure.axes[0].get_xticklabels()
    assert len(labels) == 12 and "位市领导，共" not in text
    assert labels[0].get_rotation() == 0  # 领导3: short enough to stand level
    monkeypatch.setattr(viz_report, "HEATMAP_LEADERS", 5)
    text, figure = _figure(twelve_data, "leader-units")
    assert "工作量指数最高的 5 位市领导，共 12 位" in text
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["领导3", "领导10", "领导4", "领导1", "领导5"]


# -- several cities ----------------------------------------------------------------------


def test_a_corpus_whose_cities_share_leader_names_is_reported(tmp_path):
    store = SqliteStore()
    for city in ("甲市", "乙市", "丙市"):  # each with its own 领导1, 领导2, 领导3
        store.write(synthetic_table(40, seed=1, city=city, leaders=3).to_batch())
    data, _ = gather_report(store, generated=DAY)
    assert sorted((p.city, p.leader, len(p.items)) for p in data.portfolios) == sorted(
        (c, f"领导{i}", n) for c in ("甲市", "乙市", "丙市") for i, n in ((1, 16), (2, 12), (3, 12))
    )
    files = build_report(store, tmp_path, generated=DAY)
    html = files[0].read_text("utf-8")
    assert "<a href='portfolio-01.html'>丙市 领导1 分管事项</a>" in html
    # The heat map finds the leaders, whom leader_units names 甲市:领导1 across cities.
    assert "没有市领导分管的事项点名单位" not in html
    _, figure = _figure(data, "leader-units")
    labels = figure.axes[0].get_xticklabels()
    assert len(labels) == 9
    assert labels[0].get_text() == "丙市:领导1" and labels[0].get_rotation() == 90  # too long to stand level


# -- speed-ups that change nothing written ------------------------------------------------


def test_co_pairs_csv_holds_every_pair_strongest_first(tmp_path, twelve_leaders):
    from respgraph.queries.collaboration import co_network

    network = co_network(twelve_leaders)
    build_report(twelve_leaders, tmp_path, generated=DAY)
    with open(tmp_path / "co-pairs.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["a", "b", "city", "shared"]
    assert len(rows) == network.number_of_edges()
    assert all(int(r["shared"]) == network[r["a"]][r["b"]]["weight"] and r["a"] < r["b"] for r in rows)
    keys = [(-int(r["shared"]), r["a"], r["b"]) for r in rows]
    assert keys == sorted(keys)


def test_collections_are_rarer_during_the_report_and_restored_after():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with fewer_collections():
            assert gc.get_threshold()[0] >= 200_000
            raise RuntimeError("a chart failed")
    assert gc.get_threshold() == before


def test_stages_are_timed_when_asked(tmp_path, twelve_leaders):
    stages = {}
    build_report(twelve_leaders, tmp_path, generated=DAY, stages=stages)
    assert {
        "query: collaboration_of",
        "pages: portfolio per leader",
        "report.html (charts as SVG)",
        "write the CSV files",
    } <= set(stages)
    assert all(seconds >= 0 for seconds in stages.values())


def test_drawing_a_page_imports_neither_scipy_nor_pyvis():
    """scipy.spatial (0.6 s) only for large layouts; pyvis only for its files."""
    code = (
        "import sys; from respgraph.viz.network_pages import co_page; from respgraph.queries.rows import PairRow; "
        "co_page([PairRow(a='甲', b='乙', city='', shared=1)], kinds={}, sources=[]); "
        "print(sorted(m for m in ('scipy', 'pyvis') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
