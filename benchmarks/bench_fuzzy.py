"""How the fuzzy-match threshold of resolution was chosen.

Unknown names are merged with a name already seen when rapidfuzz's
token_sort_ratio of their normalised forms reaches ``resolve.FUZZY_THRESHOLD``.
This script measures, on the bundled organization reference data:

- same firm: every pair of a canonical name and an alias of the same
  organization that differ after normalising (spelling variants and
  translations; acronyms are left out, fuzzy matching cannot find those);
- different firms: every pair of canonical names of two organizations.

    .venv/bin/python benchmarks/bench_fuzzy.py

It prints, per threshold, how many same-firm pairs merge (recall) and how
many different-firm pairs would wrongly merge. Results: RESULTS-resolve.md.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rapidfuzz import fuzz  # noqa: E402

from newsgraph.reference import load_reference  # noqa: E402
from newsgraph.resolve import FUZZY_THRESHOLD  # noqa: E402
from newsgraph.text import normalize_name  # noqa: E402


def main() -> None:
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
        mark = "  <- resolve.FUZZY_THRESHOLD" if threshold == FUZZY_THRESHOLD else ""
        print(f"{threshold:9}  {hit:5} ({hit / len(same):5.1%})   {wrong:6} ({wrong / len(different):.4%}){mark}")


if __name__ == "__main__":
    main()
