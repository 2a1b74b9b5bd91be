"""Participation and membership tables (data/parties/*.tsv, data/memberships/*.tsv).

The expected figures are the depositaries' own, read in the sources each record set names (the
Council of Europe chart of ETS 185 of 25 April 2026 and its news items, the CETS 224 page of April
2026, UNODC at the close of the Hanoi ceremony), not numbers taken from the graph. Same-day
convention, everywhere: an event dated on a day counts for that day (the Council of Europe counted
Greece, which ratified on 25 January 2017, among the 52 Parties of that day).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from cybertreaty_kg import load_dataset
from cybertreaty_kg.checks import run_checks
from cybertreaty_kg.cli import main
from cybertreaty_kg.engines import OxigraphEngine
from cybertreaty_kg.errors import SourceError
from cybertreaty_kg.output import short
from cybertreaty_kg.parties import Known, instrument_status
from cybertreaty_kg import queries

ROOT = Path(__file__).resolve().parents[1]


def _table(name: str) -> list[dict[str, str]]:
    """A participation table read with the csv module alone, independently of our parser."""
    lines = [line for line in (ROOT / "data" / "parties" / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _rows(dataset, name: str, **params: str) -> list[dict[str, str]]:
    table = queries.run(queries.get(name), params, OxigraphEngine(dataset.store))
    names = [c.name for c in table.columns]
    return [{n: short(v) for n, v in zip(names, row)} for row in table.rows]


# --- counts against the depositaries' figures ------------------------------------------------------

@pytest.mark.parametrize("instrument, day, parties, signatories", [
    ("budapest", "2012-06-30", 35, None),   # MOFA Japan, 4 July 2012: 35 Parties before Japan
    ("budapest", "2017-01-24", 51, None),   # the day before Greece's ratification
    ("budapest", "2017-01-25", 52, None),   # Council of Europe news on Greece: the 52nd Party
    ("budapest", "2024-06-20", 75, None),   # T-CY plenary of 20 June 2024
    ("budapest", "2024-10-09", 76, None),   # invitations of 9 October 2024
    ("budapest", "2026-04-25", 81, None),   # the chart: 81 ratifications/accessions
    ("budapest-p2", "2024-06-20", 2, 46),   # Council of Europe news of 20 June 2024
    ("budapest-p2", "2025-11-14", 2, 52),   # Bosnia and Herzegovina the 52nd signatory
    ("budapest-p2", "2026-02-05", 3, 52),   # Hungary the third to ratify
    ("budapest-p2", "2026-04-15", 4, 52),   # Costa Rica the fourth
])
def test_counts_equal_the_depositary_figures_and_are_exact(dataset, instrument, day, parties, signatories):
    status = instrument_status(instrument, date.fromisoformat(day), dataset)
    assert (status.party_count.recorded, status.party_count.exact) == (parties, True)
    if signatories is not None:
        assert (status.signatories.recorded, status.signatories.exact) == (signatories, True)


@pytest.mark.parametrize("day", ["2024-06-20", "2026-04-25"])
def test_budapest_has_two_signatories_not_parties_as_the_council_of_europe_reported(dataset, day):
    status = instrument_status("budapest", date.fromisoformat(day), dataset)
    pending = sorted(p.party for p in status.parties if p.is_signatory is Known.YES and p.is_party is Known.NO)
    assert pending == ["IRL", "ZAF"]


def test_partial_sets_give_lower_bounds_beside_the_reported_totals(dataset):
    first = instrument_status("budapest-p1", date(2024, 6, 20), dataset)
    assert not first.party_count.exact and first.party_count.recorded == 10
    assert first.party_count.reported.parties == 36
    assert str(first.party_count).startswith("at least 10 recorded; reported: 36 parties on 2024-06-20")
    hanoi = instrument_status("uncc", date(2025, 10, 26), dataset)
    # 68 signatures dated 25 or 26 October; five more are known only to the month (or later)
    assert (hanoi.signatories.recorded, hanoi.signatories.exact, hanoi.signatories.reported.signatories) == (68, False, 72)


# --- rows against the sources ------------------------------------------------------------------------

CHART = {  # read in the Council of Europe chart of ETS 185, status 25 April 2026
    "AUT": ("2001-11-23", "2012-06-13", "ratification", "2012-10-01", "R.D.A."),
    "AZE": ("2008-06-30", "2010-03-15", "ratification", "2010-07-01", "R.D.A.T."),
    "ARG": ("", "2018-06-05", "accession", "2018-10-01", "R.A."),
    "GRC": ("2001-11-23", "2017-01-25", "ratification", "2017-05-01", "R.A."),
    "ISL": ("2001-11-30", "2007-01-29", "ratification", "2007-05-01", "R.A."),
    "JPN": ("2001-11-23", "2012-07-03", "acceptance", "2012-11-01", "R.D.A."),  # acceptance: MOFA Japan
    "NZL": ("", "2025-08-28", "accession", "2025-12-01", "R.A.T."),
    "UKR": ("2001-11-23", "2006-03-10", "ratification", "2006-07-01", "R.D.A.C."),
    "IRL": ("2002-02-28", "", "", "", ""),
}


def test_budapest_rows_equal_the_chart(dataset):
    rows = {r["party"]: r for r in _rows(dataset, "parties", instrument="budapest")}
    for party, expected in CHART.items():
        row = rows[party]
        assert (row["signed"], row["consented"], row["consent_type"], row["in_force"], row["marks"]) == expected, party
        assert row["in_force_basis"] == ("recorded" if expected[3] else "")
    invited = sorted(p for p, r in rows.items() if r["invited"])
    assert invited == ["ATG", "GTM", "KAZ", "KEN", "KOR", "MEX", "MOZ", "MWI", "MYS", "PNG", "SYC", "TLS", "TTO", "URY"]
    assert len([r for r in rows.values() if r["consented"]]) == 81


def test_other_instruments_rows_equal_their_sources(dataset):
    p2 = {r["party"]: r for r in _rows(dataset, "parties", instrument="budapest-p2")}
    assert (p2["CRI"]["consented"], p2["CRI"]["consent_type"]) == ("2026-04-15", "ratification")
    assert (p2["JPN"]["consented"], p2["JPN"]["consent_type"]) == ("2023-08-10", "acceptance")
    assert p2["SRB"]["consented"] == "2023-02-09"
    uncc = {r["party"]: r for r in _rows(dataset, "parties", instrument="uncc")}
    assert (uncc["VNM"]["signed"], uncc["VNM"]["signature_place"]) == ("2025-10-25", "Hanoi")
    for party in ("GBR", "SWE", "ZWE", "UGA"):  # signed in Hanoi, the day not known: the month, never a guessed day
        assert (uncc[party]["signed"], uncc[party]["signature_place"]) == ("2025-10", "Hanoi"), party
    assert uncc["CAN"]["signed"] == "2026-07"
    assert not any(r["consented"] for r in uncc.values())
    arab = {r["party"]: r for r in _rows(dataset, "parties", instrument="arab")}
    # the signature block of the English text: 18 States at Cairo; Djibouti, Somalia, the Comoros and Lebanon blank
    assert sorted(p for p, r in arab.items() if r["signed"] == "2010-12-21" and r["signature_place"] == "Cairo") == sorted(
        "JOR ARE BHR TUN DZA SAU SDN SYR IRQ OMN PSE QAT KWT LBY EGY MAR MRT YEM".split())
    assert not {"DJI", "SOM", "COM", "LBN"} & set(arab)
    # eight consents named by 2015, without a date
    assert sorted(p for p, r in arab.items() if r["undated"] == "consent") == sorted("JOR ARE SDN IRQ PSE QAT KWT OMN".split())
    malabo = {r["party"]: r for r in _rows(dataset, "parties", instrument="malabo")}
    # the AU status list dates the act and the deposit apart: a consent counts from the deposit
    for party, act, deposit in [("CPV", "2020-11-13", "2022-02-05"), ("CIV", "2023-03-08", "2023-04-03"),
                                ("GHA", "2019-05-13", "2019-06-03"), ("GIN", "2018-07-31", "2018-10-16"),
                                ("NER", "2022-02-22", "2022-03-16"), ("SEN", "2016-08-03", "2016-08-16"),
                                ("TGO", "2021-09-30", "2021-10-19"), ("MOZ", "2019-12-02", "2020-01-21")]:
        assert (malabo[party]["consent_act"], malabo[party]["consented"], malabo[party]["in_force"]) == (
            act, deposit, "2023-06-08"), party
    # Mauritania: only the deposit of the fifteenth instrument is dated; the consent is not "undated"
    assert (malabo["MRT"]["consent_act"], malabo["MRT"]["consented"], malabo["MRT"]["undated"]) == ("", "2023-05-09", "")
    sco = {r["party"]: r for r in _rows(dataset, "parties", instrument="sco-2009")}
    assert (sco["CHN"]["consented"], sco["CHN"]["consent_type"], sco["CHN"]["in_force"]) == ("2011-03-05", "approval", "2011-06-02")


def test_every_derived_entry_into_force_agrees_with_the_recorded_one(sources):
    """Drop the chart's entries into force from the Budapest table: the build then derives each
    one from the consent and arts 36-37, and every derived date must be the chart's."""
    path = sources / "data" / "parties" / "budapest.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    recorded = {line.split("\t")[0]: line.split("\t")[2] for line in lines if "\tentry-into-force\t" in line}
    assert len(recorded) == 81
    path.write_text("\n".join(line for line in lines if "\tentry-into-force\t" not in line) + "\n", encoding="utf-8")
    rows = {r["party"]: r for r in _rows(load_dataset(sources), "parties", instrument="budapest")}
    derived = {p: r["in_force"] for p, r in rows.items() if r["in_force"]}
    assert derived == recorded
    assert all(rows[p]["in_force_basis"].startswith("derived: Art. 3") for p in recorded)


def test_statements_made_are_listed_by_party_and_article(dataset):
    azerbaijan = _rows(dataset, "reservations-made", instrument="uncc", party="AZE")
    assert [(r["kind"], r["made_under"], r["concerns"], r["date"]) for r in azerbaijan] == [
        ("declaration", "7(2)", "7(1)", "2025-10-25"), ("declaration", "9(2)", "9(1)", "2025-10-25"),
        ("reservation", "11(3)", "11(1)", "2025-10-25"), ("reservation", "63(3)", "63(2)", "2025-10-25")]
    japan = _rows(dataset, "reservations-made", instrument="budapest-p2", party="JPN", article="7")
    assert [(r["kind"], r["made_under"]) for r in japan] == [("reservation", "7")]
    austria = _rows(dataset, "reservations-made", instrument="budapest", party="AUT", article="29")
    assert [(r["kind"], r["made_under"], r["date"]) for r in austria] == [("reservation", "29(4)", "2012-06-13")]
    permitted = {(r["provision"], r["permitted_by"]): r["made_by"] for r in _rows(dataset, "reservations", instrument="uncc")}
    assert permitted[("11(1)", "11(3)")] == "AZE" and permitted[("9(1)", "9(2)")] == "AZE"
    assert permitted[("8(1)", "8(2)")] == ""


# --- party-diff against the two tables read independently --------------------------------------------

def test_party_diff_uncc_budapest_row_for_row(dataset):
    consent = {"ratification", "acceptance", "approval", "accession", "succession"}
    uncc, budapest = _table("uncc"), _table("budapest")
    a_events = {}
    for row in uncc:
        if row["event"] == "signature" or row["event"] in consent:
            a_events.setdefault(row["party"].removeprefix("org:"), set()).add(row["event"])
    b_parties = {r["party"] for r in budapest if r["event"] in consent}
    b_signed = {r["party"] for r in budapest if r["event"] == "signature"}
    expected = sorted(((p, "party" if events & consent else "signatory",
                       "signatory, not a party" if p in b_signed else "not a party", "complete as of 2026-04-25")
                       for p, events in a_events.items() if p not in b_parties),
                      key=lambda row: (row[0].isupper(), row[0]))  # the query orders by IRI: org/eu before state/AGO
    got = [(r["party"], r["a_status"], r["b_status"], r["b_records"]) for r in _rows(dataset, "party-diff", a="uncc", b="budapest")]
    assert got == expected
    assert ("IRL", "signatory", "signatory, not a party", "complete as of 2026-04-25") in got
    assert len(got) == 43


# --- memberships --------------------------------------------------------------------------------------

def test_council_of_europe_members_not_bound(dataset):
    not_budapest = _rows(dataset, "members-not-bound", organisation="coe", instrument="budapest")
    assert [(r["member"], r["status"]) for r in not_budapest] == [("IRL", "signatory")]
    not_p2 = {r["member"]: r["status"] for r in _rows(dataset, "members-not-bound", organisation="coe", instrument="budapest-p2")}
    assert len(not_p2) == 46  # the Protocol is in force for no one yet
    assert not_p2["HUN"] == not_p2["SRB"] == "party, entry into force not recorded"
    assert not_p2["POL"] == "not a signatory or party" and not_p2["FIN"] == "signatory"
    assert "RUS" not in not_p2 and "JPN" not in not_p2


def test_membership_history(dataset):
    rows = {tuple(v.value.rsplit("/", 1)[-1] if v is not None else "" for v in row) for row in dataset.query(
        "SELECT ?org ?member ?from ?until WHERE { ?m ctkg:memberOf ?org ; ctkg:member ?member . "
        "OPTIONAL { ?m ctkg:memberFrom ?from } OPTIONAL { ?m ctkg:memberUntil ?until } }")}
    current = {org: {m for o, m, _, until in rows if o == org and not until} for org in ("coe", "eu", "au", "las", "sco", "ecowas")}
    assert {org: len(members) for org, members in current.items()} == {"coe": 46, "eu": 27, "au": 55, "las": 22, "sco": 10, "ecowas": 12}
    assert ("coe", "RUS", "1996-02-28", "2022-03-16") in rows
    assert ("eu", "GBR", "1973-01-01", "2020-01-31") in rows
    assert {(m, until) for o, m, _, until in rows if o == "ecowas" and until} == {
        ("MRT", "2000-12"), ("BFA", "2025-01-29"), ("MLI", "2025-01-29"), ("NER", "2025-01-29")}


# --- bad rows: refused with file and line --------------------------------------------------------------

def _break(sources: Path, name: str, old: str, new: str) -> int:
    path = sources / "data" / "parties" / f"{name}.tsv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if new.strip("\n").split("\n")[-1] in line)


@pytest.mark.parametrize("old, new, message", [
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\tsignatur\t2025-10-25", "event 'signatur' is not one of: signature,"),
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\tsignature\t2025-02-30", "date: '2025-02-30' is not a calendar date"),
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\tsignature\t25/10/2025", "date: '25/10/2025' is not a date; write YYYY-MM-DD"),
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\tsignature\t2026-10-25", "date 2026-10-25 is after the table's as_of 2026-08-01"),
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\tsignature\t", "the date is empty: say in 'note' that the date is not recorded"),
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\tsignature\t2025-10-25\t\t\t\t\t\t\t\nFRA\tsignature\t2025-10-26",
     "FRA signature is already recorded on line"),
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\treservation\t2025-10-25", "a reservation needs 'under'"),
    ("\nFRA\tsignature\t2025-10-25", "\nFR\tsignature\t2025-10-25", "party 'FR' is neither an ISO 3166-1 alpha-3 code"),
])
def test_a_bad_row_is_refused_with_file_and_line(sources, old, new, message):
    line = _break(sources, "uncc", old, new)
    with pytest.raises(SourceError) as error:
        load_dataset(sources)
    assert str(error.value).startswith(f"data/parties/uncc.tsv:{line}: {message}")


def test_a_bad_header_is_refused_with_file_and_line(sources):
    _break(sources, "uncc", "party\tevent\tdate", "party\tevent\tday")
    with pytest.raises(SourceError, match=r"^data/parties/uncc.tsv:\d+: unknown column 'day'"):
        load_dataset(sources)


@pytest.mark.parametrize("old, new, check", [
    # Canada signed in July 2026: a ratification in June breaks the signature-first rule
    ("\nCAN\tsignature\t2026-07", "\nCAN\tratification\t2026-06-01\t\t\t\t\t\thttps://example.org/x\t\nCAN\tsignature\t2026-07",
     "consent-before-signature"),
    # the Convention was opened for signature on 25 October 2025
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\tsignature\t2025-09-30", "event-outside-record-period"),
    # a reservation under a provision the Convention does not have
    ("\nFRA\tsignature\t2025-10-25", "\nFRA\treservation\t2025-10-25\t\t\t99(9)\t\t\thttps://example.org/x\t\nFRA\tsignature\t2025-10-25",
     "dangling-reference"),
])
def test_a_row_that_breaks_a_rule_fails_the_build_at_its_line(sources, old, new, check):
    path = sources / "data" / "parties" / "uncc.tsv"
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith(new.split("\n")[1]))
    problems = [p for p in run_checks(load_dataset(sources)) if p.check == check]
    assert problems and all((p.file, p.line) == ("data/parties/uncc.tsv", line) for p in problems)


@pytest.mark.parametrize("in_force, fires", [("2020-01-01", True), ("2020-02-20", False)])
def test_a_consent_counts_from_its_deposit(sources, in_force, fires):
    """Mozambique ratified on 2 December 2019 and deposited on 21 January 2020 (AU status list): an
    entry into force between the two contradicts the deposit; one after it does not."""
    old = "\nMOZ\tsignature\t2018-06-29"
    new = f"\nMOZ\tentry-into-force\t{in_force}\t\t\t\t\t\thttps://example.org/x\t{old}"
    line = _break(sources, "malabo", old, new) - 1
    problems = [p for p in run_checks(load_dataset(sources)) if p.check == "entry-into-force-before-consent"]
    assert [(p.file, p.line) for p in problems] == ([("data/parties/malabo.tsv", line)] if fires else [])


def test_submit_takes_a_table_and_refuses_a_bad_one(sources, capsys):
    corpus = Path(__file__).parent / "submissions"
    assert main(["--sources", str(sources), "submit", str(corpus / "invalid" / "table-consent-before-signature.tsv")]) == 1
    assert "table-consent-before-signature.tsv:5:" in capsys.readouterr().out  # the row's line
    assert not (sources / "data" / "submissions").exists()
    assert main(["--sources", str(sources), "submit", str(corpus / "valid" / "table-new-ratification.tsv")]) == 0
    rows = {r["party"]: r for r in _rows(load_dataset(sources), "parties", instrument="uncc")}
    assert (rows["FRA"]["consented"], rows["FRA"]["consent_type"]) == ("2026-03-02", "ratification")
