"""The words offices use for the state of a task (已办结, 慢序时, 欠进度 …) and the status each means.

The shipped list is ``loaders/data/status_words.toml``; the user's own file (same
format, in the respgraph home folder) is read after it and may add words or
re-point one.  Words are compared after NFKC with spaces removed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from respgraph.graph.errors import LoadError
from respgraph.graph.progress import STATUS_ORDER, Status
from respgraph.graph.text import clean_name

SHIPPED = "status_words.toml (shipped)"
_WORD_STATUSES = {s.value for s in Status} - {Status.NO_REPORT.value}
# In free text a done word must end its clause or name the whole task: 已完成投资 2 亿元 is a figure, not a status.
_WHOLE = re.compile(r"^(?:$|[，。；;,.!！、\s]|年度|全年|全部|任务|目标|建设|验收|工作)")
_CLAIMS = {Status.DONE, Status.AHEAD}


@dataclass(frozen=True)
class Match:
    status: Status
    word: str


@dataclass
class Vocabulary:
    """word -> status, with the file each word came from."""

    status: dict[str, Status] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    # The words as one regex, made on first use and dropped when a file adds words.
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def add_file(self, path: Path | str, text: str | None = None) -> None:
        text = Path(path).read_text("utf-8") if text is None else text
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LoadError(str(path), f"not a valid status word file: {exc}") from None
        for name, words in table.items():
            if name not in _WORD_STATUSES:
                raise LoadError(str(path), f"unknown status {name!r}: use one of {', '.join(sorted(_WORD_STATUSES))}")
            for word in [words] if isinstance(words, str) else words:
                self.status[clean_name(word)] = Status(name)
                self.source[clean_name(word)] = str(path)
        self._pattern = None

    def entries(self) -> list[tuple[str, str, str]]:
        """(word, status, file) for every word, by status then word."""
        order = [s.value for s in STATUS_ORDER]
        return sorted(
            ((w, s.value, self.source[w]) for w, s in self.status.items()), key=lambda e: (order.index(e[1]), e[0])
        )

    def matches(self, text: str) -> list[Match]:
        """Every word in ``text``, leftmost and longest first, not overlapping.

        >>> [(m.status.value, m.word) for m in default_vocabulary().matches("未完成年度目标，进展缓慢")]
        [('behind', '未完成'), ('behind', '进展缓慢')]
        """
        return [Match(self.status[m.group(0)], m.group(0)) for m in self._finditer(clean_name(text))]

    def _finditer(self, text: str):
        if self._pattern is None:
            # Longest first: at each position the regex takes the first alternative that fits.
            words = sorted(self.status, key=len, reverse=True) or ["(?!)"]
            self._pattern = re.compile("|".join(w if w == "(?!)" else re.escape(w) for w in words))
        return self._pattern.finditer(text)

    def classify(self, cell: str) -> Match | None:
        """The status a status cell states: its worst word when it has several.

        >>> v = default_vocabulary()
        >>> v.classify("已办结"), v.classify("慢序时"), v.classify("基本完成，部分滞后").word, v.classify("良好")
        (Match(status=<Status.DONE: 'done'>, word='已办结'), Match(status=<Status.BEHIND: 'behind'>, word='慢序时'), '滞后', None)
        """
        found = self.matches(cell)
        return min(found, key=lambda m: STATUS_ORDER.index(m.status)) if found else None

    def in_text(self, text: str) -> Match | None:
        """The status free text states in words; a done word counts only for the whole task.

        >>> v = default_vocabulary()
        >>> v.in_text("已完成投资 23.5 亿元") is None, v.in_text("项目已完成。").word, v.in_text("受台风影响进展缓慢").word
        (True, '已完成', '进展缓慢')
        """
        cleaned = clean_name(text)
        found = []
        for m in self._finditer(cleaned):
            status = self.status[m.group(0)]
            if status in _CLAIMS and not _WHOLE.match(cleaned[m.end() :]):
                continue
            found.append(Match(status, m.group(0)))
        return min(found, key=lambda m: STATUS_ORDER.index(m.status)) if found else None


def default_vocabulary(user_file: Path | None = None) -> Vocabulary:
    """The shipped word list, extended by the user's file when it exists."""
    vocabulary = Vocabulary()
    shipped = resources.files("respgraph.loaders").joinpath("data/status_words.toml")
    vocabulary.add_file(SHIPPED, shipped.read_text("utf-8"))
    if user_file is not None and user_file.exists():
        vocabulary.add_file(user_file)
    return vocabulary
