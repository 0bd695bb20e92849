"""Incremental builds: adding articles to a built graph against building everything from scratch.

    .venv/bin/python benchmarks/bench_incremental.py [--base 10000] [--added 100] [--in-process]

Builds ``base`` synthetic articles (see bench_extract.py), then adds ``added``
more to that graph, and separately builds all ``base + added`` from scratch.
HTML is skipped in all three builds. Each build is a ``newsgraph build``
process, as users run it, timed by the CPU time it used; ``--in-process``
runs the three builds one after the other in this process instead (there
the second build is about a second slower at 10,000 articles, for reasons
not yet settled). Results: RESULTS-incremental.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_extract import make_corpus  # noqa: E402

from newsgraph.pipeline import build_graph  # noqa: E402


def timed(inputs: list[Path], output: Path, fresh: bool, in_process: bool) -> tuple[float, float]:
    """Wall and CPU seconds of one build."""
    os.sync()   # the previous build's files go to disk first, so that no build pays for another's writing
    if in_process:
        wall, cpu = time.perf_counter(), time.process_time()
        build_graph(inputs, output, html=False, fresh=fresh)
        return time.perf_counter() - wall, time.process_time() - cpu
    command = [sys.executable, "-m", "newsgraph", "build", *map(str, inputs), "--output", str(output), "--no-html"]
    before, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command + (["--fresh"] if fresh else []), check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2000)
    parser.add_argument("--added", type=int, default=100)
    parser.add_argument("--in-process", action="store_true", help="run the builds in this process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base, added = Path(tmp) / "base", Path(tmp) / "added"
        base.mkdir()
        added.mkdir()
        paths = make_corpus(base, args.base + args.added)
        for path in paths[args.base:]:
            path.rename(added / path.name)
        timed([base], Path(tmp) / "graph", False, args.in_process)
        add_wall, add_cpu = timed([added], Path(tmp) / "graph", False, args.in_process)
        scratch_wall, scratch_cpu = timed([base, added], Path(tmp) / "scratch", True, args.in_process)
        same = (Path(tmp) / "graph" / "graph.ttl").read_bytes() == (Path(tmp) / "scratch" / "graph.ttl").read_bytes()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; builds {'in this process' if args.in_process else 'as processes'}")
    print(f"add {args.added} to {args.base}: {add_wall:.2f} s wall, {add_cpu:.2f} s CPU")
    print(f"all {args.base + args.added} from scratch: {scratch_wall:.2f} s wall, {scratch_cpu:.2f} s CPU")
    print(f"ratio (CPU): {add_cpu / scratch_cpu:.1%}; graphs byte-identical: {same}")


if __name__ == "__main__":
    main()
