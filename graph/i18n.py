"""The words a person reads, in that person's language: gettext over the catalogues in
``graph/locale`` (Babel's ``.po`` files), with the current language in a context variable.

Message ids are English; ``zh_CN`` and ``en`` are both complete (``tests/test_i18n.py``).
The web, the documents and the pictures speak Chinese unless a reader asks for English;
the CLI follows the locale (:func:`from_locale`) or its ``--lang``.

>>> with use("zh_CN"):
...     gettext("(no title)")
'（无标题）'
>>> gettext("(no title)")
'(no title)'
>>> ngettext("{count} notice", "{count} notices", 2, "en").format(count=2)
'2 notices'
>>> from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"), from_accept_language("zh-CN,en;q=0.5"), from_accept_language("")
('en', 'zh_CN', 'zh_CN')
>>> from_locale({"LANG": "zh_CN.UTF-8"}), from_locale({"LANG": "C"}), from_locale({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"})
('zh_CN', 'en', 'en')
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import io
import os
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

__all__ = [
    "LANGUAGES",
    "DEFAULT",
    "LOCALE_DIR",
    "current",
    "use",
    "gettext",
    "ngettext",
    "pgettext",
    "N_",
    "NC_",
    "translations",
    "normalize",
    "for_request",
    "from_accept_language",
    "from_locale",
    "input_errors",
]

#: The languages the catalogues hold, the first the default of every page and document.
LANGUAGES = ("zh_CN", "en")
DEFAULT = "zh_CN"
#: The language of the library's own messages when no face has chosen one: the message ids,
#: what the CLI says under ``LANG=C`` and what a JSON error carries (an interface, not a page).
LIBRARY = "en"
#: Where the catalogues live: inside the package, so the wheel ships them.
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"

#: The language of whatever is being said now: a request's, a command's, a document's.
current: ContextVar[str] = ContextVar("respgraph_language", default=LIBRARY)


def normalize(lang: str) -> str:
    """A language as a person or a header writes it (``zh``, ``zh-CN``, ``en_US``) → a catalogue's name.

    >>> normalize("zh-cn"), normalize("EN_gb")
    ('zh_CN', 'en')
    >>> normalize("fr")
    Traceback (most recent call last):
    ...
    ValueError: no catalogue for language 'fr': choose zh_CN or en
    """
    code = lang.strip().replace("-", "_").split(".")[0].lower()
    if code == "zh" or code.startswith("zh_"):
        return "zh_CN"
    if code == "en" or code.startswith("en_"):
        return "en"
    raise ValueError(f"no catalogue for language {lang!r}: choose {' or '.join(LANGUAGES)}")


@functools.cache
def translations(lang: str) -> _gettext.GNUTranslations:
    """The compiled catalogue of ``lang``, compiled from its ``.po`` once per process.

    Compiled here rather than at install: ``pip install -e`` runs no build step over
    package data, and a ``.mo`` left from an older ``.po`` would say the old words with no
    sign of it. Reading a ``.po`` is paid once per process (see the README's measure)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out: a guess is not a translation
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def _lang(lang: str | None) -> str:
    return normalize(lang) if lang else current.get()


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` (an English message id) in ``lang``, or the current language."""
    return translations(_lang(lang)).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The form for ``n`` of a message in ``lang`` (Chinese has one form, English two)."""
    return translations(_lang(lang)).ngettext(singular, plural, n)


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    """``message`` in ``context`` (a word that two places translate differently: ``lead``, the
    column, and ``lead``, the role)."""
    return translations(_lang(lang)).pgettext(context, message)


def NC_(context: str, message: str) -> str:
    """Marks a message with a context for the catalogue, translated when said with :func:`pgettext`."""
    return message


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is kept in a table and translated when said."""
    return message


@contextlib.contextmanager
def use(lang: str) -> Iterator[str]:
    """Say everything inside in ``lang``."""
    token = current.set(normalize(lang))
    try:
        yield current.get()
    finally:
        current.reset(token)


def from_accept_language(header: str | None) -> str:
    """The language a browser asks for first among ours; Chinese when it asks for neither."""
    asked = []
    for position, part in enumerate((header or "").split(",")):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        try:
            asked.append((-weight, position, normalize(code)))
        except ValueError:
            continue
    return min(asked)[2] if asked and min(asked)[0] < 0 else DEFAULT


def for_request(setting: str | None, accept_language: str | None) -> str:
    """A web reader's language: their own setting (the ``lang`` cookie) if it names one of
    ours, else what their browser asks for first, else Chinese.

    >>> for_request("en", "zh-CN"), for_request(None, "en"), for_request("fr", None)
    ('en', 'en', 'zh_CN')
    """
    if setting:
        try:
            return normalize(setting)
        except ValueError:
            pass
    return from_accept_language(accept_language)


def from_locale(environ=None) -> str:
    """The CLI's language from the locale, as gettext reads it (LC_ALL, LC_MESSAGES, LANG):
    Chinese for ``zh_*``, English otherwise (``C``, ``POSIX``, unset)."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            try:
                return normalize(value)
            except ValueError:
                return "en"
    return "en"


#: What a request's parameter fails on (pydantic's error types), as a page says it.
INPUT_ERRORS = {
    "missing": N_("is missing"),
    "int_parsing": N_("should be a whole number"),
    "int_type": N_("should be a whole number"),
    "float_parsing": N_("should be a number"),
    "bool_parsing": N_("should be yes or no"),
    "date_from_datetime_parsing": N_("should be a date such as 2023-09-30"),
    "date_parsing": N_("should be a date such as 2023-09-30"),
    "greater_than_equal": N_("should be at least {ge}"),
    "greater_than": N_("should be more than {gt}"),
    "less_than_equal": N_("should be at most {le}"),
    "less_than": N_("should be less than {lt}"),
    "string_too_long": N_("is longer than {max_length} characters"),
    "string_too_short": N_("is shorter than {min_length} characters"),
    "string_pattern_mismatch": N_("is not one of the values this page offers"),
    "literal_error": N_("is not one of the values this page offers"),
    "enum": N_("is not one of the values this page offers"),
}


def input_errors(errors: Sequence[Any], lang: str | None = None) -> str:
    """A request's invalid parameters (pydantic's ``errors()``) as one sentence a reader can act on,
    naming each parameter as the address bar or the form shows it.

    >>> input_errors([{"type": "greater_than_equal", "loc": ("query", "min_shared"), "msg": "…", "ctx": {"ge": 1}}], "zh_CN")
    '参数“min_shared”应不小于 1'
    """
    said = []
    for error in errors:
        name = ".".join(str(part) for part in error.get("loc", ())[1:]) or "?"
        template = INPUT_ERRORS.get(error.get("type", ""), N_("is not valid"))
        try:
            problem = gettext(template, lang).format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            problem = gettext(N_("is not valid"), lang)
        said.append(gettext("parameter {name!r} {problem}", lang).format(name=name, problem=problem))
    return gettext("; ", lang).join(said)
