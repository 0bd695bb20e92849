"""Incremental builds: adding articles to a built graph against building everything from scratch.

    .venv/bin/python benchmarks/bench_incremental.py [--base 10000] [--added 100]

Builds ``base`` synthetic articles (see bench_extract.py), then adds ``added``
more to that graph, and separately builds all ``base + added`` from scratch.
HTML is skipped in all three builds. Results: RESULTS-incremental.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_extract import make_corpus  # noqa: E402

from newsgraph.pipeline import build_graph  # noqa: E402


def timed(inputs: list[Path], output: Path, fresh: bool = False) -> tuple[float, float]:
    os.sync()   # the previous build's files go to disk first, so that no build pays for another's writing
    wall, cpu = time.perf_counter(), time.process_time()
    build_graph(inputs, output, html=False, fresh=fresh)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2000)
    parser.add_argument("--added", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base, added = Path(tmp) / "base", Path(tmp) / "added"
        base.mkdir()
        added.mkdir()
        paths = make_corpus(base, args.base + args.added)
        for path in paths[args.base:]:
            path.rename(added / path.name)
        timed([base], Path(tmp) / "graph")
        add_wall, add_cpu = timed([added], Path(tmp) / "graph")
        scratch_wall, scratch_cpu = timed([base, added], Path(tmp) / "scratch", fresh=True)
        same = (Path(tmp) / "graph" / "graph.ttl").read_bytes() == (Path(tmp) / "scratch" / "graph.ttl").read_bytes()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"add {args.added} to {args.base}: {add_wall:.2f} s wall, {add_cpu:.2f} s CPU")
    print(f"all {args.base + args.added} from scratch: {scratch_wall:.2f} s wall, {scratch_cpu:.2f} s CPU")
    print(f"ratio (CPU): {add_cpu / scratch_cpu:.1%}; graphs byte-identical: {same}")


if __name__ == "__main__":
    main()
