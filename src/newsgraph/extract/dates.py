"""Dates: the article's anchor (dateline, publication, year clues) and each date expression.

A visit's date is the date expression nearest its trigger, or the one the
discourse last set ("On Wednesday, Xi was in Yantai. At the ... park ..."),
resolved against the anchor: "on Thursday" is the latest Thursday on or
before the dateline or publication date; "on the 26th" takes the anchor's
month. Without a known year the date stays partial (``--03-13``): a partial
date is honest, a guessed year is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from newsgraph.extract.rules import fold_case
from newsgraph.model import Article, PartialDate

__all__ = ["DateExpression", "Anchor", "find_anchor", "find_dates", "resolve"]

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Years that anniversaries in news count from ("the 70th anniversary of the founding of the People's Republic").
ANNIVERSARIES = {
    r"people'?s republic|new china|the prc": 1949,
    r"communist party of china|the cpc|the party": 1921,
    r"reform and opening": 1978,
}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"


class _WordPattern:
    """A pattern that matches where a word starts, as ``\\b`` + ``source`` would, found faster.

    Python's regex engine scans fast only for a pattern that opens with a literal
    character: for one that opens with a class or an alternation ("\\d", "on|On")
    it tests every position of the text, ten times slower. So each pattern here is
    looked for by a ``lead`` that opens with a literal ("-" of "-03-13", "n" of "on
    the 26th", "day" of "Monday"), which every match holds within ``back`` characters
    of its start, and the full pattern is tried only there.
    """

    def __init__(self, source: str, lead: str, back: int) -> None:
        self.lead = re.compile(lead)
        self.exact = re.compile(rf"\b{source}")
        self.back = back

    def finditer(self, scan: _Scan) -> Iterator[re.Match]:
        text = scan.text
        pos = 0
        while (lead := self.lead.search(text, pos)) is not None:
            # No match starts before the lead's earliest place, so the first to match here is the leftmost.
            for start in range(max(pos, lead.start() - self.back), lead.start() + 1):
                m = self.exact.match(text, start)
                if m is not None:
                    yield m
                    pos = m.end()
                    break
            else:
                pos = lead.start() + 1


class _AnchoredPattern:
    """``\\b`` + ``source``, tried only at the places an anchor word (a month, "year") allows.

    Several patterns share an anchor that no literal leads to ("March" opens with
    one of eight capitals), so :class:`_Scan` finds its places once for all of them.
    A match opens with the anchor (``before`` is None), or ends a word ``before``
    = (shortest, longest) characters long, then whitespace, then the anchor: "13th
    March", "since May". The whitespace can be any length, so it is measured back
    from each anchor rather than covered by a fixed ``back``.
    """

    def __init__(self, source: str, anchor: Callable[[_Scan], list[int]], before: tuple[int, int] | None = None,
                 caseless: bool = False) -> None:
        self.exact = re.compile(rf"\b{source}")
        self.anchor = anchor
        self.before = before
        self.caseless = caseless   # written in lower case, to run on the folded text

    def finditer(self, scan: _Scan) -> Iterator[re.Match]:
        text = scan.folded if self.caseless else scan.text
        pos = 0
        for start in self._starts(text, self.anchor(scan)):
            if start >= pos and (m := self.exact.match(text, start)) is not None:
                yield m
                pos = m.end()

    def _starts(self, text: str, anchors: list[int]) -> list[int]:
        """Every place a match can start, in order: trying each and taking the first is what finditer does."""
        if self.before is None:
            return anchors
        shortest, longest = self.before
        starts: set[int] = set()
        for at in anchors:
            word_end = at
            while word_end > 0 and text[word_end - 1].isspace():   # str.isspace() is exactly \s
                word_end -= 1
            if word_end < at:
                starts.update(range(max(0, word_end - longest), word_end - shortest + 1))
        return sorted(starts)


# Every month name in _MONTH opens with one of these; none ends where another could start.
_MONTH_NAME = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_UNITS = [re.compile(r"year\b"), re.compile(r"month\b"), re.compile(r"week\b")]


class _Scan:
    """The text find_dates looks in, folded, and the places of the anchors its patterns share."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold_case(text)
        self.months = [m.start() for m in _MONTH_NAME.finditer(text)]
        self.units = sorted(m.start() for unit in _UNITS for m in unit.finditer(self.folded))


_SOME_WORD_OF_THE_DAY = r"(?:the\s+(?:morning|afternoon|evening|night)\s+of\s+(?:the\s+)?|the\s+)?"
_PATTERNS: list[tuple[str, _WordPattern | _AnchoredPattern]] = [
    ("iso", _WordPattern(r"(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b", r"-[01]\d-[0-3]\d", back=4)),
    ("month-day-year", _AnchoredPattern(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", lambda scan: scan.months)),
    ("day-month-year", _AnchoredPattern(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", lambda scan: scan.months, before=(1, 4))),
    ("month-day", _AnchoredPattern(rf"{_MONTH}\s+{_DAY}\b(?![,]?\s+(?:19|20)\d\d)(?!\s*(?:percent|%|million|billion))",
                                   lambda scan: scan.months)),
    ("day-of-month", _AnchoredPattern(rf"{_DAY}\s+{_MONTH}\b", lambda scan: scan.months, before=(1, 4))),
    ("ordinal-day", _WordPattern(rf"(?:on|On)\s+{_SOME_WORD_OF_THE_DAY}(?P<day>[0-3]?\d)(?:st|nd|rd|th)\b",
                                 rf"n\s+{_SOME_WORD_OF_THE_DAY}[0-3]?\d(?:st|nd|rd|th)\b", back=1)),
    ("weekday", _WordPattern(r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", r"day\b", back=6)),
    ("relative", _WordPattern(r"(?P<relative>yesterday|today|Yesterday|Today)\b", r"day\b", back=6)),
    # "last year", "in 2019": a visit told with these is not the story's visit of the day
    ("vague", _AnchoredPattern(r"(?P<vague>last|earlier this|this|next)\s+(?P<unit>year|month|week)\b",
                               lambda scan: scan.units, before=(4, 12), caseless=True)),
    ("year", _WordPattern(r"(?:in|In)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*[-–])", r"n\s+(?:19|20)\d\d\b", back=1)),
    ("month", _AnchoredPattern(rf"(?:in|In|since|early|late|mid-)\s+{_MONTH}\b(?!\s+[0-3]?\d)(?!,?\s+(?:19|20)\d\d)",
                               lambda scan: scan.months, before=(2, 5))),
]
_HISTORICAL = re.compile(r"(?:since|founded in|established in|set up in|began production in|until|by|before)\s*$", re.I)


@dataclass(frozen=True)
class DateExpression:
    """A date expression in the text; fields it does not give are None."""

    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    historical: bool = False
    relative: int | None = None   # days from the anchor: "yesterday" is -1

    @property
    def day_level(self) -> bool:
        """An expression that names a day, or says the day is another one ("last year")."""
        return self.day is not None or self.weekday is not None or self.relative is not None or self.kind == "vague"


@dataclass(frozen=True)
class Anchor:
    """What the article tells about its own time: the dateline day and the best known year."""

    date: dt.date | None          # a full date to count weekdays back from
    month: int | None             # dateline or publication month
    day: int | None
    year: int | None
    source: str
    dateline_at: int | None = None   # where the dateline's own date expression starts


def find_dates(text: str) -> list[DateExpression]:
    """Every date expression in ``text``, longest first where two overlap, in text order."""
    found: list[DateExpression] = []
    taken: list[tuple[int, int]] = []
    scan = _Scan(text)
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(scan):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            groups = m.groupdict()
            month = int(groups["m"]) if groups.get("m") else MONTHS.get((groups.get("month") or "").lower().rstrip("."))
            day = int(groups["day"]) if groups.get("day") else None
            if day is not None and not 1 <= day <= 31:
                continue
            weekday = WEEKDAYS.index(groups["weekday"].lower()) if groups.get("weekday") else None
            year = int(groups["year"]) if groups.get("year") else None
            historical = bool(_HISTORICAL.search(text[max(0, m.start() - 25):m.start()]))
            relative = {"yesterday": -1, "today": 0}.get((groups.get("relative") or "").lower())
            found.append(DateExpression(m.start(), m.end(), kind, year, month, day, weekday, historical, relative))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def find_anchor(article: Article, dates: list[DateExpression]) -> Anchor:
    """The article's anchor: dateline day, publication date and year clues combined."""
    text = article.text
    published = article.published
    dateline = _dateline(text, dates)
    year = published.year if published else _year_from_text(text)
    relative = _relative_anchor(text, year)
    if dateline is None and published is None and relative is not None:
        return Anchor(relative, relative.month, relative.day, relative.year, "text")
    if dateline is not None:
        month, day, at = dateline
        if year is not None:
            anchor_year = year
            if published and (month, day) > (published.month, published.day) and month - published.month > 6:
                anchor_year -= 1
            try:
                return Anchor(dt.date(anchor_year, month, day), month, day, anchor_year, "dateline", at)
            except ValueError:
                pass
        return Anchor(None, month, day, year, "dateline", at)
    if published:
        return Anchor(published, published.month, published.day, published.year, "published")
    return Anchor(None, None, None, year, "text" if year else "none")


_DATELINE_END = re.compile(r"\s(?:--|—|–)\s|\(Xinhua\)|\(AP\)|\(Reuters\)|\belectricity\b")


def _dateline(text: str, dates: list[DateExpression]) -> tuple[int, int, int] | None:
    """"BEIJING, March 13 (Xinhua) --", "WUHAN, April 26 --", "This net Wuhan April 26th electricity --".

    The dateline opens the first paragraph, or the second when a headline stands alone above it.
    """
    offset = 0
    for paragraph in text.split("\n\n", 3)[:3]:
        start = offset + len(paragraph) - len(paragraph.lstrip())
        offset += len(paragraph) + 2
        head = paragraph.strip()[:160]
        if not head:
            continue
        marker = _DATELINE_END.search(head)
        if marker is None:
            continue
        for expr in dates:
            if start <= expr.start < start + marker.start() + 1 and expr.month and expr.day:
                return expr.month, expr.day, expr.start
        return None
    return None


_NUMBERS = "one two three four five six seven eight nine ten eleven twelve".split()
_RELATIVE_ANCHOR = re.compile(rf"\b(?P<n>\d+|{'|'.join(_NUMBERS)})\s+(?P<unit>days?|weeks?)\s+"
                              rf"(?P<dir>earlier|before|later),?\s+on\s+{_MONTH}\s+{_DAY}\b")
# The middle of _RELATIVE_ANCHOR, which every match holds, once for each unit: a scan for one that
# opens with a literal costs a tenth of one for the whole pattern, whose opening \b and alternation
# make the engine try every position.
_RELATIVE_ANCHOR_CLUES = [re.compile(rf"{unit}s?\s+(?:earlier|before|later),?\s+on\s") for unit in ("day", "week")]


def _relative_anchor(text: str, year: int | None) -> dt.date | None:
    """"(sworn in) ten days earlier, on May 10": the story's own day is that date plus ten days."""
    if year is None:
        return None
    if all(clue.search(text) is None for clue in _RELATIVE_ANCHOR_CLUES):
        return None
    m = _RELATIVE_ANCHOR.search(text)
    if m is None:
        return None
    try:
        base = dt.date(year, MONTHS[m.group("month").lower().rstrip(".")], int(m.group("day")))
    except ValueError:
        return None
    days = _number(m.group("n")) * (7 if m.group("unit").startswith("week") else 1)
    return base + dt.timedelta(days=days if m.group("dir") != "later" else -days)


_IN_THE_YEAR = re.compile(r"\bin the year (?:of )?((?:19|20)\d\d)\b")
_TIME_AGO = re.compile(rf"\bin\s+{_MONTH}\s+{_YEAR},?\s+(?:some|about|nearly|almost|more than|over)?\s*"
                       rf"(?P<n>\d+|{'|'.join(_NUMBERS)})\s+(?P<unit>months?|years?)\s+ago")
_ANNIVERSARY = re.compile(r"\b(\d+)(?:st|nd|rd|th) anniversary of the founding of ([^,.;]+)", re.I)
_ANNIVERSARY_BASES = [(re.compile(pattern, re.I), year) for pattern, year in ANNIVERSARIES.items()]
_THIS_YEAR = re.compile(r"\bthis year\b", re.I)
_YEAR_NUMBER = re.compile(r"(?<![\d$-])((?:19|20)\d\d)(?!\d)")
_TARGET_BEFORE = re.compile(r"(?:by|before|until|expected in|due in|target|from)\s*$")


def _year_from_text(text: str) -> int | None:
    """The year an undated article was written in, when the text itself says so.

    Each pattern opens with \\b, which makes the regex engine try every position:
    a word every match holds is looked for first, in the folded text where the
    pattern ignores case (a substring test costs a twentieth of the scan).
    """
    folded = fold_case(text)
    m = _IN_THE_YEAR.search(text) if "in the year" in text else None
    if m:
        return int(m.group(1))
    m = _TIME_AGO.search(text) if "ago" in text else None
    if m:
        n = _number(m.group("n"))
        base = int(m.group("year")) * 12 + MONTHS[m.group("month").lower().rstrip(".")] - 1
        total = base + (n if m.group("unit").startswith("month") else 12 * n)
        return total // 12
    m = _ANNIVERSARY.search(text) if "anniversary" in folded else None
    if m:
        for pattern, base_year in _ANNIVERSARY_BASES:
            if pattern.search(m.group(2)):
                return base_year + int(m.group(1))
    if "this year" in folded and _THIS_YEAR.search(text):
        years = [int(y.group(1)) for y in _YEAR_NUMBER.finditer(text)
                 if not _TARGET_BEFORE.search(text[max(0, y.start() - 15):y.start()])]
        if years:
            return max(years)
    return None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS.index(word) + 1


def resolve(expr: DateExpression, anchor: Anchor) -> PartialDate | None:
    """The calendar date an expression stands for, as far as the anchor allows."""
    if expr.kind in ("iso", "month-day-year", "day-month-year"):
        return PartialDate(expr.year, expr.month, expr.day)
    if expr.kind == "vague":
        return None
    if expr.kind == "year":
        return PartialDate(expr.year, None, None)
    if expr.relative is not None:
        return PartialDate.from_date(anchor.date + dt.timedelta(days=expr.relative)) if anchor.date else None
    if expr.weekday is not None:
        if anchor.date is None:
            return None
        back = (anchor.date.weekday() - expr.weekday) % 7
        return PartialDate.from_date(anchor.date - dt.timedelta(days=back))
    if expr.month and expr.day:
        year = anchor.year
        if year is not None and anchor.month and expr.month - anchor.month > 6:
            year -= 1
        return _checked(year, expr.month, expr.day)
    if expr.day and not expr.month:
        if anchor.month is None:
            return None
        month, year = anchor.month, anchor.year
        if anchor.day is not None and expr.day > anchor.day + 1:
            month -= 1
            if month == 0:
                month, year = 12, (year - 1 if year else None)
        return _checked(year, month, expr.day)
    if expr.month:
        return PartialDate(anchor.year, expr.month, None) if anchor.year else PartialDate(None, expr.month, None)
    return None


def _checked(year: int | None, month: int, day: int) -> PartialDate | None:
    try:
        dt.date(year or 2000, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)
