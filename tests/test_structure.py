"""Collaboration structure (issue 30): brokerage roles, core and periphery, tie stability.

Brokerage is held against a brute-force count of every ordered triple on random small
directed graphs (hypothesis), and its expected counts against the average over every
dealing of the groups; core and periphery must recover a core planted in generated
graphs; tie stability against set arithmetic.  Facts of the sample are checked by
hand in the source table: item 79's lead 市城市管理和综合执法局 and its sub-projects
79.6–79.8 implemented by 湛江经开区管委会, which also implements items 81 and 82.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from respgraph.cli import cli
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.load import read_tables, sample_path
from respgraph.queries.brokerage import BROKER_ROLES, brokerage, brokerage_of
from respgraph.queries.core_periphery import core_periphery, core_periphery_of
from respgraph.queries.directed_ties import directed_ties
from respgraph.queries.tie_stability import tie_stability, tie_stability_of
from tests.conftest import examples
from tests.test_analysis import tiny  # noqa: F401 - the hand-built store of four items

GROUPS = ("city_department", "county_government", "enterprise")


def role_of(ga: str, gb: str, gc: str) -> str:
    """Gould and Fernandez's roles, written out from their definitions."""
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if gb == gc:
        return "gatekeeper"
    if ga == gb:
        return "representative"
    return "liaison"


def brute_force(edges: set[tuple[str, str]], groups: dict[str, str]) -> dict[str, Counter]:
    nodes = sorted({u for e in edges for u in e})
    out: dict[str, Counter] = {b: Counter() for b in nodes}
    for a, b, c in itertools.product(nodes, repeat=3):
        if len({a, b, c}) == 3 and (a, b) in edges and (b, c) in edges and (a, c) not in edges:
            out[b][role_of(groups[a], groups[b], groups[c])] += 1
    return out


graphs = st.integers(min_value=2, max_value=8).flatmap(
    lambda n: st.tuples(
        st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1]), max_size=n * n),
        st.lists(st.sampled_from(GROUPS), min_size=n, max_size=n),
    )
)


# --- brokerage ----------------------------------------------------------------------------


@settings(max_examples=examples(200), deadline=None)
@given(graphs)
def test_brokerage_counts_every_open_two_path_as_brute_force_does(graph):
    pairs, kinds = graph
    edges = {(f"u{a}", f"u{c}") for a, c in pairs}
    groups = {f"u{i}": k for i, k in enumerate(kinds)}
    got = brokerage_of([("x", a, c) for a, c in edges], {("x", u): g for u, g in groups.items()})
    expected = brute_force(edges, groups)
    assert {r.unit for r in got.rows} == set(expected)
    for r in got.rows:
        assert {role: getattr(r, role) for role in BROKER_ROLES} == {
            role: expected[r.unit][role] for role in BROKER_ROLES
        }
        assert r.total == sum(expected[r.unit].values())
        assert r.group == groups[r.unit]


@settings(max_examples=examples(60), deadline=None)
@given(graphs.filter(lambda g: len(g[1]) <= 6))
def test_expected_counts_are_the_average_over_every_dealing_of_the_groups(graph):
    """Gould and Fernandez's expectation: the broker keeps its group and its pairs, the
    other units' groups are dealt out in every possible way; the average count of each
    role is what the row says."""
    pairs, kinds = graph
    edges = {(f"u{a}", f"u{c}") for a, c in pairs}
    nodes = sorted({u for e in edges for u in e})
    groups = {f"u{i}": k for i, k in enumerate(kinds)}
    got = brokerage_of([("x", a, c) for a, c in edges], {("x", u): g for u, g in groups.items()})
    for r in got.rows:
        others = [u for u in nodes if u != r.unit]
        dealt = [
            dict(zip(others, p), **{r.unit: groups[r.unit]})
            for p in itertools.permutations([groups[u] for u in others])
        ]
        mean = Counter()
        for g in dealt:
            mean.update(brute_force(edges, g)[r.unit])
        for role in BROKER_ROLES:
            assert getattr(r, f"expected_{role}") == pytest.approx(mean[role] / len(dealt), abs=1e-3)


def test_brokerage_of_the_hand_built_store(tiny):  # noqa: F811
    """Ties by hand: 1 A→B, A→C; 2 A→B (A's own implement and the group give none);
    3.1 C→D, 3.2 C→E; 4 none (no implementing unit).  C brokers (A, D), all three
    departments, and (A, E), E a county government: a coordinator and a representative."""
    ties = directed_ties(tiny)
    assert [(r.source, r.target, r.items) for r in ties.rows] == [
        ("A", "B", 2),
        ("A", "C", 1),
        ("C", "D", 1),
        ("C", "E", 1),
    ]
    b = brokerage(tiny)
    c = next(r for r in b.rows if r.unit == "C")
    assert (c.coordinator, c.representative, c.total) == (1, 1, 2)
    assert [r.unit for r in b.brokers()] == ["C"]


def test_brokerage_on_the_sample_is_the_brute_force_count(memory_store):
    ties = directed_ties(memory_store)
    edges = {(r.source, r.target) for r in ties.rows}
    groups = {name: kind for (_, name), kind in ties.kinds.items()}
    b = brokerage(memory_store)
    by_unit = {r.unit: r for r in b.rows}
    for broker in ("市发展改革局", "市城市管理和综合执法局", "湛江经开区管委会"):
        ins = {a for a, x in edges if x == broker}
        outs = {c for x, c in edges if x == broker}
        counted = Counter(
            role_of(groups[a], groups[broker], groups[c]) for a in ins for c in outs if a != c and (a, c) not in edges
        )
        assert {role: getattr(by_unit[broker], role) for role in BROKER_ROLES} == {
            role: counted[role] for role in BROKER_ROLES
        }
    assert b.rows[0].unit == "市发展改革局" and b.rows[0].total == 467


def test_item_79_ties_its_lead_to_each_implementer_once(memory_store):
    ties = {(r.source, r.target): r.items for r in directed_ties(memory_store).rows}
    # 79.6–79.8 are one item; with 81 and 82, three items
    assert ties[("市城市管理和综合执法局", "湛江经开区管委会")] == 3
    assert all(not s.startswith("各") and not t.startswith("各") for s, t in ties)  # groups give no tie


# --- core and periphery -------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_core_periphery_recovers_a_planted_core(seed):
    rng = random.Random(seed)
    n, k = 60, 12
    g = nx.Graph()
    g.add_nodes_from(f"n{i:02d}" for i in range(n))
    for i, j in itertools.combinations(range(n), 2):
        p = 0.8 if j < k else 0.25 if i < k else 0.04
        if rng.random() < p:
            g.add_edge(f"n{i:02d}", f"n{j:02d}", weight=1)
    cp = core_periphery_of(g, seed=seed)
    planted = {f"n{i:02d}" for i in range(k)}
    right = sum((r.position == "core") == (r.unit in planted) for r in cp.rows)
    assert right >= 0.95 * n
    assert cp.fits[0].correlation > 0.5


def test_core_periphery_is_the_same_for_the_same_seed_and_weighs_no_core_periphery_pair():
    g = nx.Graph()
    g.add_weighted_edges_from(
        [(a, b, 1) for a in "ABCD" for b in "ABCD" if a < b] + [(a, x, 1) for a in "ABCD" for x in "efgh"]
    )  # every core–periphery pair tied
    first = core_periphery_of(g, seed=7)
    assert [r.unit for r in first.core()] == ["A", "B", "C", "D"] and first.fits[0].correlation == 1.0
    assert core_periphery_of(g, seed=7) == first


def test_core_of_the_sample(memory_store):
    cp = core_periphery(memory_store)
    core = [r.unit for r in cp.core()]
    assert cp.fits[0].units == 127 and len(core) == 17
    assert {"市发展改革局", "市自然资源局", "市交通运输局"} <= set(core)
    assert all(r.coreness <= 1 for r in cp.rows) and cp.rows[0].coreness == 1.0


# --- tie stability ------------------------------------------------------------------------

years_of_ties = st.dictionaries(
    st.integers(2014, 2023),
    st.sets(st.tuples(st.sampled_from("ABCDE"), st.sampled_from("ABCDE")).filter(lambda t: t[0] != t[1]), max_size=12),
    min_size=2,
    max_size=5,
)


@settings(max_examples=examples(150), deadline=None)
@given(years_of_ties)
def test_tie_stability_is_set_arithmetic(by_year):
    t = tie_stability_of(by_year)
    years = sorted(by_year)
    assert [(r.before, r.after) for r in t.rows] == list(zip(years, years[1:]))
    for r in t.rows:
        a, b = by_year[r.before], by_year[r.after]
        assert (r.kept, r.new, r.dropped) == (len(a & b), len(b - a), len(a - b))
        assert r.jaccard == (round(len(a & b) / len(a | b), 4) if a | b else 1.0)
    for span in t.ties:
        assert span.years == [y for y in years if (span.source, span.target) in by_year[y]]
    for u in t.units:
        kept = sum(len({e for e in by_year[x] & by_year[y] if u.unit in e}) for x, y in zip(years, years[1:]))
        dropped = sum(len({e for e in by_year[x] - by_year[y] if u.unit in e}) for x, y in zip(years, years[1:]))
        assert (u.kept, u.dropped) == (kept, dropped)


def test_names_are_matched_through_the_alias_list_and_the_rest_listed():
    by_year = {
        2022: {("市发展改革委", "赤坎区政府"), ("市发展改革委", "市财政局")},
        2023: {("市发展改革局", "赤坎区政府"), ("市发展改革局", "霞山区政府")},
    }
    plain = tie_stability_of(by_year)
    assert plain.rows[0].kept == 0
    assert plain.rows[0].only_before == ["市发展改革委", "市财政局"]
    assert plain.rows[0].only_after == ["市发展改革局", "霞山区政府"]
    same = tie_stability_of(by_year, same_body=lambda n: "市发展改革局" if n == "市发展改革委" else n)
    r = same.rows[0]
    assert (r.kept, r.new, r.dropped, r.only_before, r.only_after) == (1, 1, 1, ["市财政局"], ["霞山区政府"])
    assert same.renamed == {"市发展改革委": "市发展改革局"}


def two_years(store):
    for year in (2023, 2024):
        for table in read_tables(sample_path(), year=year):
            store.write(table.to_batch())
    return store


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def years_store(request):
    if request.param == "sqlite":
        return two_years(SqliteStore())
    return two_years(request.getfixturevalue("scratch_neo4j"))


def test_the_sample_as_two_years_keeps_every_tie(years_store):
    t = tie_stability(years_store)
    (r,) = t.rows
    assert (r.before, r.after, r.ties_before, r.ties_after, r.kept, r.new, r.dropped, r.jaccard) == (
        2023,
        2024,
        332,
        332,
        332,
        0,
        0,
        1.0,
    )
    assert r.only_before == r.only_after == []
    assert all(s.years == [2023, 2024] for s in t.ties)
    assert all(u.kept_share == 1.0 for u in t.units)


def test_tie_stability_refuses_one_year_or_several_cities(memory_store):
    from respgraph.graph.errors import RespgraphError

    with pytest.raises(RespgraphError, match="only 2023 of 湛江市"):
        tie_stability(memory_store)


# --- several cities: each its own network ------------------------------------------------------


def test_each_city_is_a_network_of_its_own():
    """Two cities with the same department names, two years each: a city's brokers and core
    are the same asked with the other city loaded or alone, and ties need one city."""
    from respgraph.graph.errors import RespgraphError
    from respgraph.loaders.synthetic import synthetic_table

    names = ["市财政局", "市发展改革局", "市自然资源局", "市交通运输局"]
    store, alone = SqliteStore(), SqliteStore()
    for i, city in enumerate(("甲市", "乙市")):
        for year in (2022, 2023):
            table = synthetic_table(40, seed=10 * i + year, city=city, year=year, leaders=5, departments=names)
            store.write(table.to_batch())
            if city == "甲市":
                alone.write(table.to_batch())
    both = brokerage(store)
    assert {r.city for r in both.rows} == {"甲市", "乙市"}
    assert [r for r in both.rows if r.city == "甲市"] == brokerage(alone).rows == brokerage(store, city="甲市").rows
    cp = core_periphery(store)
    assert [f.city for f in cp.fits] == ["乙市", "甲市"]  # in code-point order, as every answer
    assert [r for r in cp.rows if r.city == "甲市"] == core_periphery(alone).rows
    with pytest.raises(RespgraphError, match="give --city .*乙市、甲市"):
        tie_stability(store)
    assert tie_stability(store, city="乙市").years == [2022, 2023]


# --- both stores --------------------------------------------------------------------------


@pytest.mark.neo4j
def test_both_stores_give_the_same_structure(memory_store, neo4j_sample_store):
    for query in (directed_ties, brokerage, core_periphery):
        assert query(neo4j_sample_store) == query(memory_store), query.__name__


# --- the faces ----------------------------------------------------------------------------


@pytest.fixture
def years_home(home):
    from respgraph.graph.open_store import open_store
    from respgraph.graph.settings import load_settings

    store = open_store(load_settings(home=home, store="embedded"), write=True)
    two_years(store)
    store.close()
    return home


def cli_json(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), "--store", "embedded", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_brokerage_json_has_the_fields_the_issue_lists(years_home):
    rows = cli_json(years_home, "brokerage")
    fields = {
        "unit",
        "city",
        "coordinator",
        "itinerant",
        "gatekeeper",
        "representative",
        "liaison",
        "total",
        *(f"expected_{role}" for role in BROKER_ROLES),
    }
    assert fields <= set(rows[0])
    assert rows[0]["unit"] == "市发展改革局" and rows[0]["total"] == 467 and rows[0]["year"] == "2024"
    assert cli_json(years_home, "brokerage", "--all-years")[0]["total"] == 467  # the same ties both years


def test_core_and_ties_commands(years_home):
    core = cli_json(years_home, "core")
    assert core["fits"][0]["core"] == 17 and core["rows"][0]["position"] == "core"
    ties = cli_json(years_home, "ties")
    assert ties["rows"][0]["jaccard"] == 1.0 and len(ties["ties"]) == 332
    result = CliRunner().invoke(
        cli, ["--home", str(years_home), "--store", "embedded", "ties", "--units", "--top", "2"]
    )
    assert result.exit_code == 0 and "kept_share" in result.output
    assert "332 ties in all, 332 in every year" in result.output


def test_ties_of_one_year_is_one_error_line(home):
    result = CliRunner().invoke(cli, ["--home", str(home), "--store", "embedded", "ties"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: tie stability compares years, and only 2023 of "
        "湛江市 is loaded (load another year's table, or widen --doc)"
    )


# --- the web page's tabs: their twins are the commands' JSON ---------------------------------


def web_client(home):
    from tests.test_web import client_of

    return client_of(home)


@pytest.mark.parametrize(
    ("path", "args"),
    [
        ("/co/brokerage.json", ["brokerage"]),
        ("/co/brokerage.json?year=2023", ["brokerage", "--year", "2023"]),
        ("/co/core.json", ["core"]),
        ("/co/ties.json", ["ties"]),
    ],
)
def test_web_twins_are_the_commands_json(years_home, path, args):
    response = web_client(years_home).get(path)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(years_home, *args)


def test_web_tabs_show_the_answers_and_the_years_side_by_side(years_home):
    client = web_client(years_home)
    co = client.get("/co")
    assert co.status_code == 200 and 'href="/co/brokerage"' in co.text and 'href="/co/ties"' in co.text
    page = client.get("/co/brokerage")
    assert page.status_code == 200 and "市发展改革局" in page.text and "167（91.3）" in page.text
    assert 'aria-current="page">中介角色' in page.text
    core = client.get("/co/core")
    assert "核心 17 个" in core.text and "0.691" in core.text
    ties = client.get("/co/ties")
    assert ties.status_code == 200
    assert ties.text.count("<g class='panel'") == 2 and "2024 年：关系 332 条，核心 17 个单位" in ties.text
    assert "100.0%" in ties.text
    assert client.get("/co/ties.csv").text.splitlines()[0].lstrip("\ufeff").startswith("before,after")


# --- the report -------------------------------------------------------------------------------


def test_report_reads_the_structure_in_chinese(tmp_path):
    from respgraph.viz.report_build import build_report

    store = two_years(SqliteStore())
    build_report(store, tmp_path / "r", documents=[d["key"] for d in store.documents() if d["year"] == 2024])
    page = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert "中介最多的是市发展改革局（467 次），最常充当协调人" in page
    assert "17 个构成核心" in page and "相关系数为 0.691，核心—外围结构明显" in page
    assert (
        "2023 年的 332 条“牵头 → 实施、协办”关系中，332 条在 2024 年仍然存在，新增 0 条、消失 0 条，重合度 100.0%"
        in page
    )
    stability = (tmp_path / "r" / "tie-stability.csv").read_text("utf-8-sig").splitlines()
    assert stability[0].startswith("city,before,after") and stability[1] == "湛江市,2023,2024,332,332,332,0,0,1,,"
    assert (tmp_path / "r" / "brokerage.csv").read_text("utf-8-sig").splitlines()[1].startswith("市发展改革局,湛江市,")


def test_ties_of_maoming_by_hand(tmp_path):
    """docs/examples/maoming-2023.csv and -2024.csv, read by hand.  2023: 市发展改革局 →
    市财政局 (item 1; its own implement gives no tie), 市交通运输局 → 市铁路建设局 and
    → 市自然资源局 (2); item 3's implementer is a group, item 4's is its lead: 3 ties.
    2024 adds 市交通运输局 → 市生态环境局 and 市住房和城乡建设局 → 市城市管理局: 5 ties,
    3 kept, 2 new, jaccard 3/5.  市住房城乡建设局 (2023) is 市住房和城乡建设局 by the alias
    list; 市农业农村局 is named in 2023 only, three units in 2024 only."""
    from tests.test_years import MAOMING

    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "--store", "embedded", "load", *MAOMING])
    assert result.exit_code == 0, result.output
    t = cli_json(home, "ties")
    (r,) = t["rows"]
    assert (r["ties_before"], r["ties_after"], r["kept"], r["new"], r["dropped"], r["jaccard"]) == (3, 5, 3, 2, 0, 0.6)
    assert r["only_before"] == ["市农业农村局"]
    assert r["only_after"] == ["市城市管理局", "市政务服务数据管理局", "市生态环境局"]
    assert t["renamed"] == {"市住房城乡建设局": "市住房和城乡建设局"}
    assert {(s["source"], s["target"]): s["years"] for s in t["ties"]}[("市发展改革局", "市财政局")] == [2023, 2024]


@pytest.mark.browser
def test_the_tabs_in_a_browser(browser, years_home):
    """From 协作 to each tab in Chromium: the tables and the years side by side, no script
    error, nothing asked of another host."""
    from tests.test_web_browser import Opened, Server

    server = Server(years_home)
    try:
        opened = Opened(browser, server)
        page = opened.go("/co")
        page.get_by_role("link", name="中介角色").click()
        page.wait_for_url("**/co/brokerage")
        assert "市发展改革局" in page.locator("table").inner_text()
        page.get_by_role("link", name="核心与外围").click()
        page.wait_for_url("**/co/core")
        assert "核心 17 个" in page.locator("main").inner_text()
        page.get_by_role("link", name="关系延续").click()
        page.wait_for_url("**/co/ties")
        assert page.locator("svg g.panel").count() == 2
        box = page.locator("figure.years svg").bounding_box()
        assert box and box["width"] > 500  # two panels of 300 px drawn side by side
        assert opened.elsewhere == [] and opened.errors == []
        opened.page.close()
    finally:
        server.stop()


def test_every_city_at_once_is_each_city_alone():
    from respgraph.loaders.synthetic import synthetic_table
    from respgraph.queries.tie_stability import tie_stability_by_city

    store = SqliteStore()
    for i, city in enumerate(("甲市", "乙市", "丙市")):
        for year in (2021, 2022, 2023) if i < 2 else (2023,):
            store.write(synthetic_table(30, seed=10 * i + year, city=city, year=year, leaders=4).to_batch())
    found, one_year = tie_stability_by_city(store)
    assert one_year == ["丙市"]
    assert found == [tie_stability(store, city=c) for c in ("乙市", "甲市")]
    assert [len(t.rows) for t in found] == [2, 2]


def test_ties_tab_of_one_year_keeps_its_tabs_and_says_what_it_needs(home):
    client = web_client(home)
    page = client.get("/co/ties")
    assert page.status_code == 400 and 'href="/co/brokerage"' in page.text
    assert "至少两个年度" in page.text and "湛江市只载入了 2023 年的表格" in page.text
    assert "only 2023" not in page.text and "--doc" not in page.text  # the page says it in the office's words
    twin = client.get("/co/ties.json")
    assert twin.status_code == 400 and "only 2023 of 湛江市" in twin.json()["error"]
