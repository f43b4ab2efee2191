"""Each page template gets, as fields of its typed context, every variable it reads (Datasette's
test_template_context idea): a variable the route forgot fails here, not as an empty cell on a page."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from jinja2 import meta, nodes  # noqa: E402

from respgraph.web.contexts import CONTEXTS, PageContext  # noqa: E402
from respgraph.web.render import HERE, Frame, templates  # noqa: E402

PAGES = sorted(
    p.name for p in (HERE / "templates").glob("*.html") if p.name != "base.html" and not p.name.startswith("_")
)


def read_by(name: str, seen: set[str] | None = None) -> tuple[set[str], set[str]]:
    """(the variables ``name`` reads, following its extends, includes and imports; the names it sets itself)."""
    env = templates()
    seen = set() if seen is None else seen
    if name in seen:
        return set(), set()
    seen.add(name)
    assert env.loader is not None  # templates() reads the package's folder
    tree = env.parse(env.loader.get_source(env, name)[0])
    wanted = set(meta.find_undeclared_variables(tree))
    # What a template sets ({% set %}, {% for %}, {% with %}, a macro's parameters) is no variable of its
    # context, in it or in what it includes; the analysis reads each block apart, so it may list them.
    own = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for other in meta.find_referenced_templates(tree):
        if other is None:
            raise AssertionError(f"{name}: an include whose name is computed cannot be checked")
        more, theirs = read_by(other, seen)
        wanted |= more
        own |= theirs
    return wanted - own, own


def given(context: type[PageContext]) -> set[str]:
    return {f.name for f in fields(context)} | {f.name for f in fields(Frame)} | set(templates().globals)


def test_every_page_template_has_a_context():
    assert PAGES and set(PAGES) == set(CONTEXTS)


@pytest.mark.parametrize("name", PAGES)
def test_each_template_gets_the_fields_it_uses(name):
    wanted, _ = read_by(name)
    assert wanted - given(CONTEXTS[name]) == set()


def test_the_check_sees_what_a_template_reads():
    """Checked by hand against the templates: what search.html and unit.html read, through base.html
    and _items.html; a context without one of them would fail the test above."""
    search, _ = read_by("search.html")
    assert {"q", "hits", "sample", "scope", "user", "csrf"} <= search
    unit, _ = read_by("unit.html")
    assert {"by_role", "statuses", "leaders", "co", "city", "name", "answer"} <= unit
    assert "list" not in unit and "show_via" not in unit  # set by unit.html's {% with %} around the include
    assert "filters" not in {f.name for f in fields(CONTEXTS["search.html"])}
    assert Path(HERE / "templates" / "search.html").is_file()
