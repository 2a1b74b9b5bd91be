"""The controlled vocabularies of DESIGN.md (a contract): every code exists exactly once, in the
right scheme, with label, definition and notation, under a grouping."""

from __future__ import annotations

import pytest

from conftest import rows

DESIGN_CODES = {
    "offence": """illegal-access illegal-interception data-interference system-interference misuse-of-devices
        computer-related-forgery computer-related-fraud child-sexual-abuse-material child-grooming
        non-consensual-intimate-images laundering-of-proceeds copyright-infringement racist-xenophobic-material
        racist-xenophobic-threat racist-xenophobic-insult genocide-denial terrorism-related organised-crime-related
        privacy-violation payment-instrument-misuse identity-theft attempt-aiding-abetting corporate-liability
        confidentiality-integrity-availability computer-related content-related intellectual-property""",
    "procedure": """expedited-preservation preservation-partial-disclosure-traffic production-order search-seizure
        real-time-traffic-collection interception-of-content confiscation-of-proceeds witness-protection
        victim-protection conditions-and-safeguards""",
    "cooperation": """mutual-legal-assistance extradition spontaneous-information network-24-7 mla-preservation
        mla-disclosure-preserved-traffic mla-access-stored-data mla-real-time-traffic mla-interception
        transborder-access direct-provider-disclosure domain-registration-information emergency-mutual-assistance
        video-conferencing joint-investigations law-enforcement-cooperation transfer-of-sentenced-persons
        transfer-of-proceedings asset-recovery""",
    "capacity": "technical-assistance training information-exchange prevention development-assistance implementation-review",
    "safeguard": "human-rights data-protection dual-criminality grounds-for-refusal confidentiality-use-limitation sovereignty",
}
CASES = [(scheme, code) for scheme, codes in DESIGN_CODES.items() for code in codes.split()]
ID = "https://w3id.org/cybertreaty-kg/id/concept/"

CONCEPT = """
SELECT ?concept ?label ?definition ?scheme WHERE {
  ?concept skos:notation ?code ; skos:inScheme ?scheme .
  OPTIONAL { ?concept skos:prefLabel ?label FILTER (LANG(?label) = "en") }
  OPTIONAL { ?concept skos:definition ?definition FILTER (LANG(?definition) = "en") }
  FILTER (STR(?code) = ?wanted)
}
"""


@pytest.mark.parametrize(("scheme", "code"), CASES, ids=[f"{s}:{c}" for s, c in CASES])
def test_design_code_exists_once_with_label_definition_scheme(dataset, scheme, code):
    from pyoxigraph import Literal

    found = [r for r in rows(dataset, CONCEPT, wanted=Literal(code)) if r[3] == ID + scheme]
    assert len(found) == 1, f"{scheme}:{code} found {len(found)} times"
    concept, label, definition, _ = found[0]
    assert concept == f"{ID}{scheme}/{code}"
    assert label and definition and len(definition) > 20


def test_groupings_of_design_md_are_broader_concepts(dataset):
    pairs = set(rows(dataset, "SELECT ?n ?b WHERE { ?c skos:notation ?n ; skos:broader/skos:notation ?b }"))
    assert ("illegal-access", "confidentiality-integrity-availability") in pairs
    assert ("computer-related-fraud", "computer-related") in pairs
    assert ("child-sexual-abuse-material", "content-related") in pairs
    assert ("copyright-infringement", "intellectual-property") in pairs


def test_every_leaf_concept_of_the_five_schemes_has_a_broader_top_concept_in_its_scheme(dataset):
    orphans = rows(dataset, """
        SELECT ?c WHERE {
          VALUES ?scheme { ctkg-id:concept\\/offence ctkg-id:concept\\/procedure ctkg-id:concept\\/cooperation
                           ctkg-id:concept\\/capacity ctkg-id:concept\\/safeguard }
          ?c skos:inScheme ?scheme .
          FILTER NOT EXISTS { ?c skos:topConceptOf ?scheme }
          FILTER NOT EXISTS { ?c skos:broader ?top . ?top skos:topConceptOf ?scheme }
        }""")
    assert orphans == []


def test_notations_are_unique_within_each_scheme(dataset):
    duplicates = rows(dataset, """
        SELECT ?scheme ?n (COUNT(?c) AS ?k) WHERE { ?c skos:inScheme ?scheme ; skos:notation ?n }
        GROUP BY ?scheme ?n HAVING (COUNT(?c) > 1)""")
    assert duplicates == []
