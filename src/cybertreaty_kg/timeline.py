"""Who joined when: cumulative signatures and consents to be bound over time, with the number of
consents the instrument needs to enter into force and the date it did, where recorded.

Drawn from the saved queries ``participation-timeline``, ``entry-into-force`` and
``participation-records`` only. A date known only to the month or year is drawn at the end of its
span (what was surely done by then). Totals from a partial record set are lower bounds: the
legend says "at least", and the totals the depositary reported are drawn as points beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

from . import queries
from .dates import PartialDate
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
    in_force: PartialDate | None = None  # recorded, or "by" a party's recorded entry into force
    as_of: PartialDate | None = None
    complete: bool = False  # the record set is complete: the totals are exact
    reported: list[tuple[date, str, int]] = field(default_factory=list)  # (day, "signature"|"consent", count)

    def final(self, event: str) -> int:
        return self.points[event][-1][1] if self.points.get(event) else 0


def _rows(engine: Engine, name: str, params: dict[str, str]) -> list[dict]:
    table = queries.run(queries.get(name), params, engine)
    return [dict(zip([c.name for c in table.columns], row)) for row in table.rows]


def series(engine: Engine, instrument: str) -> Series:
    result = Series(instrument)
    for row in _rows(engine, "participation-timeline", {"instrument": instrument}):
        day = PartialDate.parse(row["date"].value).latest  # a month or a year: counted from the end of its span
        result.points.setdefault(row["event"].value, []).append((day, int(row["cumulative"].value)))
    for row in _rows(engine, "entry-into-force", {}):
        if short(row["instrument"]) == instrument:
            result.consents_needed = int(row["consents_needed"].value) if row["consents_needed"] else None
            result.in_force = PartialDate.parse(row["in_force_date"].value) if row["in_force_date"] else None
    for row in _rows(engine, "participation-records", {"instrument": instrument}):
        result.as_of, result.complete = PartialDate.parse(row["as_of"].value), short(row["records"]) == "complete"
        if row["reported_on"] is None:
            continue
        day = PartialDate.parse(row["reported_on"].value).latest
        for event, column in (("consent", "reported_parties"), ("signature", "reported_signatories")):
            if row[column] is not None:
                result.reported.append((day, event, int(row[column].value)))
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
                as_of = line.as_of.latest if line.as_of else None
                days = [d for d, _ in points] + ([as_of] if as_of and as_of > points[-1][0] else [])
                counts = [n for _, n in points] + ([points[-1][1]] if len(days) > len(points) else [])
                bound = "" if line.complete else ", at least"
                axes.step(days, counts, where="post", linestyle=style, color=colour,
                          label=f"{line.instrument}: {'signatories' if event == 'signature' else 'consents'}{bound}")
                reported = [(d, n) for d, e, n in line.reported if e == event]
                if reported:
                    axes.plot([d for d, _ in reported], [n for _, n in reported], linestyle="none", color=colour,
                              marker="o" if event == "consent" else "s", markersize=4, markerfacecolor="white",
                              label=f"{line.instrument}: {'parties' if event == 'consent' else 'signatories'} reported")
                final = axes.annotate(str(points[-1][1]), (days[-1], counts[-1]), xytext=(4, 0), textcoords="offset points",
                                      va="center", fontsize=8, color=colour)
                final.set_gid(f"final/{line.instrument}/{event}")
            if line.consents_needed:
                axes.axhline(line.consents_needed, color=colour, linestyle=":", linewidth=1,
                             label=f"{line.instrument}: {line.consents_needed} consents needed")
            if line.in_force:
                axes.axvline(line.in_force.latest, color=colour, linestyle="-.", linewidth=1,
                             label=f"{line.instrument}: in force {line.in_force}")
        names = " and ".join(line.instrument for line in timelines)
        dated = [line for line in timelines if line.as_of]
        if len(timelines) == 1:
            as_of = f"records as of {dated[0].as_of}" if dated else "no participation records"
        else:
            as_of = "; ".join(f"{line.instrument} records as of {line.as_of}" for line in dated) or "no participation records"
        axes.set_title(f"Participation in {names} ({as_of})", fontsize=10, loc="left")
        locator = AutoDateLocator()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.set_ylabel("states and organisations (cumulative)")
        axes.set_ylim(bottom=0)
        axes.grid(True, linewidth=0.3)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
        figure.text(0.08, 0.02, "Partial record sets give lower bounds ('at least'), drawn beside the totals the depositary "
                    "reported (points); a date known only to the month is drawn at its end. See data/COVERAGE.md.", fontsize=6.5)
        return figure_bytes(figure, fmt)
