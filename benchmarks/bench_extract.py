"""Extraction and build speed: articles of about 500 words per second on one core.

The corpus is synthetic but shaped like the real thing: each article is a
~500-word report assembled from the bundled example and test articles (visit
sentences, titles, datelines, technology phrases), with its people and firms
renamed so that every article names different ones.

    .venv/bin/python benchmarks/bench_extract.py [--articles 1000]

Prints articles/s for extraction alone and for the whole build minus HTML
(read, extract, resolve, RDF, write Turtle and TriG). Results: RESULTS-extract.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.documents import read_article  # noqa: E402
from newsgraph.extract import extract, load_rules  # noqa: E402
from newsgraph.pipeline import build_graph  # noqa: E402
from newsgraph.reference import load_reference  # noqa: E402

SOURCES = sorted((ROOT / "examples" / "articles").glob("*")) + sorted((ROOT / "tests" / "data" / "articles").glob("*"))
SYLLABLES = "an bei chen dong fang gao hua jin kai lan ming ning qiao rui shan tai wei xin yang zhao".split()
FIRST_DAY = dt.date(2015, 1, 1)


def _paragraphs() -> list[str]:
    paragraphs = []
    for path in SOURCES:
        body = read_article(path).text
        paragraphs += [p.strip() for p in body.split("\n\n") if len(p.split()) > 15]
    return paragraphs


def _rename(text: str, n: int) -> str:
    """Give every article its own people and firms, so nothing is cached across articles."""
    syllables = [SYLLABLES[n % len(SYLLABLES)]]
    while n >= len(SYLLABLES):   # n written in base 20, a syllable a digit: a different name for every n
        n //= len(SYLLABLES)
        syllables.append(SYLLABLES[n % len(SYLLABLES)])
    stem = "".join(syllables).capitalize()
    return re.sub(r"\b(Lanshan|Brightwater|Harborlight|Lakeshore|Brightline|Kessling|Okafor|Vale|Chen)\b",
                  lambda m: stem + m.group(1)[:2].lower(), text)


def make_corpus(folder: Path, count: int, words: int = 500) -> list[Path]:
    paragraphs = _paragraphs()
    paths = []
    for n in range(count):
        body, i = [], n
        while sum(len(p.split()) for p in body) < words:
            body.append(paragraphs[i % len(paragraphs)])
            i += 7
        published = FIRST_DAY + dt.timedelta(days=n // 3)   # three reports a day, as a news feed has
        text = f"---\ntitle: Synthetic report {n}\npublished: {published}\n---\n\n" + _rename("\n\n".join(body), n)
        path = folder / f"article-{n:05d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules, reference = load_rules(), load_reference()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        paths = make_corpus(folder, args.articles)
        articles = [read_article(p) for p in paths]
        mean_words = statistics.mean(len(a.text.split()) for a in articles)
        for article in articles[:20]:
            extract(article, rules, reference)   # warm the compiled patterns
        extract_times, build_times = [], []
        for _ in range(args.repeat):
            gc.collect()
            start = time.process_time()
            for article in articles:
                extract(article, rules, reference)
            extract_times.append(time.process_time() - start)
            start = time.process_time()
            build_graph([folder], Path(tmp) / "out", html=False, fresh=True)   # no cached extractions
            build_times.append(time.process_time() - start)
    e, b = min(extract_times), min(build_times)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{args.articles} articles, {mean_words:.0f} words each on average (CPU time, best of {args.repeat})")
    print(f"extraction:          {args.articles / e:7.0f} articles/s ({e * 1000 / args.articles:.2f} ms each)")
    print(f"build without HTML:  {args.articles / b:7.0f} articles/s ({b:.2f} s in all)")


if __name__ == "__main__":
    main()
