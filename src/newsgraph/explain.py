"""``newsgraph explain``: what extraction read from one article and why.

The debugging view for users and developers alike: every fact with its
sentence, offsets, rule and confidence, every mention with the name it was
resolved to, and every candidate a rule rejected with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from newsgraph.documents import read_article
from newsgraph.extract import extract, load_rules
from newsgraph.reference import load_reference

__all__ = ["explain_article"]


def explain_article(path: Path, reference_files: Sequence[Path] = ()) -> str:
    """A readable report of one article's extraction.

    >>> print(explain_article(Path("article.txt")))  # doctest: +SKIP
    """
    article = read_article(path)
    result = extract(article, load_rules(), load_reference(tuple(reference_files)))
    lines = [f"# {article.path}" + (f" — {article.title}" if article.title else ""),
             f"published: {article.published or 'unknown'}", "", "## Facts"]
    if not result.relations:
        lines.append("(none)")
    for r in result.relations:
        when = f" on {r.date}" if r.date else ""
        lines.append(f"- {r.subject.name} {r.predicate} {r.object.name}{when}")
        lines.append(f"    rule {r.evidence.rule}, confidence {r.evidence.confidence:.2f}, "
                     f"chars {r.evidence.start}-{r.evidence.end}")
        lines.append(f"    \"{_shorten(r.evidence.sentence)}\"")
    lines += ["", "## Mentions"]
    for m in result.mentions:
        lines.append(f"- [{m.start}-{m.end}] {m.label}: {m.text!r} -> {m.name}" + (f" ({m.kind})" if m.kind else "")
                     + f" [{m.rule}]")
    lines += ["", "## Rejected"]
    if not result.rejections:
        lines.append("(none)")
    for rej in result.rejections:
        lines.append(f"- {rej.what}: {rej.reason} [{rej.rule}, chars {rej.start}-{rej.end}]")
    return "\n".join(lines) + "\n"


def _shorten(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
