"""Latency of every saved query on both engines, on the shipped graph and on grown copies of it
(see grow.py), in one run.

    python benchmarks/bench_queries.py [--sizes 0 100000 1000000] [--repeat 5] [--rdflib-max 100000]

Size 0 is the shipped graph. For each size it prints the median milliseconds of each query (with
its example parameters) on pyoxigraph and on rdflib, and the ratio rdflib / pyoxigraph; rdflib
runs only up to --rdflib-max triples, each query in a forked child stopped after --timeout
seconds (">N s" in the table). Timings depend on the machine; only ratios measured in one run
mean anything.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from grow import grow  # noqa: E402

from cybertreaty_kg import load_dataset, queries  # noqa: E402
from cybertreaty_kg.engines import OxigraphEngine, RdflibEngine  # noqa: E402


def median_ms(engine, query, repeat: int) -> float:
    queries.run(query, query.example_params, engine)  # warm up (parameter lookups, caches)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        queries.run(query, query.example_params, engine)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def median_ms_limited(engine, query, repeat: int, timeout: float) -> float | None:
    """``median_ms`` in a forked child, or None if it takes longer than ``timeout``."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=lambda: send.send(median_ms(engine, query, repeat)), daemon=True)
    child.start()
    answer = receive.recv() if receive.poll(timeout) else None
    child.kill()
    child.join()
    return answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-max", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    catalogue = queries.catalogue()
    baseline: dict[str, float] = {}
    for size in args.sizes:
        start = time.perf_counter()
        store = load_dataset().store if size == 0 else grow(size)
        print(f"\n== {len(store)} triples (built in {time.perf_counter() - start:.1f} s)")
        oxigraph = OxigraphEngine(store)
        reference = RdflibEngine(store) if len(store) <= args.rdflib_max else None
        print(f"{'query':<24} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>7} {'ox growth':>10}")
        for name, query in catalogue.items():
            ox_ms = median_ms(oxigraph, query, args.repeat)
            baseline.setdefault(name, ox_ms)
            rd_ms = median_ms_limited(reference, query, max(1, args.repeat // 2), args.timeout) if reference else None
            rd_text = "-" if reference is None else (f">{args.timeout:g} s" if rd_ms is None else f"{rd_ms:.1f}")
            ratio = f"{rd_ms / ox_ms:.0f}x" if rd_ms else "-"
            print(f"{name:<24} {ox_ms:>12.1f} {rd_text:>10} {ratio:>7} {ox_ms / baseline[name]:>9.1f}x", flush=True)


if __name__ == "__main__":
    main()
