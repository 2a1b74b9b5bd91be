"""The researcher's workbench: friendly ids, fact sheets (`show`), `search`, prefixes that need
no escaping, and output that keeps every character of a citation.

Expected values come from the sources: the UN Convention's art. 41 is headed "24/7 network" and
has six paragraphs (A/RES/79/243); Japan's rows are those of the participation tables, read here
with the csv module alone."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cybertreaty_kg import queries
from cybertreaty_kg.cli import main
from cybertreaty_kg.engines import OxigraphEngine, QueryError, RdflibEngine
from cybertreaty_kg.factsheet import fact_sheet
from cybertreaty_kg.resolve import Resolver, UnknownName
from cybertreaty_kg.search import search

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/cybertreaty-kg/id/"


@pytest.fixture(scope="module")
def resolver(dataset) -> Resolver:
    return Resolver(OxigraphEngine(dataset.store))


@pytest.mark.parametrize("text, kind, expected", [
    ("uncc", "instrument", "uncc"), ("UNCC", "instrument", "uncc"), ("Hanoi Convention", "instrument", "uncc"),
    ("UN Convention against Cybercrime", "instrument", "uncc"),
    ("ETS 185", "instrument", "budapest"), ("ETS No. 185", "instrument", "budapest"), ("CETS 185", "instrument", "budapest"),
    ("Budapest Convention", "instrument", "budapest"), ("CETS 224", "instrument", "budapest-p2"),
    ("ETS No. 189", "instrument", "budapest-p1"), ("Malabo Convention", "instrument", "malabo"),
    (f"{ID}instrument/arab", "instrument", "arab"),
    ("32013L0040", "instrument", "eu-2013-40"), ("CELEX 32013L0040", "instrument", "eu-2013-40"),
    ("XVIII-16", "instrument", "uncc"),
    ("uncc 41", "provision", "uncc 41"), ("uncc art. 41", "provision", "uncc 41"), ("UNCC Article 41", "provision", "uncc 41"),
    ("uncc 40(8)", "provision", "uncc 40(8)"), ("uncc 40 (8)", "provision", "uncc 40(8)"), ("uncc 4(1)", "provision", "uncc 4(1)"),
    ("ETS 185 art. 35", "provision", "budapest 35"), ("arab 43(1)(a)", "provision", "arab 43(1)(a)"),
    ("network-24-7", "concept", "cooperation/network-24-7"), ("24/7 network", "concept", "cooperation/network-24-7"),
    ("cooperation/network-24-7", "concept", "cooperation/network-24-7"), ("child-grooming", "concept", "offence/child-grooming"),
    ("JPN", "state", "JPN"), ("Japan", "state", "JPN"), ("jp", "state", "JPN"), ("Viet Nam", "state", "VNM"),
    ("Côte d'Ivoire", "state", "CIV"), ("Cote d'Ivoire", "state", "CIV"),
    ("coe", "organisation", "coe"), ("Council of Europe", "organisation", "coe"), ("African Union", "organisation", "au"),
])
def test_every_alias_form_names_the_right_thing(resolver, text, kind, expected):
    thing = resolver.resolve(text)
    assert (thing.kind, thing.id) == (kind, expected)


@pytest.mark.parametrize("text, message", [
    ("Art. 16", "'Art. 16' names no instrument; did you mean 'arab 16', 'budapest 16'"),
    ("16(1)", "did you mean 'arab 16(1)', 'budapest 16(1)', 'uncc 16(1)'?"),
    ("budapest 99", "budapest has no provision 99 in the graph"),
    ("Hanoi Convntion", "did you mean: uncc (UN Convention against Cybercrime)"),
    ("Japn", "did you mean: JPN (Japan)"),
    ('uncc" } ; DROP ALL', "unknown thing in the graph"),
])
def test_unknown_names_get_a_suggestion(resolver, text, message):
    with pytest.raises(UnknownName) as error:
        resolver.resolve(text)
    assert message in str(error.value)


def test_a_typo_is_never_taken_for_something_else(resolver):
    """Only exact names (after normalising case, accents and punctuation) resolve; near ones are suggestions."""
    for typo in ("uncc1", "Budapest Convension", "JPNN", "network-24-8"):
        with pytest.raises(UnknownName):
            resolver.resolve(typo)


def test_article_sheet(resolver):
    sheet = fact_sheet(resolver.resolve("uncc art. 41"), resolver)
    facts = {(f["property"], f["value"]) for f in sheet["facts"]}
    assert {("heading", "24/7 network"), ("in instrument", "UN Convention against Cybercrime"),
            ("dcterms:source", "https://docs.un.org/en/A/RES/79/243")} <= facts
    assert [p["citation"] for p in sheet["paragraphs"] if p["citation"].count("(") == 1] == [f"41({n})" for n in range(1, 7)]
    assert ("41(1)", "notification", "41(2)") in {(r["provision"], r["kind"], r["permitted_by"]) for r in sheet["reservations_permitted"]}
    crosswalks = {(c["provision"], c["direction"], c["match"], c["other"]) for c in sheet["crosswalks"]}
    assert ("UNCC Art. 41", "to", "closeMatch", "Budapest Art. 35") in crosswalks
    assert ("UNCC Art. 41", "to", "closeMatch", "Arab Convention Art. 43") in crosswalks
    # the other way round: Budapest 35's sheet names the UNCC article it is mapped from
    budapest = fact_sheet(resolver.resolve("ETS 185 art. 35"), resolver)
    assert ("Budapest Art. 35", "from", "closeMatch", "UNCC Art. 41") in {
        (c["provision"], c["direction"], c["match"], c["other"]) for c in budapest["crosswalks"]}


def test_statements_made_under_a_clause(resolver):
    sheet = fact_sheet(resolver.resolve("uncc 63(3)"), resolver)
    assert [(s["party"], s["kind"], s["made_under"], s["concerns"], s["date"]) for s in sheet["statements_made"]] == [
        ("AZE", "reservation", "63(3)", "63(2)", "2025-10-25")]


def test_instrument_sheet(resolver):
    sheet = fact_sheet(resolver.resolve("Hanoi Convention"), resolver)
    assert len(sheet["contents"]) == 68 and sheet["contents"][40]["citation"] == "41"
    assert sheet["contents"][40]["heading"] == "24/7 network"
    assert sheet["status"]["records"] == "partial" and sheet["status"]["as_of"] == "2026-08-01"
    assert sheet["status"]["signatories"].startswith("at least 74 recorded")


def _japan_rows() -> dict[str, dict[str, str]]:
    """Japan's signature, consent and entry into force per instrument, from the tables alone."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted((ROOT / "data" / "parties").glob("*.tsv")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["party"] != "JPN":
                continue
            events = found.setdefault(path.stem, {"signed": "", "consented": "", "consent_type": "", "in_force": ""})
            if row["event"] == "signature":
                events["signed"] = row["date"]
            elif row["event"] in ("ratification", "acceptance", "approval", "accession"):
                events["consented"], events["consent_type"] = row["deposit_date"] or row["date"], row["event"]
            elif row["event"] == "entry-into-force":
                events["in_force"] = row["date"]
    return found


def test_state_sheet_equals_the_tables_row_for_row(resolver):
    sheet = fact_sheet(resolver.resolve("Japan"), resolver)
    shown = {p["instrument"]: {k: p[k] for k in ("signed", "consented", "consent_type", "in_force")}
             for p in sheet["participation"] if p["signed"] or p["consented"] or p["in_force"]}
    assert shown == _japan_rows()
    assert shown["budapest"] == {"signed": "2001-11-23", "consented": "2012-07-03", "consent_type": "acceptance", "in_force": "2012-11-01"}
    # every instrument is listed; where nothing is recorded the answer is "not recorded", not "no"
    arab = next(p for p in sheet["participation"] if p["instrument"] == "arab")
    assert (arab["signatory"], arab["party"]) == ("not recorded", "not recorded")
    statements = {(s["instrument"], s["kind"], s["made_under"]) for s in sheet["statements_made"]}
    assert {("budapest-p2", "reservation", "7"), ("budapest-p2", "declaration", "8"), ("budapest", "reservation", "6(3)")} <= statements


def test_state_sheet_agrees_with_parties_for_every_instrument(resolver):
    from cybertreaty_kg.parties import status_of

    sheet = fact_sheet(resolver.resolve("AZE"), resolver)
    for row in sheet["participation"]:
        status = status_of(row["instrument"], "AZE", engine=resolver.engine)
        assert (row["signatory"], row["party"], row["bound"], row["signed"]) == (
            str(status.is_signatory), str(status.is_party), str(status.is_bound), str(status.signed or "")), row["instrument"]
    assert {m["organisation"] for m in sheet["memberships"]} == {"cis", "coe"}


def test_search_finds_the_24_7_network_in_every_instrument_that_has_one(resolver):
    engine = resolver.engine
    addressed = queries.run(queries.get("concept-articles"), {"concept": "network-24-7"}, engine)
    articles = {f"{row[0].value.rsplit('/', 1)[-1]} {row[1].value}" for row in addressed.rows}  # as cited: 41, 42(2)
    assert {a.split()[0] for a in articles} >= {"uncc", "budapest", "arab"}
    hits = {h.id for h in search("24/7 network", resolver, limit=200)}
    assert articles <= hits
    assert "cooperation/network-24-7" in hits


def test_search_finds_grooming(resolver):
    hits = search("grooming", resolver)
    assert hits[0].id == "uncc 15" and hits[0].field == "heading"
    assert "offence/child-grooming" in {h.id for h in hits}
    assert search("", resolver) == []


@pytest.mark.parametrize("engine_class", [OxigraphEngine, RdflibEngine])
def test_id_prefixes_need_no_escape(dataset, engine_class):
    engine = engine_class(dataset.store)
    result = engine.run("SELECT ?heading WHERE { uncc-art:41 ctkg:heading ?heading ; ctkg:inInstrument inst:uncc ;"
                        " ctkg:addresses cooperation:network-24-7 }")
    assert [row[0].value for row in result.rows] == ["24/7 network"]
    with pytest.raises(QueryError, match=r"write inst:uncc, or ctkg-id:instrument\\/uncc"):
        engine.run("SELECT * WHERE { ctkg-id:instrument/uncc ?p ?o }")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_show_and_search_on_the_command_line(capsys):
    code, out, _ = run(capsys, "show", "Japan")
    assert code == 0
    long_source = ("https://www.coe.int/de/web/conventions/full-list/-/conventions/treaty/185/declarations?p_auth=HpCPaY7G"
                   "&_coeconventions_WAR_coeconventionsportlet_enVigueur=false&_coeconventions_WAR_coeconventionsportlet_searchBy"
                   "=state&_coeconventions_WAR_coeconventionsportlet_codePays=JAP&_coeconventions_WAR_coeconventionsportlet_codeNature=3")
    assert long_source in out  # piped: plain lines, no cell cut at 80 columns
    code, out, _ = run(capsys, "show", "uncc 41", "--format", "json")
    sheet = json.loads(out)
    assert (sheet["kind"], sheet["id"], sheet["iri"]) == ("provision", "uncc 41", f"{ID}instrument/uncc/art/41")
    code, out, _ = run(capsys, "show", "CETS 224", "--format", "turtle")
    assert code == 0 and "ctkg:identifier \"budapest-p2\"" in out
    code, out, err = run(capsys, "show", "Hanoi Convntion")
    assert code == 2 and out == "" and "did you mean: uncc" in err and len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "search", "24/7", "network", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "score,kind,id,label,matched,text" and ",uncc 41," in out
    code, out, _ = run(capsys, "query", "run", "offence-coverage", "--param", "instrument=Hanoi Convention", "--format", "csv")
    assert code == 0 and "illegal-access" in out


# --- saved queries for the workbench ---------------------------------------------------------------

def _answer(engine, name: str, **params: str) -> list[dict[str, str]]:
    from cybertreaty_kg.output import short

    table = queries.run(queries.get(name), params, engine)
    return [{c.name: short(v) for c, v in zip(table.columns, row)} for row in table.rows]


def test_state_profile_lists_every_instrument_with_its_records(resolver):
    rows = _answer(resolver.engine, "state-profile", party="Japan")
    events = [(r["instrument"], r["event"], r["date"], r["place"], r["made_under"], r["basis"]) for r in rows
              if r["event"] in ("signature", "acceptance", "entry into force")]
    assert events == [("budapest", "signature", "2001-11-23", "", "", ""),
                      ("budapest", "acceptance", "2012-07-03", "Strasbourg", "", ""),
                      ("budapest", "entry into force", "2012-11-01", "", "", "recorded"),
                      ("budapest-p2", "signature", "2022-05-12", "", "", ""),
                      ("budapest-p2", "acceptance", "2023-08-10", "Strasbourg", "", "")]
    nothing = {r["instrument"]: r["records"] for r in rows if r["event"] == "none recorded"}
    assert nothing["uncc"] == "partial as of 2026-08-01" and nothing["ecowas-2011"] == "no record set"
    assert {r["instrument"] for r in rows} == {r["instrument"] for r in _answer(resolver.engine, "instruments")}


@pytest.mark.parametrize("party", ["JPN", "AZE", "MOZ", "VNM", "CHN", "eu"])
def test_state_profile_agrees_with_parties_for_every_instrument(resolver, party):
    profile = _answer(resolver.engine, "state-profile", party=party)
    for instrument in sorted({r["instrument"] for r in profile}):
        mine = [r for r in profile if r["instrument"] == instrument]
        listed = [r for r in _answer(resolver.engine, "parties", instrument=instrument) if r["party"] == party]
        if not listed:
            assert [r["event"] for r in mine] == ["none recorded"] or all(
                r["event"] in ("reservation", "declaration", "notification", "invitation to accede") for r in mine), instrument
            continue
        (row,) = listed
        signed = min((r["date"] for r in mine if r["event"] == "signature"), default="")
        consents = [r for r in mine if r["event"] in ("ratification", "acceptance", "approval", "accession", "succession")]
        assert signed == row["signed"], instrument
        assert [(c["deposit_date"] or c["date"], c["event"]) for c in consents][:1] == (
            [(row["consented"], row["consent_type"])] if row["consent_type"] else []), instrument
        in_force = [r for r in mine if r["event"] == "entry into force"]
        # an entry into force known without a date (CIS 2001, from a press report) is a row with an empty date
        expected = [row["in_force"]] if row["in_force"] or "entry into force" in row["undated"] else []
        assert [r["date"] for r in in_force][:1] == expected, instrument


def test_article_query_gives_the_article_whole(resolver):
    rows = _answer(resolver.engine, "article", instrument="UNCC", article="Art. 41")
    assert [r["provision"] for r in rows] == ["41", "41(1)", "41(2)", "41(3)", "41(3)(a)", "41(3)(b)", "41(3)(c)",
                                              "41(3)(d)", "41(3)(e)", "41(4)", "41(5)", "41(6)"]
    assert (rows[0]["heading"], rows[0]["modality"], rows[0]["source"]) == ("24/7 network", "mandatory", "https://docs.un.org/en/A/RES/79/243")
    assert all("network-24-7" in r["concepts"].split(", ") for r in rows)


def test_instrument_facts(resolver):
    rows = {r["instrument"]: r for r in _answer(resolver.engine, "instrument-facts")}
    uncc = rows["uncc"]
    # A/RES/79/243 (adopted 24 December 2024); arts 64-65: Hanoi then New York until 31 December 2026, 40 consents, 90 days
    assert (uncc["kind"], uncc["adopted"], uncc["adoption_place"], uncc["opened_for_signature"], uncc["signature_closes"],
            uncc["consents_needed"], uncc["delay"], uncc["depositary"], uncc["other_names"]) == (
        "Convention", "2024-12-24", "New York", "2025-10-25", "2026-12-31", "40", "90 days", "un-secretary-general", "Hanoi Convention")
    assert uncc["signature_places"] == "Hanoi; New York"
    budapest = rows["budapest"]  # ETS No. 185, art. 36: five ratifications, three months
    assert (budapest["kind"], budapest["consents_needed"], budapest["delay"], budapest["entry_into_force"]) == (
        "Convention", "5", "3 months", "2004-07-01")
    assert "ETS No. 185" in budapest["other_names"].split("; ")
    assert len(rows) == 11


def test_article_mappings_by_article(resolver):
    rows = _answer(resolver.engine, "article-mappings", **{"from": "budapest", "to": "uncc", "article": "35"})
    assert [(r["from_article"], r["match"], r["to_article"]) for r in rows] == [
        ("35", "closeMatch", "41"), ("35(1)", "broadMatch", "41(3)"), ("35(2)", "closeMatch", "41(4)"), ("35(3)", "closeMatch", "41(5)")]


def test_info_and_query_list_have_machine_formats(capsys):
    code, out, _ = run(capsys, "info", "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and len(rows) == 11
    uncc = next(r for r in rows if r["instrument"] == "uncc")
    assert (uncc["articles_held"], uncc["articles_in_text"], uncc["all_articles"]) == ("68", "68", "true")  # A/RES/79/243: 68 articles
    code, out, _ = run(capsys, "query", "list", "--format", "json")
    listed = {q["name"]: q for q in json.loads(out)["queries"]}
    assert set(listed) == set(queries.catalogue())
    assert [p["name"] for p in listed["state-profile"]["params"]] == ["party"]


def _table(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.mark.parametrize("on", ["2020-01-01", "2026-04-25", "2004-07-01", "2004-06-30"])
def test_members_not_bound_on_a_date_equal_the_tables(capsys, on):
    """Council of Europe members not bound by the Budapest Convention on a date, re-derived here
    from data/memberships/coe.tsv and data/parties/budapest.tsv (both complete for these dates)
    with the csv module alone: members whose membership began by then and had not ended, less
    those whose entry into force is on or before the date."""
    members = {r["member"] for r in _table(ROOT / "data/memberships/coe.tsv")
               if (not r["from"] or r["from"] <= on) and (not r["until"] or r["until"] > on)}
    bound = {r["party"] for r in _table(ROOT / "data/parties/budapest.tsv") if r["event"] == "entry-into-force" and r["date"] <= on}
    code, out, _ = run(capsys, "parties", "budapest", "--members-of", "Council of Europe", "--not-bound", "--on", on, "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and {r["member"] for r in rows} == members - bound
    assert {r["bound"] for r in rows} == {"no"}
    unsure = {r["member"] for r in _table(ROOT / "data/memberships/coe.tsv") if len(r["from"]) < 10 and on.startswith(r["from"])}
    assert {r["member"] for r in rows if r["member_on_date"] == "not recorded"} == unsure  # joined that year: which day?
    assert {r["member_on_date"] for r in rows if r["member"] not in unsure} == {"yes"}
    if on == "2020-01-01":
        assert {r["member"] for r in rows} == {"IRL", "RUS", "SWE"}
        sweden = next(r for r in rows if r["member"] == "SWE")
        assert (sweden["signed"], sweden["consented"], sweden["in_force"]) == ("2001-11-23", "", "")  # nothing after the date


def test_members_and_statuses_agree_with_parties(capsys):
    code, out, _ = run(capsys, "parties", "budapest-p2", "--members-of", "coe", "--on", "2026-04-15", "--format", "json")
    document = json.loads(out)
    assert code == 0 and len(document["members"]) == 46
    assert sorted(m["member"] for m in document["members"] if m["party"] == "yes") == ["HUN", "SRB"]
    assert run(capsys, "parties", "uncc", "--not-bound")[0] == 2


def test_check_prints_csv_and_json(capsys):
    code, out, _ = run(capsys, "check", "--format", "csv")
    assert code == 0 and out == "check,file,line,subject,message\n"
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 0 and json.loads(out) == {"problems": [], "count": 0}
