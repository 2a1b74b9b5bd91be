"""Time and memory of validation: the full shipped graph, and synthetic submissions of 1k, 10k
and 100k triples validated together with it, in one run.

    python benchmarks/bench_validate.py [--sizes 1000 10000 100000] [--repeat 3]

Prints median seconds, peak Python memory (tracemalloc, in a separate run) and, between sizes, how time grows
(the exponent k in time ~ size^k: 1 is linear). Only ratios measured in one run mean anything.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import submission  # noqa: E402

from cybertreaty_kg import load_dataset  # noqa: E402
from cybertreaty_kg.validate import validate  # noqa: E402


def measure(fn, repeat: int) -> tuple[float, float]:
    """Median seconds over ``repeat`` plain runs, then one more run under tracemalloc for the
    peak Python memory (tracemalloc slows Python down, so it is kept out of the timings; memory
    held by Oxigraph's Rust code is not seen by it)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dataset = load_dataset()
    seconds, mib = measure(lambda: validate(dataset), args.repeat)
    print(f"full graph ({dataset.triples} triples): {seconds:.2f} s, peak {mib:.0f} MiB")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"sub{size}.ttl"
            path.write_text(submission(size))
            report = validate(dataset, [path])
            assert report.conforms, report.to_text()[:500]
            seconds, mib = measure(lambda: validate(dataset, [path]), args.repeat)
            growth = ""
            if previous:
                k = math.log(seconds / previous[1]) / math.log(size / previous[0])
                growth = f", growth exponent vs {previous[0]}: {k:.2f}"
            print(f"submission of {size} triples: {seconds:.2f} s, peak {mib:.0f} MiB{growth}")
            previous = (size, seconds)


if __name__ == "__main__":
    main()
