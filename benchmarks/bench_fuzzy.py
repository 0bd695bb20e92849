"""How the fuzzy-match threshold of resolution was chosen.

Unknown names are merged with a name already seen when rapidfuzz's
token_sort_ratio of their normalised forms reaches ``fuzzy.FUZZY_THRESHOLD``.
This script measures, on the bundled organization reference data:

- same firm: every pair of a canonical name and an alias of the same
  organization that differ after normalising (spelling variants and
  translations; acronyms are left out, fuzzy matching cannot find those);
- different firms: every pair of canonical names of two organizations.

    .venv/bin/python benchmarks/bench_fuzzy.py
    .venv/bin/python benchmarks/bench_fuzzy.py --scaling [--names 20000]

It prints, per threshold, how many same-firm pairs merge (recall) and how
many different-firm pairs would wrongly merge. With ``--scaling`` it
instead times the fuzzy lookups of resolution as names accumulate: scoring
every name seen against scoring the candidates of ``fuzzy.FuzzyIndex``.
Results: RESULTS-resolve.md.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rapidfuzz import fuzz, process  # noqa: E402

from newsgraph.reference import load_reference  # noqa: E402
from newsgraph.fuzzy import FUZZY_THRESHOLD, FuzzyIndex  # noqa: E402
from newsgraph.text import normalize_name  # noqa: E402


def thresholds() -> None:
    reference = load_reference()
    same, different = [], []
    for org in reference.organizations:
        name = normalize_name(org.name)
        for alias in org.aliases:
            norm = normalize_name(alias)
            if norm != name and not alias.isupper() and len(norm) >= 6 and norm.isascii():
                same.append(fuzz.token_sort_ratio(name, norm))
    names = [normalize_name(o.name) for o in reference.organizations]
    for a, b in itertools.combinations(names, 2):
        different.append(fuzz.token_sort_ratio(a, b))
    print(f"{len(same)} same-firm pairs, {len(different)} different-firm pairs")
    print("threshold  same-firm merged  different-firm merged")
    for threshold in (80, 85, 88, 90, 92, 94, 96):
        hit = sum(s >= threshold for s in same)
        wrong = sum(d >= threshold for d in different)
        mark = "  <- fuzzy.FUZZY_THRESHOLD" if threshold == FUZZY_THRESHOLD else ""
        print(f"{threshold:9}  {hit:5} ({hit / len(same):5.1%})   {wrong:6} ({wrong / len(different):.4%}){mark}")


def scaling(count: int) -> None:
    """Unknown firm names in the style of the news (city, invented stem, line of business), some misspelt."""
    rng = random.Random(1)
    syllables = "an bei chen dong fang gao hua jin kai lan ming ning qiao rui shan tai wei xin yang zhao".split()
    cities = "beijing shanghai shenzhen hefei wuhan suzhou xian chengdu".split()
    trades = "robotics technology semiconductor battery new energy optoelectronics intelligent equipment".split()
    names = []
    for _ in range(count):
        stem = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
        name = f"{rng.choice(cities)} {stem} {rng.choice(trades)}"
        if names and rng.random() < 0.1:   # a misspelling of a name seen before
            seen = list(rng.choice(names))
            seen.insert(rng.randrange(len(seen)), rng.choice("aeiou"))
            name = "".join(seen)
        names.append(name)
    print(f"Fuzzy lookups of an unknown name, CPU time per lookup (mean of 100), as names accumulate")
    print("names seen   score all   index   candidates")
    index = FuzzyIndex()
    for n, name in enumerate(names):
        if n in (1000, count // 4, count // 2, 3 * count // 4, count - 100):
            sample, seen = names[n:n + 100], names[:n]
            t = time.process_time()
            for other in sample:
                process.extract(other, seen, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_THRESHOLD, limit=5)
            everything = (time.process_time() - t) / len(sample)
            t, offered = time.process_time(), 0
            for other in sample:
                found = list(dict.fromkeys(index.candidates(other)))
                offered += len(found)
                process.extract(other, found, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_THRESHOLD, limit=None)
            indexed = (time.process_time() - t) / len(sample)
            print(f"{n:10}  {everything * 1000:7.3f} ms  {indexed * 1000:6.3f} ms  {offered / len(sample):8.0f}")
        index.add(name, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaling", action="store_true", help="time fuzzy lookups as names accumulate")
    parser.add_argument("--names", type=int, default=20000)
    arguments = parser.parse_args()
    scaling(arguments.names) if arguments.scaling else thresholds()
