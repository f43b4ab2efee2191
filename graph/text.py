"""How names are compared: one canonical print of a name."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_name(raw: str) -> str:
    """The canonical print of a name: NFKC, no spaces, full-width brackets.

    >>> clean_name("市人力资源 社会保障局")
    '市人力资源社会保障局'
    >>> clean_name("巴斯夫一体化基地(广东)有限公司")
    '巴斯夫一体化基地（广东）有限公司'
    """
    text = unicodedata.normalize("NFKC", raw)
    text = _SPACES.sub("", text)
    # NFKC makes brackets half-width; Chinese names print them full-width.
    return text.replace("(", "（").replace(")", "）")
