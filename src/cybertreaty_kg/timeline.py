"""Who joined when: cumulative signatures and consents to be bound over time, with the number of
consents the instrument needs to enter into force and the date it did, where recorded.

Drawn from the saved queries ``participation-timeline`` and ``entry-into-force`` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

from . import queries
from .engines import Engine
from .output import short
from .plotting import drawing, figure_bytes

EVENTS = ("signature", "consent")
COLOURS = ("#1f5a96", "#c0504d")


@dataclass
class Series:
    """One instrument's cumulative counts, and its entry-into-force rule and date."""

    instrument: str
    points: dict[str, list[tuple[date, int]]] = field(default_factory=dict)  # event -> [(date, cumulative)]
    consents_needed: int | None = None
    in_force: date | None = None
    as_of: date | None = None

    def final(self, event: str) -> int:
        return self.points[event][-1][1] if self.points.get(event) else 0


def series(engine: Engine, instrument: str) -> Series:
    result = Series(instrument)
    for day, event, cumulative in queries.run(queries.get("participation-timeline"), {"instrument": instrument}, engine).rows:
        result.points.setdefault(event.value, []).append((date.fromisoformat(day.value), int(cumulative.value)))
    for row in queries.run(queries.get("entry-into-force"), {}, engine).rows:
        if short(row[0]) == instrument:
            _, _, needed, _, in_force, as_of = row
            result.consents_needed = int(needed.value) if needed else None
            result.in_force = date.fromisoformat(in_force.value) if in_force else None
            result.as_of = date.fromisoformat(as_of.value) if as_of else None
    return result


def to_image(timelines: list[Series], fmt: str) -> bytes:
    """Step lines of the cumulative counts (solid: consents, dashed: signatures), one colour per
    instrument; the consents needed as a dotted line, the entry into force as a vertical line.
    In SVG the final counts carry ids ``final/{instrument}/{event}``."""
    with drawing((10, 5.6)) as figure:
        axes = figure.add_axes((0.08, 0.12, 0.68, 0.78))
        for colour, line in zip(COLOURS, timelines):
            first = min((points[0][0] for points in line.points.values() if points), default=None)
            for event, style in zip(EVENTS, ("--", "-")):
                points = line.points.get(event) or ([(first, 0)] if first and line.as_of else [])  # none recorded yet: 0
                if not points:
                    continue
                days = [d for d, _ in points] + ([line.as_of] if line.as_of and line.as_of > points[-1][0] else [])
                counts = [n for _, n in points] + ([points[-1][1]] if len(days) > len(points) else [])
                axes.step(days, counts, where="post", linestyle=style, color=colour,
                          label=f"{line.instrument}: {'signatories' if event == 'signature' else 'consents to be bound'}")
                final = axes.annotate(str(points[-1][1]), (days[-1], counts[-1]), xytext=(4, 0), textcoords="offset points",
                                      va="center", fontsize=8, color=colour)
                final.set_gid(f"final/{line.instrument}/{event}")
            if line.consents_needed:
                axes.axhline(line.consents_needed, color=colour, linestyle=":", linewidth=1,
                             label=f"{line.instrument}: {line.consents_needed} consents needed")
            if line.in_force:
                axes.axvline(line.in_force, color=colour, linestyle="-.", linewidth=1,
                             label=f"{line.instrument}: in force {line.in_force.isoformat()}")
        names = " and ".join(line.instrument for line in timelines)
        dated = [line for line in timelines if line.as_of]
        if len(timelines) == 1:
            as_of = f"records as of {dated[0].as_of.isoformat()}" if dated else "records undated"
        else:
            as_of = "; ".join(f"{line.instrument} records as of {line.as_of.isoformat()}" for line in dated) or "records undated"
        axes.set_title(f"Participation in {names} ({as_of})", fontsize=10, loc="left")
        locator = AutoDateLocator()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.set_ylabel("states and organisations (cumulative)")
        axes.set_ylim(bottom=0)
        axes.grid(True, linewidth=0.3)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
        figure.text(0.08, 0.02, "Partial record sets undercount (see data/COVERAGE.md); dates as recorded by the depositary "
                    "or the sources named in the graph.", fontsize=6.5)
        return figure_bytes(figure, fmt)
