"""The ontology header says who, when, which version and licence (FIBO's habit), and the terms
are aligned to ELI, Dublin Core, SKOS and PROV-O rather than reinvented."""

from __future__ import annotations

import cybertreaty_kg

from conftest import rows

ONTOLOGY = "https://w3id.org/cybertreaty-kg/ontology#"


def test_ontology_version_matches_the_package(dataset):
    (version_iri, version, licence, maturity), = rows(dataset, """
        SELECT ?iri ?v ?l ?m WHERE { ?o a owl:Ontology ; owl:versionIRI ?iri ; owl:versionInfo ?v ;
                                        dcterms:license ?l ; ctkg:maturity ?m }""")
    assert version == cybertreaty_kg.__version__
    assert version_iri == f"https://w3id.org/cybertreaty-kg/ontology/{version}/"
    assert licence == "https://creativecommons.org/licenses/by/4.0/"
    assert maturity == "Provisional"


def test_every_object_and_datatype_property_has_a_domain(dataset):
    missing = rows(dataset, """
        SELECT ?p WHERE { VALUES ?t { owl:ObjectProperty owl:DatatypeProperty } ?p a ?t
                          FILTER STRSTARTS(STR(?p), STR(ctkg:)) FILTER NOT EXISTS { ?p rdfs:domain ?d } }""")
    assert missing == []


def test_alignment_to_established_vocabularies(dataset):
    pairs = set(rows(dataset, """
        SELECT ?a ?b WHERE { { ?a rdfs:subClassOf ?b } UNION { ?a rdfs:subPropertyOf ?b }
                             FILTER (STRSTARTS(STR(?a), STR(ctkg:)) && !STRSTARTS(STR(?b), STR(ctkg:))) }"""))
    expected = {
        ("Instrument", "http://data.europa.eu/eli/ontology#LegalResource"),
        ("Provision", "http://data.europa.eu/eli/ontology#LegalResourceSubdivision"),
        ("partOf", "http://data.europa.eu/eli/ontology#is_part_of"),
        ("adoptionDate", "http://data.europa.eu/eli/ontology#date_document"),
        ("addresses", "http://purl.org/dc/terms/subject"),
        ("Agent", "http://www.w3.org/ns/prov#Agent"),
        ("ParticipationEvent", "http://www.w3.org/ns/prov#Activity"),
    }
    assert expected <= {(a.removeprefix(ONTOLOGY), b) for a, b in pairs}


def test_participation_event_kinds_of_design_md_exist(dataset):
    classes = {c.removeprefix(ONTOLOGY) for (c,) in rows(dataset, "SELECT ?c WHERE { ?c rdfs:subClassOf+ ctkg:ParticipationEvent }")}
    assert {"Signature", "Ratification", "Acceptance", "Approval", "Accession", "EntryIntoForceForParty",
            "Denunciation", "ConsentToBeBound"} <= classes
