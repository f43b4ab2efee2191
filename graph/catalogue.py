"""Keeping the message catalogues (``graph/locale``) in step with the code, with Babel.

``python -m respgraph.graph.catalogue update`` extracts every message of the Python and the
templates into ``messages.pot`` and merges it into each language's ``.po`` (new messages
come in empty, gone ones are dropped); ``check`` says what is missing, fuzzy or stale and
exits 1 if anything is. The same as ``pybabel extract -F babel.cfg`` with :data:`KEYWORDS`,
then ``pybabel update``; the tests run :func:`extract` and :func:`problems`.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from respgraph.graph.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

__all__ = ["KEYWORDS", "ROOT", "POT", "extract", "read", "problems", "update"]

#: The calls whose first arguments are messages (Babel's keyword specs: ``1c,2`` is context, message).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None, "NC_": ((1, "c"), 2)}
#: The repository (or, installed, the package): where babel.cfg sits beside the sub-packages.
ROOT = LOCALE_DIR.parent.parent
POT = LOCALE_DIR / f"{DOMAIN}.pot"


def extract():
    """Every message the code and the templates say, as a Babel catalogue (extraction by babel.cfg)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog(project="respgraph", domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read(path: Path, locale: str | None = None):
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _ids(catalog) -> set:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


def problems() -> list[str]:
    """What is wrong with the committed catalogues: a message of the code not in ``messages.pot``
    (or one there no code says), and, in each language, a message missing, untranslated or fuzzy."""
    found = []
    said, template = _ids(extract()), _ids(read(POT))
    found += [
        f"messages.pot lacks {m!r}: run `python -m respgraph.graph.catalogue update`"
        for m in sorted(said - template, key=repr)
    ]
    found += [f"messages.pot holds {m!r}, which no code says any more" for m in sorted(template - said, key=repr)]
    for lang in LANGUAGES:
        catalog = read(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", lang)
        have = {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalog if m.id}
        for key in sorted(template, key=repr):
            m = have.get(key)
            if m is None:
                found.append(f"{lang}: missing {key!r}")
            elif m.fuzzy:
                found.append(f"{lang}: fuzzy {key!r}")
            elif not (all(m.string) if isinstance(m.string, (list, tuple)) else m.string):
                found.append(f"{lang}: untranslated {key!r}")
    return found


def update() -> None:
    """Write ``messages.pot`` from the code and merge it into every language's ``.po``."""
    from babel.messages.pofile import write_po

    template = extract()
    _write(POT, template, write_po)
    for lang in LANGUAGES:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalog = read(path, lang)
        catalog.update(template, no_fuzzy_matching=True)
        _write(path, catalog, write_po)


def _write(path: Path, catalog, write_po) -> None:
    buffer = io.BytesIO()
    # No line numbers: a message moving inside its file is no change of the catalogue.
    write_po(
        buffer, catalog, omit_header=False, sort_output=True, include_lineno=False, ignore_obsolete=True, width=100
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "check":
        wrong = problems()
        print("\n".join(wrong) or "the catalogues are complete")
        sys.exit(1 if wrong else 0)
    else:
        sys.exit("usage: python -m respgraph.graph.catalogue [update|check]")
