"""The African Union Malabo Convention, checked against its English text.

Expected values come from the AU text EX.CL/846(XXV) (40 pages), read in the copy at
atwine/Africa-Policy-Lens, docs/au_malabo_convention.pdf, commit 17d959de: headings as printed,
the four chapters and ten sections, the numbered sub-headings of Chapter III (arts 24-31) and
their lettered items, and the final provisions (arts 32-38, no reservation clause).
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from conftest import rows

MALABO = NamedNode("https://w3id.org/cybertreaty-kg/id/instrument/malabo")
CONCEPT = "https://w3id.org/cybertreaty-kg/id/concept/"


def test_malabo_has_articles_1_to_38_in_order_and_says_it_is_whole(dataset):
    found = rows(dataset, """SELECT ?n ?o WHERE { ?a a ctkg:Article ; ctkg:inInstrument ?m ; ctkg:number ?n ; ctkg:order ?o ;
                                                  ctkg:heading ?h } ORDER BY ?o""", m=MALABO)
    assert [n for n, _ in found] == [str(n) for n in range(1, 39)]
    assert [int(o) for _, o in found] == list(range(1, 39))
    stated = rows(dataset, "SELECT ?c ?all WHERE { ?m ctkg:articleCount ?c ; ctkg:allArticlesModelled ?all }", m=MALABO)
    assert stated == [("38", "true")]
    schemes = {s.rsplit("/", 1)[-1] for (s,) in rows(dataset, "SELECT ?s WHERE { ?m ctkg:subjectsCompleteFor ?s }", m=MALABO)}
    assert schemes == {"offence", "procedure", "cooperation", "capacity"}


HEADINGS = {  # as printed in EX.CL/846(XXV)
    1: "Definitions",
    2: "Scope of application of electronic commerce",
    3: "Contractual liability of the provider of goods and services by electronic means",
    4: "Advertising by electronic means",
    7: "Ensuring the Security of Electronic Transactions",
    9: "Scope of application of the Convention",
    11: "Status, composition and organization of National Personal Data Protection Authorities",
    14: "Specific principles for the processing of sensitive data",
    19: "Right of rectification or erasure",
    23: "Sustainability obligations",
    27: "National cyber security monitoring structures",
    30: "Adapting certain offences to Information and Communication Technologies",
    31: "Adapting certain sanctions to Information and Communication Technologies",
    32: "Measures to be taken at the level of the African Union",
    33: "Safeguard Provisions",
    35: "Signature, Ratification or Accession",
    36: "Entry into Force",
    38: "Depository",
}


def test_malabo_sample_headings_as_printed(dataset):
    found = dict(rows(dataset, "SELECT ?n ?h WHERE { ?a a ctkg:Article ; ctkg:inInstrument ?m ; ctkg:number ?n ; ctkg:heading ?h }", m=MALABO))
    for number, heading in HEADINGS.items():
        assert found[str(number)] == heading, number


CHAPTERS = {"I": ("Electronic transactions", range(2, 8)), "II": ("Personal data protection", range(8, 24)),
            "III": ("Promoting cyber security and combating cybercrime", range(24, 32)), "IV": ("Final provisions", range(32, 39))}
SECTIONS = {  # (chapter, section) -> (heading, articles)
    ("I", "I"): ("Electronic Commerce", range(2, 5)),
    ("I", "II"): ("Contractual Obligations in Electronic Form", range(5, 7)),
    ("I", "III"): ("Security of Electronic Transactions", range(7, 8)),
    ("II", "I"): ("Personal data protection", range(8, 11)),
    ("II", "II"): ("Institutional framework for the protection of personal data", range(11, 13)),
    ("II", "III"): ("Obligations relating to conditions governing personal data processing", range(13, 16)),
    ("II", "IV"): ("The Data Subjects' Rights", range(16, 20)),
    ("II", "V"): ("Obligations of the Personal Data Controller", range(20, 24)),
    ("III", "I"): ("Cyber Security Measures to be taken at National Level", range(24, 29)),
    ("III", "II"): ("Criminal Provisions", range(29, 32)),
}


def test_malabo_chapters_and_their_articles(dataset):
    found = rows(dataset, "SELECT ?n ?h WHERE { ?c a ctkg:Chapter ; ctkg:inInstrument ?m ; ctkg:number ?n ; ctkg:heading ?h ; ctkg:order ?o } ORDER BY ?o", m=MALABO)
    assert found == [(n, h) for n, (h, _) in CHAPTERS.items()]
    of = dict(rows(dataset, "SELECT ?a ?c WHERE { ?x a ctkg:Article ; ctkg:inInstrument ?m ; ctkg:number ?a ; ctkg:inChapter/ctkg:number ?c }", m=MALABO))
    assert "1" not in of  # art. 1 stands before Chapter I
    assert rows(dataset, "SELECT ?p WHERE { ?x ctkg:inInstrument ?m ; ctkg:number \"1\" ; a ctkg:Article ; ctkg:partOf ?p }", m=MALABO) == [(MALABO.value,)]
    for chapter, (_, arts) in CHAPTERS.items():
        assert {n for n, c in of.items() if c == chapter} == {str(a) for a in arts}, chapter


def test_malabo_ten_sections_with_headings_and_articles(dataset):
    found = rows(dataset, """SELECT ?c ?n ?h ?o WHERE { ?s a ctkg:Section ; ctkg:inInstrument ?m ; ctkg:number ?n ; ctkg:heading ?h ;
                                                      ctkg:order ?o ; ctkg:inChapter/ctkg:number ?c } ORDER BY ?o""", m=MALABO)
    assert [(c, n, h) for c, n, h, _ in found] == [(c, n, h) for (c, n), (h, _) in SECTIONS.items()]
    members = rows(dataset, """SELECT ?c ?s ?a WHERE { ?x a ctkg:Article ; ctkg:inInstrument ?m ; ctkg:number ?a ; ctkg:inSection ?sec ; ctkg:partOf ?sec .
                                                       ?sec ctkg:number ?s ; ctkg:inChapter/ctkg:number ?c }""", m=MALABO)
    got = {}
    for c, s, a in members:
        got.setdefault((c, s), set()).add(a)
    assert got == {key: {str(a) for a in arts} for key, (_, arts) in SECTIONS.items()}
    # Chapter IV has no sections: its articles sit in the chapter
    parts = rows(dataset, """SELECT ?a WHERE { ?x a ctkg:Article ; ctkg:inInstrument ?m ; ctkg:number ?a ; ctkg:partOf ?c . ?c a ctkg:Chapter }""", m=MALABO)
    assert {a for (a,) in parts} == {str(n) for n in range(32, 39)}


SUB_HEADINGS = {  # arts 24-31: numbered sub-headings as printed
    "24(1)": "National policy", "24(2)": "National strategy",
    "25(1)": "Legislation against cybercrime", "25(2)": "National Regulatory Authorities", "25(3)": "Rights of citizens",
    "25(4)": "Protection of critical infrastructure",
    "26(1)": "Culture of Cyber Security", "26(2)": "Role of Governments", "26(3)": "Public-Private Partnership", "26(4)": "Education and training",
    "27(1)": "Cyber security governance", "27(2)": "Institutional framework",
    "28(1)": "Harmonization", "28(2)": "Mutual legal assistance", "28(3)": "Exchange of information", "28(4)": "Means of cooperation",
    "29(1)": "Attacks on computer systems", "29(2)": "Computerized Data Breaches", "29(3)": "Content related offences",
    "29(4)": "Offences relating to electronic message security measures",
    "30(1)": "Property Offences", "30(2)": "Criminal liability for legal persons",
    "31(1)": "Criminal Sanctions", "31(2)": "Other criminal sanctions", "31(3)": "Procedural law",
}
ITEMS = ({f"26(1)({x})" for x in "ab"} | {f"29(1)({x})" for x in "abcdefgh"} | {f"29(2)({x})" for x in "abcdef"}
         | {"29(3)(1)", "29(3)(2)", "29(3)(3)"} | {f"29(3)(1)({x})" for x in "abcdefgh"} | {f"30(1)({x})" for x in "abcd"}
         | {f"31(1)({x})" for x in "abc"} | {f"31(2)({x})" for x in "abc"} | {f"31(3)({x})" for x in "abcde"})


def _provisions(dataset, articles):
    found = rows(dataset, """SELECT ?cite ?n WHERE { ?p ctkg:inInstrument ?m ; ctkg:citation ?cite ; ctkg:inArticle/ctkg:number ?n .
                                                    FILTER NOT EXISTS { ?p a ctkg:Article } }""", m=MALABO)
    return {c for c, n in found if int(n) in articles}


def test_malabo_chapter_iii_sub_headings_and_items_exactly(dataset):
    assert _provisions(dataset, range(24, 32)) == set(SUB_HEADINGS) | ITEMS
    found = dict(rows(dataset, """SELECT ?cite ?h WHERE { ?p a ctkg:Paragraph ; ctkg:inInstrument ?m ; ctkg:citation ?cite ; ctkg:heading ?h }""", m=MALABO))
    assert {c: h for c, h in found.items() if int(c.split("(")[0]) in range(24, 32)} == SUB_HEADINGS


def test_malabo_final_provisions_paragraphs(dataset):
    assert _provisions(dataset, range(32, 39)) == {"34(1)", "34(2)"} | {f"37({n})" for n in range(1, 6)} | {f"38({n})" for n in range(1, 7)}
    assert _provisions(dataset, range(1, 24)) == set()  # chapters I and II at article level


CONCEPTS = {  # offence, procedure and cooperation concepts per provision (and the key capacity ones), from the text
    "25(3)": {"procedure/conditions-and-safeguards", "safeguard/human-rights"},
    "28": {"cooperation/general-principles-cooperation"},
    "28(1)": {"cooperation/general-principles-cooperation", "safeguard/dual-criminality"},
    "28(2)": {"cooperation/mutual-legal-assistance", "safeguard/dual-criminality"},
    "28(3)": {"capacity/information-exchange"},
    "28(4)": {"cooperation/general-principles-cooperation"},
    "29(1)(a)": {"offence/illegal-access", "offence/attempt-aiding-abetting"},
    "29(1)(b)": {"offence/illegal-access", "offence/attempt-aiding-abetting"},
    "29(1)(c)": {"offence/illegal-access", "offence/attempt-aiding-abetting"},
    "29(1)(d)": {"offence/system-interference", "offence/attempt-aiding-abetting"},
    "29(1)(e)": {"offence/data-interference", "offence/attempt-aiding-abetting"},
    "29(1)(f)": {"offence/data-interference", "offence/attempt-aiding-abetting"},
    "29(1)(g)": {"capacity/prevention", "capacity/security-research"},
    "29(1)(h)": {"offence/misuse-of-devices"},
    "29(2)(a)": {"offence/illegal-interception", "offence/attempt-aiding-abetting"},
    "29(2)(b)": {"offence/computer-related-forgery"},
    "29(2)(c)": {"offence/use-of-unlawfully-obtained-data"},
    "29(2)(d)": {"offence/computer-related-fraud"},
    "29(2)(e)": {"offence/privacy-violation"},
    "29(2)(f)": {"offence/attempt-aiding-abetting"},
    "29(3)(1)(a)": {"offence/child-sexual-abuse-material"},
    "29(3)(1)(b)": {"offence/child-sexual-abuse-material"},
    "29(3)(1)(c)": {"offence/child-sexual-abuse-material"},
    "29(3)(1)(d)": {"offence/exposing-minors-to-pornography"},
    "29(3)(1)(e)": {"offence/racist-xenophobic-material"},
    "29(3)(1)(f)": {"offence/racist-xenophobic-threat"},
    "29(3)(1)(g)": {"offence/racist-xenophobic-insult"},
    "29(3)(1)(h)": {"offence/genocide-denial"},
    "29(3)(2)": {"general/implementation-measures", "general/sanctions"},
    "29(3)(3)": {"procedure/confiscation-of-proceeds"},
    "29(4)": {"procedure/electronic-evidence-admissibility"},
    "30(1)(a)": {"offence/computer-related-fraud"},
    "30(1)(b)": {"general/sanctions"},
    "30(1)(c)": {"offence/online-public-dissemination"},
    "30(1)(d)": {"offence/illegal-access"},
    "30(2)": {"offence/corporate-liability"},
    "31(1)(c)": {"general/sanctions", "offence/corporate-liability"},
    "31(2)(c)": {"general/sanctions", "offence/privacy-violation"},
    "31(3)(a)": {"procedure/search-seizure"},
    "31(3)(b)": {"procedure/search-seizure"},
    "31(3)(c)": {"procedure/scope-of-procedural-measures"},
    "31(3)(d)": {"procedure/expedited-preservation", "procedure/confidentiality-of-measures"},
    "31(3)(e)": {"procedure/interception-of-content"},
    "36": {"final-clause/entry-into-force"},
    "38": {"final-clause/depositary-languages"},
    "38(2)": {"final-clause/denunciation"},
}


def _concepts(dataset) -> dict[str, set[str]]:
    found = {}
    for cite, concept in rows(dataset, "SELECT ?cite ?c WHERE { ?p ctkg:inInstrument ?m ; ctkg:citation ?cite ; ctkg:addresses ?c }", m=MALABO):
        found.setdefault(cite, set()).add(concept.removeprefix(CONCEPT))
    return found


def test_malabo_concepts_per_provision(dataset):
    found = _concepts(dataset)
    for cite, concepts in CONCEPTS.items():
        assert found.get(cite, set()) == concepts, cite
    # every offence, procedure and cooperation tag of the instrument is in the table above
    tagged = {(c, x) for c, xs in found.items() for x in xs if x.split("/")[0] in ("offence", "procedure", "cooperation")}
    assert tagged == {(c, x) for c, xs in CONCEPTS.items() for x in xs if x.split("/")[0] in ("offence", "procedure", "cooperation")}


MODALITY = {"2": "mandatory", "15": "best-efforts", "26(1)(a)": "mandatory", "26(1)(b)": "optional", "28(2)": "best-efforts",
            "28(3)": "best-efforts", "29(1)(a)": "mandatory", "31(3)(d)": "mandatory", "34(1)": "mandatory", "34(2)": "best-efforts",
            "37(1)": "optional", "38(2)": "optional", "1": None, "9": None, "36": None}


def test_malabo_modality_sample(dataset):
    found = dict(rows(dataset, "SELECT ?cite ?mod WHERE { ?p ctkg:inInstrument ?m ; ctkg:citation ?cite ; ctkg:modality ?mod }", m=MALABO))
    for cite, modality in MODALITY.items():
        assert (found[cite].rsplit("/", 1)[-1] if cite in found else None) == modality, cite


def test_malabo_cross_references_and_entry_into_force(dataset):
    refs = set(rows(dataset, """SELECT ?from ?to WHERE { ?p ctkg:inInstrument ?m ; ctkg:citation ?from ; ctkg:refersTo/ctkg:citation ?to }""", m=MALABO))
    assert refs == {("4", "3"), ("5", "2"), ("6", "1"), ("10", "9"), ("10", "15"), ("15", "10"), ("37(5)", "36")}
    rule = rows(dataset, "SELECT ?n ?d ?a WHERE { ?m ctkg:entryIntoForceRule ?r . ?r ctkg:consentsRequired ?n ; ctkg:delayDays ?d ; ctkg:setOutIn/ctkg:number ?a }", m=MALABO)
    assert rule == [("15", "30", "36")]


def test_malabo_has_no_reservation_clause(dataset):
    assert rows(dataset, "SELECT ?p WHERE { ?p ctkg:inInstrument ?m ; ctkg:reservationPermittedBy ?x }", m=MALABO) == []
    assert rows(dataset, "SELECT ?p WHERE { ?p ctkg:inInstrument ?m ; ctkg:addresses <https://w3id.org/cybertreaty-kg/id/concept/final-clause/reservations> }", m=MALABO) == []


def test_malabo_crosswalk_rows(dataset, root: Path):
    table = (root / "data" / "mappings" / "uncc-malabo.sssom.tsv").read_text(encoding="utf-8").splitlines()
    data = [line.split("\t") for line in table if line and not line.startswith("#")][1:]
    assert len(data) == 38
    assert all(len(r) == 8 and r[5] == "semapv:ManualMappingCuration" and r[6] == "cybertreaty-kg contributors" and r[7] for r in data)
    pairs = {(r[0], r[2].split(":")[1], r[3]) for r in data}
    assert ("uncc:7", "closeMatch", "malabo:29/para/1/item/a") in pairs
    assert ("uncc:40", "closeMatch", "malabo:28/para/2") in pairs
    assert ("uncc:67", "closeMatch", "malabo:38/para/2") in pairs
    n = rows(dataset, """SELECT (COUNT(?x) AS ?n) WHERE { ?x a ctkg:ArticleMapping ; ctkg:inMappingSet ?s FILTER STRENDS(STR(?s), "/uncc-malabo") }""")
    assert n == [("38",)]
