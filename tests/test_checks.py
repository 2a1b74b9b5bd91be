"""Each hygiene rule (queries/checks/*.rq) is clean on the shipped graph and fires on a record
that breaks it, at the line where the record is written."""

from __future__ import annotations

import pytest

from cybertreaty_kg import load_dataset, run_checks
from cybertreaty_kg.checks import load_checks

HEAD = """@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix x: <https://w3id.org/cybertreaty-kg/id/instrument/uncc/art/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix e: <https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/> .
@prefix b: <https://w3id.org/cybertreaty-kg/id/instrument/budapest/participation/> .
@prefix state: <https://w3id.org/cybertreaty-kg/id/state/> .

"""
def _event(subject: str, kind: str, instrument: str, party: str, day: str) -> str:
    i = f"<https://w3id.org/cybertreaty-kg/id/instrument/{instrument}>"
    return (f"{subject}\n    a ctkg:{kind} ;\n    ctkg:eventDate \"{day}\"^^xsd:date ;\n"
            f"    ctkg:inRecordSet <https://w3id.org/cybertreaty-kg/id/instrument/{instrument}/participation> ;\n"
            f"    ctkg:instrument {i} ;\n    ctkg:party {party} ;\n    dcterms:source <https://example.org/source> .\n")


BROKEN = {
    "term-missing-label-or-definition": "ctkg:NewClass\n    a owl:Class ;\n    rdfs:label \"new\"@en .\n",
    "concept-incomplete": "<https://w3id.org/cybertreaty-kg/id/concept/offence/new-offence>\n    a skos:Concept ;\n    skos:prefLabel \"New\"@en .\n",
    "article-number-duplicate": "x:7bis\n    a ctkg:Article ;\n    ctkg:number \"7\" ;\n    ctkg:order 7 ;\n    ctkg:heading \"Twin\"@en ;\n"
                                "    ctkg:inInstrument <https://w3id.org/cybertreaty-kg/id/instrument/uncc> ;\n    dcterms:source <https://docs.un.org/en/A/RES/79/243> .\n",
    "dangling-reference": "x:7\n    rdfs:seeAlso <https://w3id.org/cybertreaty-kg/id/instrument/nowhere> .\n",
    "undeclared-term": "x:7\n    ctkg:hedding \"Illegal access\"@en .\n",
    "iri-outside-namespaces": "<https://w3id.org/cybertreaty-kg/id/treaty/uncc>\n    rdfs:label \"wrong pattern\"@en .\n",
    "concept-outside-schemes": "x:7\n    ctkg:addresses <https://w3id.org/cybertreaty-kg/id/instrument/uncc> .\n",
    "article-incomplete": "x:99\n    a ctkg:Article ;\n    ctkg:number \"99\" .\n",
    "consent-before-signature": _event("e:FRA-ratification", "Ratification", "uncc", "state:FRA", "2025-10-20"),
    # Germany deposited its ratification on 9 March 2009: an entry into force before that contradicts it
    "entry-into-force-before-consent": _event("b:DEU-entry-into-force", "EntryIntoForceForParty", "budapest", "state:DEU", "2009-01-01"),
    "event-outside-record-period": _event("e:ISL-signature", "Signature", "uncc", "state:ISL", "2030-01-01"),
    "event-incomplete": "e:NOR-signature\n    a ctkg:Signature ;\n    ctkg:party state:NOR .\n",
    "event-duplicate": _event("e:FRA-signature-again", "Signature", "uncc", "state:FRA", "2025-10-25"),
    "record-set-incomplete": "e:second-set\n    a ctkg:ParticipationRecordSet ;\n    ctkg:instrument <https://w3id.org/cybertreaty-kg/id/instrument/uncc> .\n",
    "reported-total-incomplete": "<https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/reported/2026>\n"
                                 "    a ctkg:ReportedTotal ;\n    ctkg:reportedParties 3 .\n",
    "completeness-statement-disagrees": "<https://w3id.org/cybertreaty-kg/id/instrument/new>\n    ctkg:identifier \"new\" ;\n"
                                        "    ctkg:allArticlesModelled true ;\n    ctkg:articleCount 5 .\n",
    "party-unknown": _event("e:acme-signature", "Signature", "uncc", "<https://w3id.org/cybertreaty-kg/id/org/acme>", "2025-10-25"),
}


def test_shipped_graph_passes_every_check(dataset):
    assert run_checks(dataset) == []


def test_every_check_has_a_title_a_message_and_a_broken_example(root):
    checks = load_checks(root)
    assert sorted(c.name for c in checks) == sorted(BROKEN)
    for check in checks:
        assert check.title and check.message and "{subject}" in check.message


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_fires_on_a_broken_record_at_its_line(sources, name):
    (sources / "data" / "broken.ttl").write_text(HEAD + BROKEN[name])
    problems = [p for p in run_checks(load_dataset(sources)) if p.check == name]
    assert problems, name
    assert any(p.file == "data/broken.ttl" and p.line == HEAD.count("\n") + 1 for p in problems), problems
