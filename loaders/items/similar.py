"""Pairs of strings at least so alike (difflib ratio), without comparing every pair.

:meth:`difflib.SequenceMatcher.ratio` is ``2·M / (len a + len b)`` with ``M``
matched characters, and ``M`` is at most the characters the two share (counted
with repeats).  So two strings of ratio ≥ t share at least ``⌈t/(2-t)·len⌉`` of
the characters of each, and — the prefix filter of set-similarity joins — they
share at least one character among the first ``len - that + 1`` of each, once
every string's characters are sorted rarest first.  Indexing only those
prefixes finds every pair the all-pairs loop finds (the test compares the two),
while most strings meet only the few others that share a rare character.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from difflib import SequenceMatcher


def _tokens(text: str) -> list[tuple[str, int]]:
    """Characters with their occurrence number, so repeats count as the multiset they are."""
    seen: Counter = Counter()
    out = []
    for ch in text:
        out.append((ch, seen[ch]))
        seen[ch] += 1
    return out


def similar_pairs(texts: list[str], threshold: float) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of texts equal or of difflib ratio ≥ ``threshold``, sorted.

    >>> similar_pairs(["国资委", "国资", "档案", "国资委"], 0.8)
    [(0, 1), (0, 3), (1, 3)]
    """
    tokens = [_tokens(t) for t in texts]
    sets = [frozenset(toks) for toks in tokens]
    frequency = Counter(tok for toks in tokens for tok in set(toks))
    bound = threshold / (2 - threshold)
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    pairs: set[tuple[int, int]] = set()
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        by_text[text].append(i)
    for same in by_text.values():  # equal texts (empty ones too) are always a pair
        pairs.update((a, b) for n, a in enumerate(same) for b in same[n + 1 :])
    for j, toks in enumerate(tokens):
        if not toks:
            continue
        ordered = sorted(toks, key=lambda tok: (frequency[tok], tok))
        prefix = len(ordered) - math.ceil(bound * len(ordered) - 1e-9) + 1
        candidates = {i for tok in ordered[:prefix] for i in index[tok]}
        for tok in ordered[:prefix]:
            index[tok].append(j)
        for i in candidates:
            a, b = texts[i], texts[j]
            if a == b or (i, j) in pairs:
                continue
            total = len(a) + len(b)
            # The characters shared bound the ratio from above (difflib's quick_ratio, without its set-up).
            if 2 * len(sets[i] & sets[j]) < threshold * total:
                continue
            if SequenceMatcher(None, a, b).ratio() >= threshold:
                pairs.add((i, j))
    return sorted(pairs)
