"""Each instrument at article level: article count and numbering, sample headings, and the
instrument x concept -> articles matrix for offences, procedural powers and cooperation,
written here from the texts (Budapest: the English text in the Dutch treaty database; EU: the
Directive's article list; UNCC: see test_uncc.py for the sources)."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode

from conftest import rows

ID = "https://w3id.org/cybertreaty-kg/id/instrument/"
CONCEPT = "https://w3id.org/cybertreaty-kg/id/concept/"

ARTICLES = {"uncc": [str(n) for n in range(1, 69)], "budapest": [str(n) for n in range(1, 49)],
            "eu-2013-40": [str(n) for n in range(1, 20)], "budapest-p1": [str(n) for n in range(1, 17)],
            "budapest-p2": [str(n) for n in range(1, 26)],
            # Malabo: only the articles whose headings were read (12 of 38; see data/COVERAGE.md)
            "malabo": [str(n) for n in range(1, 39)],
            # Arab Convention: the 20 numbered articles whose subject was read (see data/COVERAGE.md)
            "arab": [str(n) for n in range(1, 44)],
            "cis-2001": ["16", "17"], "cis-2018": ["1"], "sco-2009": ["1"], "ecowas-2011": []}

HEADINGS = {
    ("budapest", "2"): "Illegal access",
    ("budapest", "10"): "Offences related to infringements of copyright and related rights",
    ("budapest", "16"): "Expedited preservation of stored computer data",
    ("budapest", "32"): "Trans-border access to stored computer data with consent or where publicly available",
    ("budapest", "35"): "24/7 Network",
    ("budapest", "42"): "Reservations",
    ("eu-2013-40", "3"): "Illegal access to information systems",
    ("eu-2013-40", "7"): "Tools used for committing offences",
    ("eu-2013-40", "13"): "Exchange of information",
    ("budapest-p1", "6"): "Denial, gross minimisation, approval or justification of genocide or crimes against humanity",
    ("budapest-p1", "12"): "Reservations and declarations",
    ("budapest-p2", "6"): "Request for domain name registration information",
    ("budapest-p2", "7"): "Disclosure of subscriber information",
    ("budapest-p2", "10"): "Emergency mutual assistance",
    ("malabo", "28"): "International cooperation",
    ("malabo", "29"): "Offences specific to Information and Communication Technologies",
    ("malabo", "36"): "Entry into Force",
    ("arab", "15"): "Offences Related to Terrorism Committed by means of information technology",
    ("arab", "43"): "Specialized Body",
    ("cis-2001", "16"): "Duration",
}

MATRIX = {
    "budapest": {
        "offence": {"illegal-access": "2", "illegal-interception": "3", "data-interference": "4", "system-interference": "5",
                    "misuse-of-devices": "6", "computer-related-forgery": "7", "computer-related-fraud": "8",
                    "child-sexual-abuse-material": "9", "copyright-infringement": "10", "attempt-aiding-abetting": "11",
                    "corporate-liability": "12"},
        "procedure": {"scope-of-procedural-measures": "14", "conditions-and-safeguards": "15", "expedited-preservation": "16",
                      "preservation-partial-disclosure-traffic": "17", "production-order": "18", "search-seizure": "19",
                      "real-time-traffic-collection": "20", "interception-of-content": "21"},
        "cooperation": {"general-principles-cooperation": "23", "extradition": "24", "mutual-legal-assistance": "25, 27",
                        "spontaneous-information": "26", "mla-preservation": "29", "mla-disclosure-preserved-traffic": "30",
                        "mla-access-stored-data": "31", "transborder-access": "32", "mla-real-time-traffic": "33",
                        "mla-interception": "34", "network-24-7": "35"},
    },
    "uncc": {
        "offence": {"offences-under-other-un-instruments": "4", "illegal-access": "7", "illegal-interception": "8",
                    "data-interference": "9", "system-interference": "10", "misuse-of-devices": "11",
                    "computer-related-forgery": "12", "computer-related-fraud": "13", "child-sexual-abuse-material": "14",
                    "child-grooming": "15", "non-consensual-intimate-images": "16", "laundering-of-proceeds": "17",
                    "corporate-liability": "18", "attempt-aiding-abetting": "19"},
        "procedure": {"scope-of-procedural-measures": "23", "conditions-and-safeguards": "24", "expedited-preservation": "25",
                      "preservation-partial-disclosure-traffic": "26", "production-order": "27", "search-seizure": "28",
                      "real-time-traffic-collection": "29", "interception-of-content": "30", "confiscation-of-proceeds": "31",
                      "criminal-record": "32", "witness-protection": "33", "victim-protection": "34"},
        "cooperation": {"general-principles-cooperation": "35", "extradition": "37", "transfer-of-sentenced-persons": "38",
                        "transfer-of-proceedings": "39", "mutual-legal-assistance": "40", "network-24-7": "41",
                        "mla-preservation": "42", "mla-disclosure-preserved-traffic": "43", "mla-access-stored-data": "44",
                        "mla-real-time-traffic": "45", "mla-interception": "46", "law-enforcement-cooperation": "47",
                        "joint-investigations": "48", "asset-recovery": "49, 50, 51, 52", "spontaneous-information": "51"},
    },
    "budapest-p1": {
        "offence": {"racist-xenophobic-material": "3", "racist-xenophobic-threat": "4", "racist-xenophobic-insult": "5",
                    "genocide-denial": "6", "attempt-aiding-abetting": "7"},
        "procedure": {},
        "cooperation": {},
    },
    "budapest-p2": {
        "offence": {},
        "procedure": {"conditions-and-safeguards": "13"},
        "cooperation": {"general-principles-cooperation": "4, 5", "domain-registration-information": "6",
                        "direct-provider-disclosure": "7", "cross-border-production-order": "8",
                        "emergency-mutual-assistance": "9, 10", "video-conferencing": "11", "joint-investigations": "12"},
    },
    # Malabo and the Arab Convention are tagged down to the paragraph: their provision-level
    # tables are in test_malabo.py and test_arab.py. The ECOWAS Directive holds no article.
    "eu-2013-40": {
        "offence": {"illegal-access": "3", "system-interference": "4", "data-interference": "5", "illegal-interception": "6",
                    "misuse-of-devices": "7", "attempt-aiding-abetting": "8", "corporate-liability": "10, 11"},
        "procedure": {},
        "cooperation": {"network-24-7": "13"},
    },
}

COVERAGE = """
SELECT ?code (GROUP_CONCAT(?n; separator=" ") AS ?articles) WHERE {
  ?article a ctkg:Article ; ctkg:inInstrument ?instrument ; ctkg:number ?n ; ctkg:addresses ?concept .
  ?concept skos:inScheme ?scheme ; skos:notation ?code .
} GROUP BY ?code
"""


@pytest.mark.parametrize("instrument", sorted(ARTICLES))
def test_article_count_and_numbering(dataset, instrument):
    found = rows(dataset, "SELECT ?n WHERE { ?a a ctkg:Article ; ctkg:inInstrument ?i ; ctkg:number ?n ; ctkg:order ?o } ORDER BY ?o",
                 i=NamedNode(ID + instrument))
    assert [n for (n,) in found] == ARTICLES[instrument]


@pytest.mark.parametrize(("instrument", "article"), sorted(HEADINGS))
def test_sample_headings(dataset, instrument, article):
    found = rows(dataset, 'SELECT ?h WHERE { ?a a ctkg:Article ; ctkg:inInstrument ?i ; ctkg:number ?n ; ctkg:heading ?h FILTER (LANG(?h) = "en") }',
                 i=NamedNode(ID + instrument), n=Literal(article))
    assert found == [(HEADINGS[(instrument, article)],)]


@pytest.mark.parametrize(("instrument", "scheme"), [(i, s) for i in sorted(MATRIX) for s in ("offence", "procedure", "cooperation")])
def test_coverage_matrix_matches_the_texts(dataset, instrument, scheme):
    found = rows(dataset, COVERAGE, instrument=NamedNode(ID + instrument), scheme=NamedNode(CONCEPT + scheme))
    got = {code: ", ".join(sorted(articles.split(), key=int)) for code, articles in found}
    assert got == MATRIX[instrument][scheme]


def test_budapest_is_open_by_invitation_and_in_force_since_1_july_2004(dataset):
    found = rows(dataset, """SELECT ?scope ?eif ?n ?months WHERE { ?b ctkg:membershipScope/skos:notation ?scope ; ctkg:entryIntoForceDate ?eif ;
                                 ctkg:entryIntoForceRule [ ctkg:consentsRequired ?n ; ctkg:delayMonths ?months ] }""",
                 b=NamedNode(ID + "budapest"))
    assert found == [("open-by-invitation", "2004-07-01", "5", "3")]


def test_budapest_declarations_are_those_of_art40(dataset):
    # 6(1)(b) and 9(3) are held at article level; 27(9)(e) is an item of its own
    found = rows(dataset, """SELECT ?c WHERE { ?a ctkg:inInstrument ?b ; ctkg:citation ?c ; ctkg:declarationPermittedBy/ctkg:number "40" }""",
                 b=NamedNode(ID + "budapest"))
    assert sorted(c for (c,) in found) == ["2", "27(9)(e)", "3", "6", "7", "9"]


def test_eu_directive_has_no_chapters_and_is_a_directive(dataset):
    found = rows(dataset, "SELECT ?t WHERE { ?d a ?t FILTER STRSTARTS(STR(?t), STR(ctkg:)) }", d=NamedNode(ID + "eu-2013-40"))
    assert found == [("https://w3id.org/cybertreaty-kg/ontology#Directive",)]
    assert rows(dataset, "SELECT ?c WHERE { ?c a ctkg:Chapter ; ctkg:inInstrument ?d }", d=NamedNode(ID + "eu-2013-40")) == []


def test_malabo_offence_sub_headings_of_art29(dataset):
    """Art. 29's numbered sub-headings, read on the AU text scan (pages 32-34)."""
    found = rows(dataset, """
        SELECT ?p ?h WHERE { ?x a ctkg:Paragraph ; ctkg:partOf ?a ; ctkg:number ?p ; ctkg:heading ?h .
                             ?a ctkg:inInstrument ?m ; ctkg:number "29" } ORDER BY ?p""", m=NamedNode(ID + "malabo"))
    assert found == [("1", "Attacks on computer systems"), ("2", "Computerized Data Breaches"), ("3", "Content related offences"),
                     ("4", "Offences relating to electronic message security measures")]


def test_malabo_art28_2_is_mutual_legal_assistance(dataset):
    found = rows(dataset, """SELECT ?h ?code WHERE { ?x ctkg:partOf ?a ; ctkg:number "2" ; ctkg:heading ?h ; ctkg:addresses/skos:notation ?code .
                                                   ?a ctkg:inInstrument ?m ; ctkg:number "28" } ORDER BY ?code""", m=NamedNode(ID + "malabo"))
    # in conformity with double criminal liability, as the sub-heading's text says
    assert found == [("Mutual legal assistance", "dual-criminality"), ("Mutual legal assistance", "mutual-legal-assistance")]


def test_protocols_are_protocols_to_budapest(dataset):
    found = rows(dataset, "SELECT ?p WHERE { ?p ctkg:protocolTo ?b } ORDER BY ?p", b=NamedNode(ID + "budapest"))
    assert found == [(ID + "budapest-p1",), (ID + "budapest-p2",)]


def test_arab_convention_terrorism_offence_is_art15(dataset):
    found = rows(dataset, "SELECT ?n WHERE { ?a ctkg:inInstrument ?i ; ctkg:citation ?n ; ctkg:citedFor offence:terrorism-related }"
                 .replace("offence:", "ctkg-id:concept\\/offence\\/"), i=NamedNode(ID + "arab"))
    assert found == [("15",)]


def test_headings_keep_the_language_they_were_read_in(dataset):
    found = rows(dataset, """SELECT ?h WHERE { ?a ctkg:inInstrument ?i ; ctkg:number "43" ; ctkg:heading ?h FILTER (LANG(?h) = "ar") }""",
                 i=NamedNode(ID + "arab"))
    assert found == [("جهاز متخصص",)]
    found = rows(dataset, """SELECT ?h WHERE { ?a ctkg:inInstrument ?i ; ctkg:number "17" ; ctkg:heading ?h FILTER (LANG(?h) = "ru") }""",
                 i=NamedNode(ID + "cis-2001"))
    assert found == [("Заключительные положения",)]


def test_instrument_kinds_and_organisations(dataset):
    found = dict(rows(dataset, """SELECT ?id (CONCAT(STRAFTER(STR(?t), "#"), " ", ?org) AS ?k) WHERE {
        ?i ctkg:identifier ?id ; a ?t ; ctkg:organisation/skos:notation ?org FILTER STRSTARTS(STR(?t), STR(ctkg:)) }"""))
    assert found == {"uncc": "Convention un", "budapest": "Convention coe", "budapest-p1": "Protocol coe", "budapest-p2": "Protocol coe",
                     "malabo": "Convention au", "arab": "Convention las", "cis-2001": "Agreement cis", "cis-2018": "Agreement cis",
                     "sco-2009": "Agreement sco", "ecowas-2011": "Directive ecowas", "eu-2013-40": "Directive eu"}


def test_named_graphs_are_exactly_one_per_source_file_plus_the_generated_ones(dataset):
    graphs = sorted(g.removeprefix("https://w3id.org/cybertreaty-kg/graph/") for g in dataset.counts)
    instruments = ["arab", "budapest", "budapest-p1", "budapest-p2", "cis-2001", "cis-2018", "ecowas-2011", "eu-2013-40", "malabo",
                   "sco-2009", "uncc"]
    expected = ([f"data/instruments/{i}" for i in instruments]
                + [f"data/mappings/uncc-{x}" for x in ("arab", "budapest", "budapest-p2", "malabo")] + ["data/organisations"]
                + [f"data/memberships/{o}" for o in ("au", "cis", "coe", "ecowas", "eu", "las", "sco")]
                + [f"data/parties/{i}" for i in ("arab", "budapest", "budapest-p1", "budapest-p2", "cis-2001", "cis-2018", "malabo",
                                                 "sco-2009", "states", "uncc")]
                + ["derived/entry-into-force", "derived/structure"]
                + [f"ontology/concepts/{s}" for s in ("capacity", "cooperation", "final-clause", "general", "modality", "offence",
                                                     "procedure", "safeguard", "scope", "verification")] + ["ontology/cybertreaty"]
                + ["shapes/core", "shapes/rules"])
    assert graphs == sorted(expected)


def test_identifiers_the_treaty_offices_give(dataset):
    """CoE treaty numbers from the Treaty Office's treaty pages (treatynum=185, 189, 224), the UN
    Treaty Collection's XVIII-16 (its MTDSG page for the Convention), the CELEX number and ELI of
    the Directive (EUR-Lex). No Wikidata item could be checked against a source: none is recorded."""
    found = {(i.rsplit("/", 1)[-1], p.rsplit("#", 1)[-1], v) for i, p, v in rows(dataset,
             "SELECT ?i ?p ?v WHERE { VALUES ?p { ctkg:coeTreatyNumber ctkg:untcReference ctkg:celexNumber owl:sameAs } ?i ?p ?v }")}
    assert found == {("budapest", "coeTreatyNumber", "185"), ("budapest-p1", "coeTreatyNumber", "189"),
                     ("budapest-p2", "coeTreatyNumber", "224"), ("uncc", "untcReference", "XVIII-16"),
                     ("eu-2013-40", "celexNumber", "32013L0040"),
                     ("eu-2013-40", "sameAs", "http://data.europa.eu/eli/dir/2013/40/oj")}
