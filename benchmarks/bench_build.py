"""Time loading the sources and writing the exports, with our default engine (pyoxigraph) and
with rdflib, on the shipped graph and on synthetic copies of it, in one run.

    python benchmarks/bench_build.py [--copies 1 10 100] [--repeat 3]

Prints median seconds and the ratio rdflib / pyoxigraph for each size. Timings are machine-
dependent; only the ratios measured in one run are meaningful.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

from cybertreaty_kg import build, load_dataset
from cybertreaty_kg.paths import default_root


def synthetic(root: Path, copies: int, into: Path) -> Path:
    """A source tree whose instrument files are repeated ``copies`` times under new ids."""
    into.mkdir(parents=True)
    for folder in ("ontology", "queries", "shapes"):
        (into / folder).symlink_to(root / folder)
    data = into / "data" / "instruments"
    data.mkdir(parents=True)
    (into / "data" / "organisations.ttl").write_text((root / "data" / "organisations.ttl").read_text())
    text = (root / "data" / "instruments" / "uncc.ttl").read_text()
    for n in range(copies):
        (data / f"copy{n}.ttl").write_text(
            text.replace("instrument/uncc", f"instrument/copy{n}").replace('"uncc"', f'"copy{n}"')
                .replace("graph/data/instruments/uncc", f"graph/data/instruments/copy{n}"))
    return into


def median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rdflib_load(root: Path) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    for path in sorted(root.glob("*/**/*.ttl")):
        ds.graph(rdflib.URIRef(f"urn:{path.name}")).parse(path, format="turtle")
    return ds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = default_root()
    print(f"{'copies':>7} {'triples':>9} {'oxigraph load':>14} {'rdflib load':>12} {'ratio':>6} {'export':>8}")
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            tree = synthetic(root, copies, Path(tmp) / "src")
            dataset = load_dataset(tree)
            ox_time = median(lambda: load_dataset(tree), args.repeat)
            rl_time = median(lambda: rdflib_load(tree), args.repeat)
            out = Path(tmp) / "dist"
            export = median(lambda: build(dataset, out), args.repeat)
            print(f"{copies:>7} {dataset.triples:>9} {ox_time:>13.3f}s {rl_time:>11.3f}s {rl_time / ox_time:>5.1f}x {export:>7.3f}s")


if __name__ == "__main__":
    main()
