"""Participation: counts equal the sourced figures on their dates, sample dates match the
sources, and status_of answers before and after a party's entry into force.

Sources: Dutch treaty database (mirrors the depositaries' records) for the UNCC signatures and
CETS 224; Council of Europe news of 20 June 2024 (CETS 224: 44 signatories and 2 Parties);
Japan's Ministry of Foreign Affairs (Budapest: acceptance 3 July 2012, in force 1 November 2012);
the Council of Europe chart of December 2015 for the early Budapest ratifications.
"""

from __future__ import annotations

from datetime import date

import pytest

from cybertreaty_kg import load_dataset
from cybertreaty_kg.cli import main
from cybertreaty_kg.errors import SourceError
from cybertreaty_kg.dates import PartialDate
from cybertreaty_kg.parties import Known, UnknownId, instrument_status, status_of

YES, NO, UNKNOWN = Known.YES, Known.NO, Known.UNKNOWN

from conftest import rows


def test_cets224_counts_on_20_june_2024_equal_the_council_of_europe_figure(dataset):
    status = instrument_status("budapest-p2", date(2024, 6, 20), dataset)
    # Council of Europe, 20 June 2024: 46 signatories, 2 of which had ratified
    assert (status.signatories.recorded, status.party_count.recorded) == (46, 2)
    # the record set is complete (the CoE's 52 signatories and 4 ratifications of April 2026)
    assert status.party_count.exact and str(status.party_count) == "2"
    # two parties on the day, five needed: not in force (the delay is not recorded)
    assert status.in_force is NO and status.not_before == date(2024, 6, 21)


def test_cets224_has_four_ratifications_and_is_not_in_force_on_the_record_sets_date(dataset):
    status = instrument_status("budapest-p2", date(2026, 4, 15), dataset)
    ratified = {p.party: (p.consented, p.consent_type) for p in status.parties if p.is_party is YES}
    assert ratified == {"SRB": (PartialDate(2023, 2, 9), "ratification"), "JPN": (PartialDate(2023, 8, 10), "acceptance"),
                        "HUN": (PartialDate(2026, 2, 5), "ratification"), "CRI": (PartialDate(2026, 4, 15), "ratification")}
    # four of five needed in a set complete to 15 April 2026: not in force then; after it, not recorded
    assert status.consents_required == 5 and status.in_force is NO
    assert instrument_status("budapest-p2", date(2026, 12, 2), dataset).in_force is UNKNOWN


def test_budapest_entry_into_force_is_the_recorded_date(dataset):
    """Art. 36(3) from the fifth consent (Lithuania, 18 March 2004) gives 1 July 2004 -- the date the
    Council of Europe records, which is what the status reports."""
    assert instrument_status("budapest", date(2004, 6, 30), dataset).in_force is NO
    status = instrument_status("budapest", date(2004, 7, 1), dataset)
    assert status.in_force is YES and status.in_force_date == PartialDate(2004, 7, 1) and status.in_force_basis == "recorded"


@pytest.mark.parametrize(("on", "signed", "party", "bound"), [
    (date(2012, 7, 2), YES, NO, NO),
    (date(2012, 7, 3), YES, YES, NO),
    (date(2012, 10, 31), YES, YES, NO),
    (date(2012, 11, 1), YES, YES, YES),
])
def test_status_of_japan_in_budapest_around_its_entry_into_force(dataset, on, signed, party, bound):
    status = status_of("budapest", "JPN", on=on, dataset=dataset)
    assert (status.is_signatory, status.is_party, status.is_bound) == (signed, party, bound)
    assert status.consent_type == "acceptance"


def test_known_has_no_truth_value():
    with pytest.raises(TypeError, match="three-valued"):
        bool(Known.UNKNOWN)


def test_uncc_signatures_as_of_19_november_2025(dataset):
    status = instrument_status("uncc", date(2025, 11, 19), dataset)
    # 69 signatures dated to the day (68 in Hanoi, Viet Nam's first among them, and Mauritius in New
    # York), plus the United Kingdom, Sweden, Zimbabwe and Uganda (Hanoi, October 2025, day not known)
    assert status.signatories.recorded == 73 and not status.signatories.exact
    assert status.party_count.recorded == 0
    # UNODC: 72 signatories, none yet ratified, at the close of the ceremony (26 October 2025);
    # 40 consents needed, then 90 days: not in force before 25 January 2026 -- and 19 November is before
    assert status.signatories.reported.signatories == 72
    assert status.in_force is NO and status.not_before == date(2026, 1, 25)
    assert instrument_status("uncc", date(2026, 12, 2), dataset).in_force is UNKNOWN
    places = {}
    for p in status.parties:
        places.setdefault(p.signature_place, set()).add(p.party)
    assert places["New York"] == {"MUS"}
    assert "eu" in places["Hanoi"]
    assert len(places["Hanoi"]) == 72  # UNODC: 72 signatories at the close of the Hanoi ceremony
    late = {p.party for p in status.parties if p.signed == PartialDate(2025, 10, 26)}
    assert late == {"MLI", "RWA", "SAU"}
    month = {p.party for p in status.parties if p.signed == PartialDate(2025, 10)}
    assert month == {"GBR", "SWE", "UGA", "ZWE"}  # signed in Hanoi, the day in no source read


def test_uncc_status_before_and_after_the_hanoi_ceremony(dataset):
    assert status_of("uncc", "FRA", on=date(2025, 10, 24), dataset=dataset).is_signatory is NO
    assert status_of("uncc", "FRA", on=date(2025, 10, 25), dataset=dataset).is_signatory is YES
    assert status_of("uncc", "eu", dataset=dataset).signed == PartialDate(2025, 10, 25)
    # signed in Hanoi in October 2025, day unknown: on the 25th it cannot be told; by November it can
    assert status_of("uncc", "GBR", on=date(2025, 10, 25), dataset=dataset).is_signatory is UNKNOWN
    assert status_of("uncc", "GBR", on=date(2025, 11, 1), dataset=dataset).is_signatory is YES
    assert status_of("uncc", "GBR", on=date(2025, 9, 30), dataset=dataset).is_signatory is NO


def test_party_without_record_and_unknown_party(dataset):
    none = status_of("uncc", "ISL", dataset=dataset)
    # no record in a partial set: not recorded, never "no"
    assert none.signed is None and none.is_party is UNKNOWN and none.is_signatory is UNKNOWN and not none.record_complete
    with pytest.raises(UnknownId, match="unknown party 'XXX'"):
        status_of("uncc", "XXX", dataset=dataset)
    with pytest.raises(UnknownId, match="known: arab, budapest"):
        instrument_status("hanoi", dataset=dataset)


def test_every_participation_record_has_a_source_and_an_as_of_date(dataset):
    missing = rows(dataset, """
        SELECT ?e WHERE { ?e a ?k ; ctkg:instrument ?i . ?k rdfs:subClassOf* ctkg:ParticipationEvent .
                          FILTER NOT EXISTS { ?e dcterms:source ?s ; ctkg:inRecordSet/ctkg:asOf ?d } }""")
    assert missing == []


def test_every_state_is_a_valid_iso_code_named_by_pycountry(dataset):
    import pycountry

    found = rows(dataset, "SELECT ?code ?name WHERE { ?s a ctkg:State ; ctkg:isoAlpha3 ?code ; rdfs:label ?name }")
    assert len(found) > 90
    for code, name in found:
        country = pycountry.countries.get(alpha_3=code)
        assert getattr(country, "common_name", country.name) == name


def test_unknown_iso_code_is_refused_with_file_and_line(sources):
    path = sources / "data" / "parties" / "uncc.tsv"
    text = path.read_text().replace("\nFRA\t", "\nFRX\t")
    path.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("FRX\t"))
    with pytest.raises(SourceError) as error:
        load_dataset(sources)
    assert str(error.value).startswith(f"data/parties/uncc.tsv:{line}: party 'FRX' is not an ISO 3166-1 alpha-3 code")


def test_cli_parties_prints_the_table_and_summary(capsys):
    assert main(["parties", "budapest-p2", "--on", "2024-06-20"]) == 0
    out = capsys.readouterr().out
    assert "Japan" in out and "2023-08-10" in out
    assert "signatories: 46\n" in out and "parties: 2 (consents counted of 5 needed: 2)" in out
    assert "not in force (2 parties reported on 2024-06-20, fewer than the 5 needed" in out
    assert "PARTIAL record set" not in out
    assert main(["parties", "budapest-p1", "--on", "2024-06-20"]) == 0
    out = capsys.readouterr().out
    assert "parties: at least 10 recorded; reported: 36 parties on 2024-06-20" in out and "PARTIAL record set" in out


def test_cli_parties_refuses_a_bad_date(capsys):
    assert main(["parties", "uncc", "--on", "2025-13-01"]) == 2
    assert "--on '2025-13-01' is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err
