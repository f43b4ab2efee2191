"""Bad files: one clear error naming the file and line, exit 1, nothing written."""

from __future__ import annotations

import pytest

from respgraph.graph.errors import LoadError
from respgraph.loaders.load import read_tables, sample_path

HEADER = "序号\t事项\t季度工作目标\t完成时限\t市政府 分管领导\t牵头单位\t实施单位 (承办单位)\t协办单位\n"
ROW = "1\t推进某项工作\t第一季度：完成 10%。\t2023年12月\t黄明忠\t市发展改革局\t市自然资源局\t\n"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


CASES = {
    "empty": (b"", "the file is empty", 1),
    # A letter: refused as a whole, saying what was looked for (issue 22), so no line.
    "not_a_table": ("这是一封信，不是表格。\n第二段。\n".encode(), "not a responsibility table: looked for", None),
    "gbk": (("\n\n附件 1:\n2023 年表\n" + HEADER + ROW).encode("gbk"), "GBK/GB18030", 3),
    "too_few_cells": (
        ("2023 年表\n" + HEADER + "1\t推进某项工作\t完成\n").encode(),
        "3 cells where the header has 8",
        3,
    ),
    "no_header": (("2023 年表\n" + ROW).encode(), "before any header row", 2),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_file_raises_load_error_with_line(tmp_path, case):
    data, message, line = CASES[case]
    path = write(tmp_path, f"{case}.txt", data)
    with pytest.raises(LoadError) as err:
        read_tables(path, city="湛江市")
    assert err.value.file == str(path)
    assert err.value.line == line
    assert message in str(err.value)


@pytest.mark.parametrize("case", CASES)
def test_cli_load_of_bad_file_writes_nothing(tmp_path, run, home, case):
    data, message, line = CASES[case]
    path = write(tmp_path, f"{case}.txt", data)
    proc = run("load", str(sample_path()), str(path), "--city", "湛江市")
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and path.name in proc.stderr
    assert line is None or f"line {line}" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (home / "graph.db").exists()  # the good file before it was not written either


def test_check_exit_codes(tmp_path, run):
    assert run("check", str(sample_path())).returncode == 0
    bad = write(tmp_path, "bad.txt", b"")
    proc = run("check", str(bad))
    assert proc.returncode == 1 and "the file is empty" in proc.stderr


def test_missing_file(run):
    proc = run("load", "no-such-file.txt")
    assert proc.returncode == 1 and "no-such-file.txt" in proc.stderr
