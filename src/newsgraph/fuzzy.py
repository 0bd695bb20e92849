"""Fuzzy matching of names: which names seen so far are spelt almost like a new one.

Resolution merges an unknown name with one it has already seen, of the same
kind, when rapidfuzz's ``token_sort_ratio`` of the two normalised names
reaches ``FUZZY_THRESHOLD``. ``FuzzyIndex`` finds those names without
scoring every name seen (``benchmarks/RESULTS-resolve.md``).

>>> index = FuzzyIndex()
>>> index.add("lanshan robotics technology", "lanshan-robotics")
>>> index.closest("lanshan robotic technology")
['lanshan robotics technology']
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz, process

__all__ = ["FUZZY_THRESHOLD", "FuzzyIndex"]

# Fuzzy matches of unknown names within a type: at 94 no two of the ~350 reference
# organizations would merge (benchmarks/bench_fuzzy.py, RESULTS-resolve.md).
FUZZY_THRESHOLD = 94


class FuzzyIndex:
    """Names seen so far, indexed so that a fuzzy match scores a few of them, not all.

    Scoring every name against all earlier ones grows with the square of the
    corpus. A name that scores ``FUZZY_THRESHOLD`` or more against another
    (``token_sort_ratio``: the Indel distance of the sorted words is at most
    6 % of both lengths) is a few single-character edits away from it:

    - up to 15 characters, one insertion or deletion at most: such names are
      found by deleting each character in turn (names up to 16 characters are
      indexed under each of their one-character deletions);
    - longer names are cut into one piece more than the edits a match may
      need. One piece comes through unedited and stands in the other name
      within that many characters of its place (pigeonhole), so names are
      indexed by their pieces and a query looks up its own substrings where
      such a piece could stand.

    Every name that can score high enough is among the candidates, so the
    answer is what scoring all names would give (``tests/test_resolve.py``
    checks this against scoring all of them).
    """

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}            # name -> entity key, in the order seen
        self.order: dict[str, int] = {}
        self._sorted: dict[str, list[str]] = {}   # sorted-words form -> names
        self._deleted: dict[str, list[str]] = {}  # a short form less one character -> names
        self._pieces: dict[int, list[dict[str, list[str]]]] = {}   # length -> piece number -> piece -> names

    def add(self, name: str, key: str) -> None:
        if name not in self.keys:
            self.order[name] = len(self.order)
            form = _sorted_words(name)
            self._sorted.setdefault(form, []).append(name)
            if len(form) <= _SHORT + 1:
                for i in range(len(form)):
                    self._deleted.setdefault(form[:i] + form[i + 1:], []).append(name)
            by_piece = self._pieces.get(len(form))
            if by_piece is None:
                by_piece = self._pieces[len(form)] = [{} for _ in _piece_bounds(len(form))]
            for index, (start, end) in enumerate(_piece_bounds(len(form))):
                by_piece[index].setdefault(form[start:end], []).append(name)
        self.keys[name] = key

    def candidates(self, name: str) -> list[str]:
        """Every name that may score the threshold against ``name``, and a few others, perhaps repeated."""
        query = _sorted_words(name)
        size = len(query)
        found: list[str] = []
        if size <= _SHORT:
            found += self._deleted.get(query, ())
            found += self._sorted.get(query, ())
            for i in range(size):
                found += self._sorted.get(query[:i] + query[i + 1:], ())
            return found
        reach = _edits_within(size, size)
        for length in range(max(1, size - 2 * reach - 1), size + 2 * reach + 2):
            by_piece = self._pieces.get(length)
            if by_piece is None:
                continue
            shift = _edits_within(size, length)
            if abs(size - length) > shift:
                continue
            for index, (start, end) in enumerate(_piece_bounds(length)):
                names = by_piece[index]
                width = end - start
                for at in range(max(0, start - shift), min(size - width, start + shift) + 1):
                    hit = names.get(query[at:at + width])
                    if hit is not None:
                        found += hit
        return found

    def closest(self, name: str, limit: int = 5) -> list[str]:
        """The names seen that score the threshold against ``name``, best first, earlier first among equals:
        what scoring every name seen, in the order seen, would give."""
        if len(name) < 6:
            return []
        candidates = list(dict.fromkeys(self.candidates(name)))
        scores = {other: score for other, score, _ in process.extract(
            name, candidates, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_THRESHOLD, limit=None)}
        return sorted(scores, key=lambda other: (-scores[other], self.order[other]))[:limit]


# The longest sorted-words form that a match differs from by one insertion or deletion at most.
_SHORT = 15


def _sorted_words(name: str) -> str:
    return " ".join(sorted(name.split()))   # what token_sort_ratio compares


def _edits_within(a: int, b: int) -> int:
    """The most edits between names of lengths ``a`` and ``b`` that still score the threshold."""
    return int((100 - FUZZY_THRESHOLD) / 100 * (a + b) + 1e-9)


@lru_cache(maxsize=256)
def _piece_bounds(length: int) -> tuple[tuple[int, int], ...]:
    """A name of ``length`` characters cut into one piece more than the edits any match may need."""
    # a partner of length b: edits <= 6 % of (length + b) and b <= length + edits, so edits <= 0.12 length / 0.94
    share = (100 - FUZZY_THRESHOLD) / 100
    edits = int(2 * share * length / (1 - share) + 1e-9)
    pieces = min(edits + 1, length)
    return tuple((i * length // pieces, (i + 1) * length // pieces) for i in range(pieces))
