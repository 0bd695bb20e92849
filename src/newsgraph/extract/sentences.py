"""Split article text into sentences, keeping character offsets.

News prose is full of periods that end nothing ("Co., Ltd.", "U.S.", "Oct.
15"), so a period ends a sentence only when the next word starts like a
sentence and the word before it is not a known abbreviation or an initial.
Paragraph breaks always end a sentence.
"""

from __future__ import annotations

import re

from newsgraph.model import Sentence

__all__ = ["split_sentences"]

_PARAGRAPH = re.compile(r"\n\s*\n")
_CANDIDATE = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
# Words that open a sentence and never continue a name: "... Co., Ltd. He then ..." ends one.
_OPENERS = frozenset("""The He She It They We His Her Its Their This That These Those At In On During After
Before Later Also Then Accompanying Present But And However Meanwhile Earlier Afterwards Subsequently""".split())
_LAST_WORD = re.compile(r"([\w.&-]+)[.!?][\"'”’)]*$")
_NEWLINE = re.compile(r"\n")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")


def split_sentences(text: str, abbreviations: frozenset[str]) -> list[Sentence]:
    """Sentences of ``text`` with offsets into it; blank stretches are skipped.

    >>> [s.text for s in split_sentences("Li visited Baidu Co., Ltd. in Beijing. He left.", frozenset({"co", "ltd"}))]
    ['Li visited Baidu Co., Ltd. in Beijing.', 'He left.']
    """
    sentences: list[Sentence] = []
    start = 0
    for block in [*_PARAGRAPH.finditer(text), None]:
        end = block.start() if block else len(text)
        _split_paragraph(text, start, end, abbreviations, sentences)
        if block:
            start = block.end()
    return sentences


def _split_paragraph(text: str, start: int, end: int, abbreviations: frozenset[str], out: list[Sentence]) -> None:
    # A single line break inside a paragraph ends a headline-like line but not wrapped prose.
    for line_start, line_end in _lines(text, start, end):
        cursor = line_start
        for match in _CANDIDATE.finditer(text, line_start, line_end):
            word = _last_word(text, cursor, match.start() + 1)
            following = text[match.end():match.end() + 16].split(" ", 1)[0].rstrip(",;:")
            if word and _is_abbreviation(word.group(1), abbreviations) and following not in _OPENERS:
                continue
            _emit(text, cursor, match.start() + len(match.group().rstrip()), out)
            cursor = match.end()
        _emit(text, cursor, line_end, out)


def _last_word(text: str, start: int, end: int) -> re.Match | None:
    """``_LAST_WORD`` searched in ``text[start:end]``, which ends with a sentence mark.

    The search tries every position of the stretch, so it first runs on the last
    40 characters only: a match that begins after their first one is the whole
    stretch's match too (the character before it cannot be part of the word).
    """
    window = max(start, end - 40)
    word = _LAST_WORD.search(text, window, end)
    if word is not None and word.start() == window and window > start:
        word = _LAST_WORD.search(text, start, end)
    return word


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Break a paragraph at single newlines only where the line before does not end mid-sentence."""
    spans, cursor = [], start
    for match in _NEWLINE.finditer(text, start, end):
        pos = match.start()
        before = text[cursor:pos].rstrip()
        if before and not before[-1] in ",;:-" and not before[-1].islower():
            spans.append((cursor, pos))
            cursor = pos + 1
    spans.append((cursor, end))
    return spans


def _is_abbreviation(word: str, abbreviations: frozenset[str]) -> bool:
    lowered = word.lower().rstrip(".")
    if lowered in abbreviations:
        return True
    # Initials such as "J." or "U.S." are not sentence ends.
    return bool(_INITIALS.fullmatch(word.rstrip(".")) and len(word.rstrip(".")) <= 3
                and word[:1].isupper())


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
