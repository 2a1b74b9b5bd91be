"""Open world: "not recorded" is never "no".

Every answer that reports an absence, a status or a count is one of three: known (with its
source), known not to hold (only where the records are complete for the question), or not
recorded. The expectations here are read independently of the code under test: completeness
straight from the instrument files (rdflib), dates from the depositaries' charts.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import rdflib

from cybertreaty_kg import build, load_dataset
from cybertreaty_kg.cli import main
from cybertreaty_kg.compare import compare
from cybertreaty_kg.coverage import ADDRESSED, NOT_ADDRESSED, NOT_RECORDED, SCHEMES, coverage
from cybertreaty_kg.dates import PartialDate, latest_key
from cybertreaty_kg.derive import DERIVED_GRAPH, Rule, entry_into_force_for_party
from cybertreaty_kg.engines import OxigraphEngine, RdflibEngine
from cybertreaty_kg.matrix import coverage_matrix, to_csv
from cybertreaty_kg.parties import Known, instrument_status, status_of

from conftest import rows

CTKG = rdflib.Namespace("https://w3id.org/cybertreaty-kg/ontology#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
CONCEPT = "https://w3id.org/cybertreaty-kg/id/concept/"
YES, NO, UNKNOWN = Known.YES, Known.NO, Known.UNKNOWN


@pytest.fixture(scope="module")
def engine(dataset):
    return OxigraphEngine(dataset.store)


@pytest.fixture(scope="module")
def statements(root: Path) -> dict[str, dict]:
    """Each instrument's completeness, read from its own file with rdflib: articles held, the
    count its text has, whether it says all are modelled, and the schemes it says are complete."""
    found = {}
    for path in sorted((root / "data" / "instruments").glob("*.ttl")):
        graph = rdflib.Graph().parse(path)
        (instrument,) = graph.subjects(CTKG.identifier, None)
        count = graph.value(instrument, CTKG.articleCount)
        found[path.stem] = {
            "held": len(set(graph.subjects(rdflib.RDF.type, CTKG.Article))),
            "count": int(count) if count is not None else None,
            "all": bool(graph.value(instrument, CTKG.allArticlesModelled).toPython()),
            "schemes": {str(s).removeprefix(CONCEPT) for s in graph.objects(instrument, CTKG.subjectsCompleteFor)},
        }
    return found


@pytest.fixture(scope="module")
def concepts(root: Path) -> dict[str, set[str]]:
    """Per scheme, the concept codes that are not groupings (no narrower concept), from the scheme files."""
    found = {}
    for scheme in SCHEMES:
        graph = rdflib.Graph().parse(root / "ontology" / "concepts" / f"{scheme}.ttl")
        broader = set(graph.objects(None, SKOS.broader))
        found[scheme] = {str(graph.value(c, SKOS.notation)) for c in graph.subjects(rdflib.RDF.type, SKOS.Concept) if c not in broader}
    return found


# --- completeness as data ------------------------------------------------------------------------

def test_completeness_statements_agree_with_the_articles_held(statements):
    # the counts are the texts' own: UNCC 68 (A/RES/79/243), Budapest 48, ETS 189 16, CETS 224 25,
    # Directive 2013/40/EU 19, Malabo 38 (AU EX.CL/846(XXV)), Arab Convention 43 numbered articles
    # (League of Arab States English translation), CIS 2001 17
    assert {i: (s["count"], s["all"]) for i, s in statements.items()} == {
        "uncc": (68, True), "budapest": (48, True), "budapest-p1": (16, True), "budapest-p2": (25, True),
        "eu-2013-40": (19, True), "malabo": (38, True), "arab": (43, True), "cis-2001": (17, False),
        "cis-2018": (None, False), "sco-2009": (None, False), "ecowas-2011": (None, False)}
    for instrument, s in statements.items():
        if s["all"]:
            assert s["held"] == s["count"], instrument
        elif s["count"] is not None:
            assert s["held"] < s["count"], instrument
        assert not s["schemes"] or s["all"], instrument  # subjects complete only where every article is


def test_every_record_set_says_complete_or_partial_and_its_totals_have_date_and_source(dataset):
    sets = rows(dataset, "SELECT ?set ?complete WHERE { ?set a ctkg:ParticipationRecordSet . OPTIONAL { ?set ctkg:complete ?complete } }")
    assert sets and all(complete in ("true", "false") for _, complete in sets)
    totals = rows(dataset, """SELECT ?t ?on ?source WHERE { ?set ctkg:reportedTotal ?t .
                               OPTIONAL { ?t ctkg:reportedOn ?on } OPTIONAL { ?t dcterms:source ?source } }""")
    import yaml

    expected = 0
    for path in sorted((Path(__file__).parents[1] / "data" / "parties").glob("*.tsv")):
        header = [line[1:] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        expected += len(yaml.safe_load("\n".join(header)).get("reported_totals") or [])
    assert len({t for t, _, _ in totals}) == expected >= 15 and all(on and source for _, on, source in totals)


# --- every cell of every scheme is one of three answers -----------------------------------------

@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_cell_is_addressed_not_addressed_or_not_recorded(engine, statements, concepts, scheme):
    cells = coverage(engine, scheme)
    for instrument, s in statements.items():
        for concept in concepts[scheme]:
            cell = cells[(concept, instrument)]
            assert cell.status in (ADDRESSED, NOT_ADDRESSED, NOT_RECORDED)
            assert bool(cell.articles) == (cell.status == ADDRESSED), (concept, instrument)
            if cell.status == NOT_ADDRESSED:
                # only an instrument held whole, whose subjects for this scheme are all recorded
                assert s["all"] and s["held"] == s["count"] and scheme in s["schemes"], (concept, instrument)
            if cell.status == NOT_RECORDED:
                assert scheme not in s["schemes"], (concept, instrument)
    # and the matrix shows the same three answers, cell for cell
    matrix = coverage_matrix(engine, scheme)
    for (concept, instrument), cell in cells.items():
        assert matrix.cells[(concept, instrument)].status == cell.status
    assert NOT_RECORDED in to_csv(matrix) or scheme in set.intersection(*(s["schemes"] for s in statements.values()))


@pytest.mark.parametrize("other", ["arab", "budapest", "budapest-p1", "budapest-p2", "cis-2001", "cis-2018", "ecowas-2011",
                                   "eu-2013-40", "malabo", "sco-2009"])
def test_compare_says_one_lacks_a_concept_only_where_it_is_recorded_completely(engine, statements, other):
    sections = {section: scheme for scheme, (_, _, section) in SCHEMES.items()}
    for a, b in (("uncc", other), (other, "uncc")):
        for line in compare(a, b, engine).lines:
            scheme = sections[line.section]
            assert ADDRESSED in (line.a.status, line.b.status)
            if line.status == "only a":
                assert scheme in statements[b]["schemes"] and not line.b_articles
            elif line.status == "only b":
                assert scheme in statements[a]["schemes"] and not line.a_articles
            elif line.status == "a, b not recorded":
                assert scheme not in statements[b]["schemes"]
            elif line.status == "b, a not recorded":
                assert scheme not in statements[a]["schemes"]
            else:
                assert line.status == "both" and line.a_articles and line.b_articles


def test_matrix_draws_not_recorded_apart_from_not_addressed(tmp_path, engine):
    assert main(["matrix", "--scheme", "offence", "--format", "html", "--out", str(tmp_path / "m.html")]) == 0
    page = (tmp_path / "m.html").read_text()
    # the CIS Agreement of 2001 is modelled in part: hatched; the UNCC, held whole, lacks copyright: white
    assert 'class="not-recorded" data-concept="data-interference" data-instrument="cis-2001" data-status="not recorded"' in page
    assert 'data-concept="copyright-infringement" data-instrument="uncc" data-status="not addressed"' in page
    assert "not recorded (instrument modelled in part)" in page and "not addressed (all provisions recorded)" in page
    assert main(["matrix", "--scheme", "offence", "--format", "svg", "--out", str(tmp_path / "m.svg")]) == 0
    svg = (tmp_path / "m.svg").read_text()
    assert 'id="status/data-interference/cis-2001/not-recorded"' in svg and 'id="status/copyright-infringement/uncc/not-addressed"' in svg


# --- partial dates ---------------------------------------------------------------------------------

def test_partial_dates_are_spans_of_days():
    month, year = PartialDate.parse("2014-02"), PartialDate.parse("2015")
    assert (str(month), month.precision, month.earliest, month.latest) == ("2014-02", "month", date(2014, 2, 1), date(2014, 2, 28))
    assert (year.earliest, year.latest, year.datatype.rsplit("#")[-1]) == (date(2015, 1, 1), date(2015, 12, 31), "gYear")
    assert month.on_or_before(date(2014, 3, 1)) is True and month.on_or_before(date(2014, 1, 31)) is False
    assert month.on_or_before(date(2014, 2, 15)) is None  # inside the span: cannot tell
    dates = [PartialDate.parse(t) for t in ("2025", "2025-10", "2025-11-19", "2025-10-26", "2025-10-31")]
    assert [str(d) for d in sorted(dates, key=PartialDate.sort_key)] == ["2025-10-26", "2025-10-31", "2025-10", "2025-11-19", "2025"]
    assert sorted(["2025", "2025-10", "2025-11-19", "2025-10-26"], key=latest_key) == ["2025-10-26", "2025-10", "2025-11-19", "2025"]
    with pytest.raises(Exception, match="YYYY-MM-DD, or YYYY-MM or YYYY"):
        PartialDate.parse("October 2025")
    with pytest.raises(Exception, match="not a calendar date"):
        PartialDate.parse("2025-02-30")


@pytest.mark.parametrize(("name", "fmt"), [("cybertreaty-kg.trig", "trig"), ("cybertreaty-kg.nq", "nquads"),
                                           ("cybertreaty-kg.jsonld", "json-ld"), ("cybertreaty-kg.ttl", "turtle")])
def test_partial_dates_round_trip_through_every_export(tmp_path_factory, dataset, name, fmt):
    out = tmp_path_factory.getbasetemp() / "open-world-dist"
    if not out.exists():
        build(dataset, out)
    graph = rdflib.Dataset() if fmt != "turtle" else rdflib.Graph()
    graph.parse(out / name, format=fmt)
    gbr = rdflib.URIRef("https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/GBR-signature")
    arab = rdflib.URIRef("https://w3id.org/cybertreaty-kg/id/instrument/arab")
    as_of = rdflib.URIRef("https://w3id.org/cybertreaty-kg/id/instrument/arab/participation")
    found = {(str(o), str(o.datatype)) for _, _, o, *_ in graph.quads((gbr, CTKG.eventDate, None, None))} if fmt != "turtle" \
        else {(str(o), str(o.datatype)) for o in graph.objects(gbr, CTKG.eventDate)}
    assert found == {("2025-10", "http://www.w3.org/2001/XMLSchema#gYearMonth")}
    values = {(str(o), str(o.datatype)) for s, p, o in (graph.triples((None, None, None)) if fmt == "turtle" else
                                                         ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))))
              if (s, p) in ((arab, CTKG.entryIntoForceDate), (as_of, CTKG.asOf))}
    assert values == {("2014-02", "http://www.w3.org/2001/XMLSchema#gYearMonth"), ("2015", "http://www.w3.org/2001/XMLSchema#gYear")}


@pytest.mark.parametrize("engine_class", [OxigraphEngine, RdflibEngine])
def test_partial_dates_come_out_of_the_queries_as_printed(dataset, engine_class):
    from cybertreaty_kg import queries

    engine = engine_class(dataset.store)
    parties = {r[0].value: r for r in queries.run(queries.get("parties"), {"instrument": "uncc"}, engine).rows}
    assert parties["https://w3id.org/cybertreaty-kg/id/state/GBR"][1].value == "2025-10"
    eif = {r[0].value.rsplit("/", 1)[-1]: r for r in queries.run(queries.get("entry-into-force"), {}, engine).rows}
    assert eif["arab"][4].value == "2014-02"


# --- three-valued status ---------------------------------------------------------------------------

def test_arab_convention_is_in_force_since_february_2014(dataset, capsys):
    """riyadh.om (2015): in force since February 2014; the day was not found."""
    assert instrument_status("arab", date(2026, 12, 2), dataset).in_force is YES
    assert instrument_status("arab", date(2014, 2, 15), dataset).in_force is UNKNOWN  # inside February
    assert instrument_status("arab", date(2014, 1, 31), dataset).in_force is NO
    assert main(["parties", "arab", "--on", "2026-12-02"]) == 0
    out = capsys.readouterr().out
    assert "in force since 2014-02 (recorded; known only to the month)" in out
    # eight consents known without a date (2015): parties from the record set's as-of date on
    assert "parties: at least 8 recorded; reported: 8 parties on 2015" in out
    assert instrument_status("arab", date(2015, 6, 1), dataset).party_count.recorded == 0  # before the end of 2015: not recorded
    signed = instrument_status("arab", date(2010, 12, 21), dataset)
    assert signed.signatories.recorded == 18 and not signed.signatories.exact
    assert "0 parties" not in out and "not in force" not in out


@pytest.mark.parametrize("instrument", ["cis-2001", "cis-2018"])
def test_cis_agreements_are_in_force_by_a_party_entry_into_force(dataset, instrument):
    # Belarus 14 March 2002 (pravo.kulichki.com); Armenia 22 January 2022 (arlis.am)
    day = {"cis-2001": date(2002, 3, 14), "cis-2018": date(2022, 1, 22)}[instrument]
    assert instrument_status(instrument, day, dataset).in_force is YES
    assert instrument_status(instrument, day.replace(year=day.year - 1), dataset).in_force is UNKNOWN  # never "no"


@pytest.mark.parametrize("instrument", ["ecowas-2011"])
def test_nothing_recorded_means_not_recorded(dataset, instrument):
    status = instrument_status(instrument, date(2026, 12, 2), dataset)
    assert status.in_force is UNKNOWN and not status.has_records
    assert str(status.party_count) == "not recorded (no participation records)"


def test_first_protocol_never_prints_a_bare_zero(capsys):
    assert main(["parties", "budapest-p1"]) == 0
    out = capsys.readouterr().out
    assert "parties: at least 10 recorded; reported: 36 parties on 2024-06-20" in out
    assert "0 parties" not in out
    assert main(["parties", "budapest-p1", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["parties"]["exact"] is False and document["parties"]["reported"]["parties"] == 36
    assert document["in_force"] == "yes" and document["in_force_date"] == "2006-03-01"


def test_party_diff_says_not_a_party_only_from_a_complete_set(engine, sources):
    from cybertreaty_kg import queries

    table = queries.run(queries.get("party-diff"), {"a": "uncc", "b": "budapest"}, engine)
    statuses = {r[0].value.rsplit("/", 1)[-1]: r[2].value for r in table.rows}
    # Australia, Spain, Poland and Türkiye are Budapest Parties (the chart of 25 April 2026)
    assert not {"AUS", "ESP", "POL", "TUR"} & set(statuses)
    assert set(statuses.values()) == {"not a party", "signatory, not a party"}  # complete set
    # the same question against a partial set (the First Protocol) never says "not a party"
    table = queries.run(queries.get("party-diff"), {"a": "uncc", "b": "budapest-p1"}, engine)
    assert {r[2].value for r in table.rows} <= {"not recorded", "signatory, consent not recorded"}


# --- derived entry into force ---------------------------------------------------------------------

# Council of Europe chart for ETS No. 185, status 25 April 2026: deposit of the consent and entry
# into force for parties whose entry into force the graph's record set does not hold.
# The record set now holds the chart's dates ("recorded"); tests/test_participation_tables.py drops
# them and checks that the rules derive the same dates for all 81 Parties.
CHART = [("DEU", date(2009, 3, 9), date(2009, 7, 1), "recorded"),
         ("BRA", date(2022, 11, 30), date(2023, 3, 1), "recorded"),
         ("CMR", date(2023, 12, 15), date(2024, 4, 1), "recorded"),
         ("SLE", date(2024, 4, 19), date(2024, 8, 1), "recorded"),
         ("FJI", date(2024, 6, 20), date(2024, 10, 1), "recorded"),
         ("KIR", date(2024, 6, 20), date(2024, 10, 1), "recorded"),
         ("NZL", date(2025, 8, 28), date(2025, 12, 1), "recorded")]


@pytest.mark.parametrize(("party", "deposit", "in_force", "basis"), CHART)
def test_derived_entry_into_force_equals_the_council_of_europe_chart(dataset, party, deposit, in_force, basis):
    status = status_of("budapest", party, date(2026, 12, 2), dataset)
    assert (status.consented, status.in_force, status.in_force_basis) == (PartialDate.of(deposit), PartialDate.of(in_force), basis)
    before = status_of("budapest", party, in_force.replace(day=1) if in_force.day > 1 else date.fromordinal(in_force.toordinal() - 1),
                       dataset)
    assert before.is_party is YES and before.is_bound is NO
    assert status_of("budapest", party, in_force, dataset).is_bound is YES


def test_malabo_first_fifteen_are_bound_from_its_entry_into_force(dataset):
    """Art. 36: thirty days after the fifteenth instrument (Mauritania, 9 May 2023): 8 June 2023.
    The text sets no date for later parties, so none is derived for them."""
    status = instrument_status("malabo", date(2026, 12, 2), dataset)
    for p in status.parties:
        if p.consented is not None and p.consented.latest <= date(2023, 5, 9):
            assert (p.in_force, p.in_force_basis) == (PartialDate(2023, 6, 8), "derived: Art. 36"), p.party
        elif p.consented is not None:
            assert p.in_force is None and p.is_bound is UNKNOWN, p.party


def test_derivation_agrees_with_every_recorded_entry_into_force(dataset):
    """Where the depositary records both the consent and the entry into force, the rule gives the
    recorded date: the rules are modelled right (Budapest arts 36(3)-(4), 37(2))."""
    general = Rule("general", None, 3)
    later = [Rule("37(2)", None, 3, frozenset({"Accession"})), Rule("36(4)", None, 3, frozenset({"Acceptance", "Approval", "Ratification"}))]
    pairs = rows(dataset, """
        SELECT ?party ?kind ?consented ?recorded WHERE {
          ?consent ctkg:instrument ctkg-id:instrument\\/budapest ; ctkg:party ?party ; a ?class ; ctkg:eventDate ?consented .
          FILTER (?class IN (ctkg:Ratification, ctkg:Acceptance, ctkg:Approval, ctkg:Accession))
          ?entry a ctkg:EntryIntoForceForParty ; ctkg:instrument ctkg-id:instrument\\/budapest ; ctkg:party ?party ; ctkg:eventDate ?recorded .
          FILTER NOT EXISTS { ?entry ctkg:derivedBy ?rule }
          BIND (STRAFTER(STR(?class), "#") AS ?kind)
        }""")
    assert len(pairs) >= 20
    for party, kind, consented, recorded in pairs:
        found = entry_into_force_for_party(date.fromisoformat(consented), kind, date(2004, 7, 1), general, later)
        assert found.day == date.fromisoformat(recorded), party


def test_uncc_rule_for_later_parties_is_the_later_of_two_dates():
    """Art. 65(2): thirty days after the party's own deposit, or the Convention's entry into force
    (ninety days after the fortieth, 65(1)) if that is later (hypothetical dates)."""
    general, later = Rule("65(1)", 90, None), [Rule("65(2)", 30, None)]
    fortieth, in_force = date(2027, 1, 10), date(2027, 4, 10)
    assert entry_into_force_for_party(date(2026, 12, 1), "Ratification", in_force, general, later).day == in_force
    assert entry_into_force_for_party(fortieth, "Ratification", in_force, general, later).rule == "65(1)"
    assert entry_into_force_for_party(date(2027, 2, 1), "Accession", in_force, general, later).day == in_force  # 65(2), later of
    assert entry_into_force_for_party(date(2027, 6, 1), "Accession", in_force, general, later).day == date(2027, 7, 1)


def test_a_recorded_entry_into_force_always_wins(sources):
    table = sources / "data" / "parties" / "budapest.tsv"
    lines = table.read_text(encoding="utf-8").splitlines()
    germany = next(line for line in lines if line.startswith("DEU\tentry-into-force\t"))
    table.write_text("\n".join(line for line in lines if line != germany) + "\n", encoding="utf-8")
    dataset = load_dataset(sources)
    derived = rows(dataset, f"SELECT ?e WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?e ctkg:party ctkg-id:state\\/DEU }} }}")
    assert derived, "Germany's entry into force is derived while none is recorded"
    assert status_of("budapest", "DEU", date(2026, 12, 2), dataset).in_force_basis == "derived: Art. 36(4)"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset = load_dataset(sources)
    assert rows(dataset, f"SELECT ?e WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?e ctkg:party ctkg-id:state\\/DEU }} }}") == []
    status = status_of("budapest", "DEU", date(2026, 12, 2), dataset)
    assert (status.in_force, status.in_force_basis) == (PartialDate(2009, 7, 1), "recorded")


# --- bad input -------------------------------------------------------------------------------------

def test_invalid_month_in_a_source_names_file_and_line(sources, capsys):
    path = sources / "data" / "instruments" / "arab.ttl"
    text = path.read_text().replace('"2014-02"^^xsd:gYearMonth', '"2014-13"^^xsd:gYearMonth')
    path.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if '"2014-13"' in l)
    assert main(["--sources", str(sources), "build", "--out", str(sources / "dist")]) == 2
    err = capsys.readouterr().err
    assert f"data/instruments/arab.ttl:{line}: \"2014-13\" is not a valid xsd:gYearMonth" in err and err.count("\n") == 1


def test_invalid_month_in_a_submission_is_refused_with_file_and_line(tmp_path, capsys):
    path = tmp_path / "zimbabwe.ttl"
    path.write_text((Path(__file__).parent / "submissions" / "valid" / "partial-date-signature.ttl").read_text()
                    .replace('"2025-10"^^xsd:gYearMonth', '"2025-13"^^xsd:gYearMonth'))
    line = next(i for i, l in enumerate(path.read_text().splitlines(), 1) if '"2025-13"' in l)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"zimbabwe.ttl:{line}: \"2025-13\" is not a valid xsd:gYearMonth" in err and err.count("\n") == 1
