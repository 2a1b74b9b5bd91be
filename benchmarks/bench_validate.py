"""Time and memory of validation: the shipped graph, and synthetic submissions of 1k, 10k, 100k
and 1M triples validated together with it, with the default engine (compiled SHACL Core) and
with pySHACL, the reference, in one run.

    python benchmarks/bench_validate.py [--sizes 1000 10000 100000 1000000] [--repeat 3]
                                        [--reference-up-to 100000]

Each measurement runs in a fresh process, so that its peak resident memory (ru_maxrss: Python and
Oxigraph's Rust heap alike) is its own. Prints median seconds, peak memory, the ratio of pySHACL's
time to ours, and between sizes how time grows (the exponent k in time ~ size^k: 1 is linear).
pySHACL is run only up to ``--reference-up-to`` triples (at 1M it did not finish in 14 minutes).
Only ratios measured in one run mean anything.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import submission  # noqa: E402


def child(path: str, engine: str, repeat: int) -> None:
    """One measurement: validate ``repeat`` times (the dataset loaded once, outside the timing)."""
    from cybertreaty_kg import load_dataset
    from cybertreaty_kg.validate import validate

    dataset = load_dataset()
    files = [Path(path)] if path != "-" else None
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = validate(dataset, files, engine=engine)
        times.append(time.perf_counter() - start)
    assert report.violations() == [], report.to_text()[:500]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": statistics.median(times), "mib": peak, "triples": dataset.triples}))


def measure(path: str, engine: str, repeat: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", path, engine, str(repeat)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference-up-to", type=int, default=100000, metavar="TRIPLES",
                        help="run pySHACL on submissions up to this size")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return

    def line(label: str, path: str, size: int | None) -> dict:
        ours = measure(path, "compiled", args.repeat)
        text = f"{label}: {ours['seconds']:.2f} s, peak {ours['mib']:.0f} MiB"
        if size is None or size <= args.reference_up_to:
            ref = measure(path, "pyshacl", args.repeat)
            text += (f"; pySHACL {ref['seconds']:.2f} s, peak {ref['mib']:.0f} MiB"
                     f" (ratio {ref['seconds'] / ours['seconds']:.1f}x)")
        print(text, end="", flush=True)
        return ours

    ours = line("shipped graph", "-", None)
    print(f"  [{ours['triples']} triples]")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"sub{size}.ttl"
            path.write_text(submission(size))
            ours = line(f"submission of {size} triples", str(path), size)
            if previous:
                k = math.log(ours["seconds"] / previous[1]) / math.log(size / previous[0])
                print(f"  [growth exponent vs {previous[0]}: {k:.2f}]", end="")
            print()
            previous = (size, ours["seconds"])


if __name__ == "__main__":
    main()
