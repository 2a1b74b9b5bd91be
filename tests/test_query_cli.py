"""The query, sparql and compare commands: formats, refusals, time limit and the on-disk store."""

from __future__ import annotations

import csv
import io
import json
import shutil

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from cybertreaty_kg import queries
from cybertreaty_kg.adhoc import QueryRefused, refuse_unsafe
from cybertreaty_kg.cli import main

ROOT = Path(__file__).parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_query_list_and_show(capsys):
    code, out, _ = run(capsys, "query", "list")
    assert code == 0
    for name in queries.catalogue():
        assert name in out
    code, out, _ = run(capsys, "query", "show", "crosswalk")
    assert code == 0
    assert "param article (article of from, default: required)" in out
    assert "cybertreaty-kg query run crosswalk --param from=budapest --param article=16 --param to=uncc" in out
    assert out.rstrip().endswith("ORDER BY ?concept")


def test_query_run_csv_json_table(capsys):
    code, out, _ = run(capsys, "query", "run", "offence-diff", "--param", "a=budapest", "--param", "b=uncc", "--format", "csv")
    assert code == 0 and csv_rows(out) == [["offence", "a_articles", "b_status", "a_not_verified"],
                                           ["copyright-infringement", "10", "not addressed", ""]]
    code, out, _ = run(capsys, "query", "run", "offence-diff", "--param", "a=budapest", "--param", "b=uncc", "--format", "json")
    document = json.loads(out)
    assert document["params"] == {"a": "budapest", "b": "uncc"}
    assert document["rows"] == [{"offence": {"id": "copyright-infringement",
                                             "iri": "https://w3id.org/cybertreaty-kg/id/concept/offence/copyright-infringement"},
                                 "a_articles": "10", "b_status": "not addressed", "a_not_verified": ""}]
    code, out, _ = run(capsys, "query", "run", "crosswalk", "--param", "from=budapest", "--param", "article=16", "--param", "to=uncc")
    assert code == 0 and "expedited" in out and "4 row(s)" in out


@pytest.mark.parametrize("argv,message", [
    (["query", "run", "no-such-query"], "no saved query 'no-such-query'; saved queries: article-mappings"),
    (["query", "run", "parties"], "missing parameter instrument"),
    (["query", "run", "parties", "--param", "instrument"], "write it as NAME=VALUE"),
    (["query", "run", "parties", "--param", "instrument=uncc }"], "unknown instrument 'uncc }'"),
    (["query", "run", "parties", "--param", "instrument=uncc", "--engine", "rdflib", "--param", "year=2025"], "unknown parameter year"),
])
def test_query_run_errors_are_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_sparql_select_ask_construct(capsys, tmp_path):
    code, out, _ = run(capsys, "sparql", "SELECT ?id WHERE { ?i ctkg:identifier ?id } ORDER BY ?id LIMIT 2", "--format", "csv")
    assert code == 0 and csv_rows(out) == [["id"], ["arab"], ["budapest"]]
    code, out, _ = run(capsys, "sparql", "ASK { ctkg-id:instrument\\/uncc ctkg:identifier \"uncc\" }")
    assert code == 0 and out.strip() == "true"
    query = tmp_path / "q.rq"
    query.write_text("CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a ctkg:number \"41\" ; ctkg:inInstrument/ctkg:identifier \"uncc\" ; rdfs:label ?l }")
    code, out, _ = run(capsys, "sparql", "-f", str(query))
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert code == 0 and [t.object.value for t in triples] == ["UNCC Art. 41"]
    code, out, _ = run(capsys, "sparql", "SELECT ?l WHERE { ?a ctkg:number \"41\" ; ctkg:inInstrument/ctkg:identifier \"uncc\" ; rdfs:label ?l }",
                       "--engine", "rdflib", "--format", "json")
    assert json.loads(out)["rows"] == [{"l": "UNCC Art. 41"}]


@pytest.mark.parametrize("query", [
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "PREFIX e: <http://e/>\ndelete where { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "DROP ALL",
    "CLEAR DEFAULT",
    "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE {\n  service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o }\n;\nDROP ALL",
])
def test_writes_and_services_are_refused(capsys, query):
    code, out, err = run(capsys, "sparql", query)
    assert code == 2 and ("is refused" in err) and out == ""


@pytest.mark.parametrize("query", [
    'SELECT ?s WHERE { ?s rdfs:label "DROP ALL; INSERT" }',
    "SELECT ?s WHERE { ?s <http://example.org/insert> ?delete }  # a comment saying SERVICE",
    "SELECT ?service ?load WHERE { ?service a ?load } LIMIT 1",
    'SELECT ?s WHERE { ?s rdfs:comment """a long\nstring with DELETE""" }',
])
def test_keywords_in_strings_iris_variables_and_comments_are_fine(query):
    refuse_unsafe(query)


def test_refusal_names_the_line():
    with pytest.raises(QueryRefused, match="line 3: SERVICE is refused"):
        refuse_unsafe("SELECT *\nWHERE {\n  SERVICE <http://e/> { ?s ?p ?o } }")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_timeout_stops_a_runaway_query(capsys, engine):
    code, out, err = run(capsys, "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                         "--timeout", "0.5", "--engine", engine)
    assert code == 2 and "ran longer than 0.5 s and was stopped" in err


def test_syntax_error_is_one_line(capsys):
    code, out, err = run(capsys, "sparql", "SELECT ?x WHERE { ?x a }")
    assert code == 2 and err.startswith("error: SPARQL syntax error") and err.count("\n") == 1


def test_compare_markdown_and_csv(capsys):
    code, out, _ = run(capsys, "compare", "uncc", "budapest", "--format", "markdown")
    assert code == 0
    # both are recorded completely for offences and procedure: "only" can be said there
    assert "| offences | child-grooming (Solicitation of children (grooming)) | 15 | not addressed | only uncc |" in out
    assert "| offences | copyright-infringement (Copyright infringement) | not addressed | 10 | only budapest |" in out
    assert "| procedural powers | production-order (Production order) | 27 | 18 | both |" in out
    assert "| cooperation | network-24-7 (24/7 network) | 41, 42(2) | 35 | both |" in out
    # paragraphs compared with paragraphs: dual criminality in both, video hearing only in the UNCC
    assert "| safeguards | dual-criminality (Dual criminality) | 17(2)(c), 35(3), 37(1), 37(2), 40(8), 42(4), 42(5) | 24(1), 25(5), 29(3), 29(4) | both |" in out
    assert "| cooperation | video-conferencing (Video conferencing) | 40(18) | not addressed | only uncc |" in out
    # capacity building is recorded completely for the UNCC only: no "only" claim about Budapest there
    assert "| capacity building | training (Training) | 54(2), 54(3), 54(5), 54(7) | not recorded | uncc; not recorded in budapest |" in out
    assert ("Parties to both: none recorded (uncc: 0 parties recorded, partial as of 2026-08-01; budapest: 81 parties recorded, "
            "complete as of 2026-04-25") in out
    code, out, _ = run(capsys, "compare", "uncc", "budapest", "--format", "csv")
    assert csv_rows(out)[0] == ["section", "concept", "uncc articles", "budapest articles", "in", "uncc status", "budapest status",
                                "uncc not verified", "budapest not verified", "concept label"]
    rows = csv_rows(out)[1:]
    only_uncc = [r[1] for r in rows if r[0] == "offences" and r[4] == "only uncc"]
    assert only_uncc == ["offences-under-other-un-instruments", "child-grooming", "non-consensual-intimate-images", "laundering-of-proceeds"]
    code, out, _ = run(capsys, "compare", "budapest", "budapest-p2", "--format", "json")
    document = json.loads(out)
    # CETS 224's ratifications are those of Costa Rica, Hungary, Japan and Serbia, all Budapest
    # Parties; both record sets are complete, so the list is exact
    assert [p["id"] for p in document["parties_in_common"]] == ["CRI", "HUN", "JPN", "SRB"]


def test_on_disk_store_is_built_once_and_reused(capsys, sources, tmp_path):
    store = tmp_path / "kg"
    argv = ["--sources", str(sources), "query", "run", "offence-diff", "--param", "a=uncc", "--param", "b=budapest",
            "--format", "csv", "--store", str(store)]
    code, first, _ = run(capsys, *argv)
    assert code == 0 and store.is_dir()
    shutil.rmtree(sources / "data")  # the store no longer needs the sources
    code, second, _ = run(capsys, *argv)
    assert code == 0 and second == first and len(csv_rows(second)) == 5


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_from_clause_reads_the_store_never_the_web(capsys, engine):
    """rdflib would fetch a FROM <iri> over HTTP; here it names a graph of the store, as on Oxigraph."""
    code, out, err = run(capsys, "sparql", "SELECT (COUNT(*) AS ?n) FROM <http://example.org/not-fetched> WHERE { ?s ?p ?o }",
                         "--engine", engine, "--format", "csv")
    assert code == 0 and csv_rows(out) == [["n"], ["0"]]
    code, out, err = run(capsys, "sparql", "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/cybertreaty-kg/graph/data/instruments/cis-2018> "
                         "WHERE { ?s ?p ?o }", "--engine", engine, "--format", "csv")
    assert code == 0 and csv_rows(out) == [["n"], [str(len(rdflib.Graph().parse(ROOT / "data/instruments/cis-2018.ttl")))]]
