"""The files the pictures and the report are written to: A4 pictures, empty report
sections, Chinese notes, charts that draw what they sort by, and one-line errors
for every output path that cannot be written."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from respgraph.cli import cli
from respgraph.queries.balance import load_balance
from respgraph.queries.portfolio import portfolio
from respgraph.viz import charts
from respgraph.viz.network_pages import portfolio_page

ROOT = Path(__file__).resolve().parent.parent
MAOMING = ROOT / "docs" / "examples" / "maoming-2023.csv"


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    return {"RESPGRAPH_HOME": str(home), "RESPGRAPH_CONFIG": str(home / "config.toml"), "RESPGRAPH_STORE": None}


def invoke(args: list[str], env: dict):
    return CliRunner().invoke(cli, args, env=env)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


# -- static pictures -----------------------------------------------------------------


def test_page_pictures_are_a4_with_chinese_as_outlines(env, tmp_path):
    png, svg = tmp_path / "p.png", tmp_path / "p.svg"
    result = invoke(["portfolio", "陈峻华", "--png", str(png), "--svg", str(svg)], env)
    assert result.exit_code == 0, result.output
    assert f"wrote {png}" in result.output and f"wrote {svg}" in result.output
    assert png_size(png) == (2338, 1654)  # 297 × 210 mm at 200 dpi
    text = svg.read_text("utf-8")
    width, height = (float(v) for v in re.search(r'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"', text).groups())
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (297, 210)
    # Every character an outline (Noto CJK glyphs defined once, then placed): no font needed to show it.
    assert "<text" not in text
    assert text.count('<path id="NotoSansCJKsc-') > 100 and text.count('<use xlink:href="#NotoSansCJKsc-') > 300


def test_a_picture_draws_the_opening_view_in_a_font_that_has_every_character(memory_store):
    page = portfolio_page(portfolio(memory_store, "陈峻华"), sources=memory_store.documents())
    nodes, edges = page.drawing.opening_view()
    texts = [page.title, page.subtitle, page.sources, *(n["label"] for n in nodes)]
    assert charts.missing_glyphs(texts) == set()
    # 陈峻华: 9 items in 4 blocks by lead unit, the leader, and the 4 lead units as headers.
    assert len(nodes) == 1 + 9 + 4
    from respgraph.viz.picture import picture_bytes

    assert picture_bytes(page, "png")[:4] == b"\x89PNG"


def test_viz_needs_somewhere_to_draw(env):
    result = invoke(["viz"], env)
    assert result.exit_code == 2 and "give --html FILE, --png FILE or --svg FILE" in result.output


def test_viz_draws_a_picture_without_html(env, tmp_path):
    result = invoke(["viz", "--svg", str(tmp_path / "g.svg")], env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "g.svg").read_text("utf-8").startswith("<?xml")


def test_report_charts_as_pictures_fit_a4(env, tmp_path):
    out = tmp_path / "report"
    result = invoke(["report", "--out", str(out), "--png", "--svg"], env)
    assert result.exit_code == 0, result.output
    pngs, svgs = sorted((out / "charts").glob("*.png")), sorted((out / "charts").glob("*.svg"))
    assert len(pngs) == len(svgs) == 6
    for path in pngs:
        w, h = png_size(path)
        assert w / 200 <= charts.A4_PRINTABLE[0] and h / 200 <= charts.A4_PRINTABLE[1], path.name
    assert all("<text" not in p.read_text("utf-8") for p in svgs)


# -- the report ----------------------------------------------------------------------


def test_report_on_a_table_without_quarters_or_districts(env, tmp_path):
    """docs/examples/maoming-2023.csv: 4 items, no quarterly targets, no county government named."""
    assert invoke(["load", str(MAOMING)], env).exit_code == 0
    out = tmp_path / "report"
    result = invoke(["report", "--out", str(out)], env)
    assert result.exit_code == 0, result.output
    assert result.exception is None
    html = (out / "report.html").read_text("utf-8")
    assert html.count("<img class='chart'") == 3  # units, Lorenz, leaders × units
    assert html.count("class='empty'") == 3
    assert "本节无数据：源表没有分季度的工作目标。" in html
    assert "本节无数据：没有实施单位被点名承担分季度的目标。" in html
    assert (out / "workload-units.csv").exists()


def test_a_report_that_cannot_be_drawn_writes_nothing(env, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(charts, "lorenz_chart", broken)
    out = tmp_path / "report"
    result = invoke(["report", "--out", str(out)], env)
    assert result.exit_code != 0
    assert not out.exists()  # no CSV files left behind as if the report were done


def test_report_quality_notes_are_chinese(sample_tables, memory_store):
    from respgraph.viz.report import report_html
    from respgraph.viz.report_build import gather_report

    html = report_html(gather_report(memory_store, tables=sample_tables)[0], links=[])
    section = html[html.index("<section id='quality'>") : html.index("<section id='files'>")]
    assert "第51项没有实施单位" in section and "第60项没有实施单位" in section
    # The workbook's wording (tests/test_for_readers.py): one catalogue, one sentence (graph/notes.py).
    assert "第92项：完成时限“2013年12月”不在文件的年度（2023年）内" in section
    assert "“市国资公司”（第163行）与“市国资委”疑似同一单位，如是请加入别名表" in section
    assert "“市发展改革委”按别名读作“市发展改革局”" in section
    words = set(re.findall(r"[A-Za-z_]{3,}", re.sub(r"<[^>]+>", " ", section)))
    assert words <= {"respgraph", "check"}, words


def test_the_workload_chart_draws_the_score_it_sorts_by(memory_store):
    b = load_balance(memory_store, by="unit")
    fig = charts.role_bars(b.rows, title="t", weights=b.weights)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    length = {}
    for bar in ax.patches:
        row = round(bar.get_y() + bar.get_height() / 2)
        length[row] = length.get(row, 0) + bar.get_width()
    scores = {r.name: r.score for r in b.rows}
    drawn = [length[i] for i in range(len(names))]
    assert drawn == [scores[n] for n in names]
    assert drawn == sorted(drawn)  # drawn bottom-up: the longest bar is the top one
    # The case of issue 13: 市交通运输局 (20 led, 1 implemented, 10 assisted: 72) had a shorter
    # bar than 市发展改革局 (11, 8, 22: 71) because the bars drew 31 and 41 items.
    assert names[-2:] == ["市发展改革局", "市交通运输局"] and drawn[-2:] == [71, 72]


# -- output paths that cannot be written: one Error line, exit 1 ---------------------


@pytest.mark.parametrize(
    "args",
    [
        ["items", "--unit", "市自然资源局", "--html", "{missing}/unit.html"],
        ["items", "--unit", "市自然资源局", "--html", "/dev/full"],
        ["items", "--unit", "市自然资源局", "--png", "{file}/unit.png"],
        ["portfolio", "陈峻华", "--html", "{missing}/p.html"],
        ["portfolio", "陈峻华", "--svg", "/dev/full"],
        ["co", "--html", "{file}/co.html"],
        ["co", "--png", "/dev/full"],
        ["viz", "--html", "{missing}/g.html"],
        ["viz", "--html", "/dev/full"],
        ["report", "--out", "{file}/report"],
        ["report", "--out", "{file}"],
        ["export", "{missing}/g.graphml"],
    ],
)
def test_an_output_path_that_cannot_be_written_is_one_error_line(args, env, tmp_path):
    (tmp_path / "a-file").write_text("x")
    args = [a.format(missing=tmp_path / "missing", file=tmp_path / "a-file") for a in args]
    result = invoke(args, env)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "Traceback" not in result.output
    assert not isinstance(result.exception, OSError)
    error = errors[0]
    if "/dev/full" in args:
        assert error == "Error: cannot write /dev/full: no space left on the device"
    elif any("missing" in a for a in args):
        assert "the folder" in error and "does not exist" in error
    elif args[-1].endswith("a-file"):
        assert error == f"Error: cannot write {tmp_path / 'a-file'}: a file of that name is in the way"
    else:
        assert "a-file" in error and ("is a file, not a folder" in error or "a part of the path is a file" in error)
