"""The UN Convention against Cybercrime, checked against what the sources say.

Expected values come from the English text of A/RES/79/243 (the Convention as adopted, with its
interpretative notes: headings, chapters, paragraphs, the clauses on reservations and
notifications), the UN Treaty Collection status page (XVIII-16: adoption, signature period,
entry-into-force rule, depositary) and the Arabic authentic text (the 'serious crime' definition
in art. 2(h)).
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from conftest import rows

UNCC = NamedNode("https://w3id.org/cybertreaty-kg/id/instrument/uncc")
ART = "https://w3id.org/cybertreaty-kg/id/instrument/uncc/art/"
CONCEPT = "https://w3id.org/cybertreaty-kg/id/concept/"

ARTICLES = """
SELECT ?number ?order ?heading ?chapter WHERE {
  ?article a ctkg:Article ; ctkg:inInstrument ?uncc ; ctkg:number ?number ; ctkg:order ?order ; ctkg:heading ?heading ;
           ctkg:inChapter/ctkg:number ?chapter .
} ORDER BY ?order
"""
# Chapter -> (first, last) article, c4ir.vn and the Arabic text (Chapter II opens at art. 7).
CHAPTERS = {"I": (1, 6), "II": (7, 21), "III": (22, 22), "IV": (23, 34), "V": (35, 52), "VI": (53, 53),
            "VII": (54, 56), "VIII": (57, 58), "IX": (59, 68)}


def _articles(dataset):
    return rows(dataset, ARTICLES, uncc=UNCC)


def test_uncc_has_articles_1_to_68_in_order_each_with_heading_and_chapter(dataset):
    found = _articles(dataset)
    assert [r[0] for r in found] == [str(n) for n in range(1, 69)]
    assert [int(r[1]) for r in found] == list(range(1, 69))
    assert all(r[2].strip() for r in found)


def test_uncc_articles_sit_in_the_nine_chapters(dataset):
    found = {int(r[0]): r[3] for r in _articles(dataset)}
    for chapter, (first, last) in CHAPTERS.items():
        assert {found[n] for n in range(first, last + 1)} == {chapter}, chapter
    names = rows(dataset, "SELECT ?n ?h WHERE { ?c a ctkg:Chapter ; ctkg:inInstrument ?u ; ctkg:number ?n ; ctkg:heading ?h ; ctkg:order ?o } ORDER BY ?o", u=UNCC)
    assert [n for n, _ in names] == list(CHAPTERS)
    assert dict(names)["II"] == "Criminalization" and dict(names)["V"] == "International cooperation"


HEADINGS = {  # A/RES/79/243, annex: article -> (chapter, heading as printed)
    1: ("I", "Statement of purpose"),
    2: ("I", "Use of terms"),
    3: ("I", "Scope of application"),
    4: ("I", "Offences established in accordance with other United Nations conventions and protocols"),
    5: ("I", "Protection of sovereignty"),
    6: ("I", "Respect for human rights"),
    7: ("II", "Illegal access"),
    8: ("II", "Illegal interception"),
    9: ("II", "Interference with electronic data"),
    10: ("II", "Interference with an information and communications technology system"),
    11: ("II", "Misuse of devices"),
    12: ("II", "Information and communications technology system-related forgery"),
    13: ("II", "Information and communications technology system-related theft or fraud"),
    14: ("II", "Offences related to online child sexual abuse or child sexual exploitation material"),
    15: ("II", "Solicitation or grooming for the purpose of committing a sexual offence against a child"),
    16: ("II", "Non-consensual dissemination of intimate images"),
    17: ("II", "Laundering of proceeds of crime"),
    18: ("II", "Liability of legal persons"),
    19: ("II", "Participation and attempt"),
    20: ("II", "Statute of limitations"),
    21: ("II", "Prosecution, adjudication and sanctions"),
    22: ("III", "Jurisdiction"),
    23: ("IV", "Scope of procedural measures"),
    24: ("IV", "Conditions and safeguards"),
    25: ("IV", "Expedited preservation of stored electronic data"),
    26: ("IV", "Expedited preservation and partial disclosure of traffic data"),
    27: ("IV", "Production order"),
    28: ("IV", "Search and seizure of stored electronic data"),
    29: ("IV", "Real-time collection of traffic data"),
    30: ("IV", "Interception of content data"),
    31: ("IV", "Freezing, seizure and confiscation of the proceeds of crime"),
    32: ("IV", "Establishment of criminal record"),
    33: ("IV", "Protection of witnesses"),
    34: ("IV", "Assistance to and protection of victims"),
    35: ("V", "General principles of international cooperation"),
    36: ("V", "Protection of personal data"),
    37: ("V", "Extradition"),
    38: ("V", "Transfer of sentenced persons"),
    39: ("V", "Transfer of criminal proceedings"),
    40: ("V", "General principles and procedures relating to mutual legal assistance"),
    41: ("V", "24/7 network"),
    42: ("V", "International cooperation for the purpose of expedited preservation of stored electronic data"),
    43: ("V", "International cooperation for the purpose of expedited disclosure of preserved traffic data"),
    44: ("V", "Mutual legal assistance in accessing stored electronic data"),
    45: ("V", "Mutual legal assistance in the real-time collection of traffic data"),
    46: ("V", "Mutual legal assistance in the interception of content data"),
    47: ("V", "Law enforcement cooperation"),
    48: ("V", "Joint investigations"),
    49: ("V", "Mechanisms for the recovery of property through international cooperation in confiscation"),
    50: ("V", "International cooperation for the purposes of confiscation"),
    51: ("V", "Special cooperation"),
    52: ("V", "Return and disposal of confiscated proceeds of crime or property"),
    53: ("VI", "Preventive measures"),
    54: ("VII", "Technical assistance and capacity-building"),
    55: ("VII", "Exchange of information"),
    56: ("VII", "Implementation of the Convention through economic development and technical assistance"),
    57: ("VIII", "Conference of the States Parties to the Convention"),
    58: ("VIII", "Secretariat"),
    59: ("IX", "Implementation of the Convention"),
    60: ("IX", "Effects of the Convention"),
    61: ("IX", "Relation with protocols"),
    62: ("IX", "Adoption of supplementary protocols"),
    63: ("IX", "Settlement of disputes"),
    64: ("IX", "Signature, ratification, acceptance, approval and accession"),
    65: ("IX", "Entry into force"),
    66: ("IX", "Amendment"),
    67: ("IX", "Denunciation"),
    68: ("IX", "Depositary and languages"),
}


def test_uncc_headings_and_chapters_are_those_printed_in_the_official_text(dataset):
    found = {int(r[0]): (r[3], r[2]) for r in _articles(dataset)}
    assert found == HEADINGS


def _concepts(dataset, article: int) -> set[str]:
    found = rows(dataset, "SELECT ?c WHERE { ?a ctkg:addresses ?c }", a=NamedNode(f"{ART}{article}"))
    return {c.removeprefix(CONCEPT) for (c,) in found}


def test_uncc_art41_is_the_24_7_network(dataset):
    assert _concepts(dataset, 41) == {"cooperation/network-24-7"}


def test_uncc_art25_is_expedited_preservation_of_stored_data(dataset):
    assert _concepts(dataset, 25) == {"procedure/expedited-preservation"}


def test_uncc_art6_is_the_human_rights_article(dataset):
    assert _concepts(dataset, 6) == {"safeguard/human-rights"}


def test_uncc_core_offences_are_articles_7_to_16(dataset):
    expected = {7: "illegal-access", 8: "illegal-interception", 9: "data-interference", 10: "system-interference",
                11: "misuse-of-devices", 12: "computer-related-forgery", 13: "computer-related-fraud",
                14: "child-sexual-abuse-material", 15: "child-grooming", 16: "non-consensual-intimate-images"}
    for article, code in expected.items():
        assert _concepts(dataset, article) == {f"offence/{code}"}, article


def test_uncc_entry_into_force_rule_is_90_days_after_the_40th_consent(dataset):
    found = rows(dataset, """
        SELECT ?n ?days ?separately ?article ?para WHERE {
          ?u ctkg:entryIntoForceRule ?rule .
          ?rule ctkg:consentsRequired ?n ; ctkg:delayDays ?days ; ctkg:regionalOrganisationCountsSeparately ?separately ;
                ctkg:setOutIn ?p . ?p ctkg:number ?para ; ctkg:partOf/ctkg:number ?article }""", u=UNCC)
    assert found == [("40", "90", "false", "65", "1")]


def test_uncc_serious_crime_threshold_is_four_years_in_art_2h(dataset):
    found = rows(dataset, """
        SELECT ?term ?years ?article ?para WHERE {
          ?u ctkg:threshold ?t . ?t ctkg:thresholdTerm ?term ; ctkg:minimumPenaltyYears ?years ; ctkg:setOutIn ?p .
          ?p ctkg:number ?para ; ctkg:partOf/ctkg:number ?article }""", u=UNCC)
    assert [(t, float(y), a, p) for t, y, a, p in found] == [("serious crime", 4.0, "2", "h")]


def test_uncc_adoption_signature_and_depositary_match_the_treaty_collection(dataset):
    found = rows(dataset, """
        SELECT ?adopted ?act ?opened ?closes ?depositary ?scope WHERE {
          ?u ctkg:adoptionDate ?adopted ; ctkg:adoptionAct ?act ; ctkg:openingForSignatureDate ?opened ;
             ctkg:signatureClosingDate ?closes ; ctkg:depositary/rdfs:label ?depositary ; ctkg:membershipScope/skos:notation ?scope }""", u=UNCC)
    assert found == [("2024-12-24", "A/RES/79/243", "2025-10-25", "2026-12-31", "Secretary-General of the United Nations", "global")]
    places = {p for (p,) in rows(dataset, "SELECT ?p WHERE { ?u ctkg:signaturePlace ?p }", u=UNCC)}
    assert places == {"Hanoi", "New York"}


def test_uncc_is_not_recorded_as_in_force(dataset):
    """No entry-into-force date: the sources seen (UNTC, 2026) show far fewer than 40 consents."""
    assert rows(dataset, "SELECT ?d WHERE { ?u ctkg:entryIntoForceDate ?d }", u=UNCC) == []


def test_every_uncc_article_is_verified_against_the_official_text(dataset):
    found = rows(dataset, """
        SELECT ?n ?status ?source ?read WHERE {
          ?a a ctkg:Article ; ctkg:inInstrument ?u ; ctkg:number ?n ; dcterms:source ?source ; ctkg:verification/skos:notation ?status ;
             prov:wasDerivedFrom ?read }""", u=UNCC)
    assert len(found) == 68
    assert {(status, source, read) for _, status, source, read in found} == {
        ("verified", "https://docs.un.org/en/A/RES/79/243",
         "https://github.com/wannli/un-docs-downloader/blob/3be1f80d48fec8cc764b8108502a7be67bd32a68/data/extracted/A_RES_79_243.json")}


PARAGRAPHS = """
SELECT ?article (COUNT(?p) AS ?n) WHERE { ?p a ctkg:Paragraph ; ctkg:partOf ?a . ?a ctkg:inInstrument ?u ; ctkg:number ?article }
GROUP BY ?article
"""


def test_long_articles_have_every_numbered_paragraph(dataset):
    counts = dict(rows(dataset, PARAGRAPHS, u=UNCC))
    # A/RES/79/243: art. 24 has 5 paragraphs, 36 has 3, 37 has 20, 40 has 32, 41 has 6, 42 has 9;
    # art. 2 has no numbered paragraph but the 15 lettered definitions (a)-(o)
    assert {a: int(counts[a]) for a in ("2", "24", "36", "37", "40", "41", "42")} == {
        "2": 15, "24": 5, "36": 3, "37": 20, "40": 32, "41": 6, "42": 9}
    assert "46" not in counts and "48" not in counts  # no numbered paragraphs


def _provision_concepts(dataset, citation: str) -> set[str]:
    found = rows(dataset, "SELECT ?c WHERE { ?p ctkg:citation ?cite ; ctkg:inInstrument ?u ; ctkg:addresses ?c }",
                 cite=Literal(citation), u=UNCC)
    return {c.removeprefix(CONCEPT) for (c,) in found}


# Where the comparison-critical subjects sit, read in A/RES/79/243
CRITICAL = {
    "35(3)": {"safeguard/dual-criminality"},  # conduct-based test of dual criminality
    "37(1)": {"safeguard/dual-criminality"},  # extradition: punishable under both laws
    "40(8)": {"safeguard/dual-criminality", "safeguard/grounds-for-refusal"},  # absence of dual criminality
    "40(4)": {"cooperation/spontaneous-information"},
    "40(18)": {"cooperation/video-conferencing"},
    "40(19)": {"safeguard/confidentiality-use-limitation"},  # no other use without consent
    "40(20)": {"safeguard/confidentiality-use-limitation"},  # confidentiality of the request
    "40(21)": {"safeguard/grounds-for-refusal"},
    "40(13)": {"cooperation/emergency-mutual-assistance"},  # urgent oral requests
    "41(3)(e)": {"cooperation/emergency-mutual-assistance"},  # electronic data to avert an emergency
    "36(2)": {"safeguard/data-protection"},
    "24(1)": {"safeguard/human-rights"},
}


def test_comparison_critical_paragraphs_address_their_subjects(dataset):
    for citation, concepts in CRITICAL.items():
        assert concepts <= _provision_concepts(dataset, citation), citation
    assert "cooperation/joint-investigations" in _concepts(dataset, 48)
    assert "procedure/conditions-and-safeguards" in _concepts(dataset, 24)


def test_cross_references_are_recorded(dataset):
    refs = rows(dataset, """SELECT ?from ?to WHERE { ?p ctkg:refersTo ?q ; ctkg:citation ?from ; ctkg:inInstrument ?u .
                                                 ?q ctkg:citation ?to }""", u=UNCC)
    assert ("2(m)", "17") in refs  # the predicate offence is defined by reference to art. 17
    assert {("3(b)", "23"), ("3(b)", "35")} <= set(refs)  # scope: evidence gathering under arts 23 and 35
    assert ("40(2)", "18") in refs  # assistance for offences of legal persons


def test_reservations_are_the_five_clauses_and_notifications_are_apart(dataset):
    from cybertreaty_kg import queries
    from cybertreaty_kg.engines import OxigraphEngine
    from cybertreaty_kg.output import short

    table = queries.run(queries.get("reservations"), {"instrument": "uncc"}, OxigraphEngine(dataset.store))
    found = [tuple(short(t) for t in row[1:4]) for row in table.rows]
    # 11(3) (misuse of devices), 23(3)(a) and (b) (real-time collection; closed systems), 42(5)
    # (dual criminality for preservation), 63(3) (arbitration and the Court)
    assert sorted({by for _, kind, by in found if kind == "reservation"}) == ["11(3)", "23(3)(a)", "23(3)(b)", "42(5)", "63(3)"]
    assert {(target, by) for target, kind, by in found if kind == "reservation"} == {
        ("11(1)", "11(3)"), ("29", "23(3)(a)"), ("29", "23(3)(b)"), ("30", "23(3)(b)"), ("42(4)", "42(5)"), ("63(2)", "63(3)")}
    # notifications and designations are not reservations
    assert {"37(6)(a)", "37(19)", "40(12)(c)", "40(13)", "41(2)", "53(7)", "64(3)", "64(4)"} <= {
        by for _, kind, by in found if kind == "notification"}
    # the optional elements a party may require, to which a declaration can be linked
    assert {(t, by) for t, kind, by in found if kind == "optional element"} == {
        ("7(1)", "7(2)"), ("8(1)", "8(2)"), ("9(1)", "9(2)"), ("12(1)", "12(2)"), ("14(2)", "14(3)"), ("15(1)", "15(2)"), ("16(1)", "16(5)")}


def test_interpretative_notes_are_provisions_linked_to_the_articles_they_interpret(dataset):
    notes = rows(dataset, """SELECT ?n ?target WHERE { ?note a ctkg:InterpretativeNote ; ctkg:inInstrument ?u ; ctkg:number ?n ;
                                                          ctkg:interprets/ctkg:citation ?target } ORDER BY ?n ?target""", u=UNCC)
    # A/RES/79/243, annex after art. 68: note 1 on art. 2(e) (service provider), 2 on art. 2, 3 on
    # art. 17, 4 on arts 23 and 35 ("investigation"), 5 on art. 35
    assert notes == [("1", "2(e)"), ("2", "2"), ("3", "17"), ("4", "23"), ("4", "35"), ("5", "35")]


def test_verified_and_corroborated_articles_name_what_they_were_checked_against(dataset):
    missing = rows(dataset, """
        SELECT ?n WHERE { ?a ctkg:inInstrument ?u ; ctkg:number ?n ; ctkg:verification/skos:notation "verified" .
                          FILTER NOT EXISTS { ?a prov:wasDerivedFrom ?s } }""", u=UNCC)
    assert missing == []


def test_uncc_title_is_the_official_double_title(dataset):
    (title,), = rows(dataset, "SELECT ?t WHERE { ?u dcterms:title ?t }", u=UNCC)
    assert title.startswith("United Nations Convention against Cybercrime; Strengthening International Cooperation")
    assert title.endswith("Sharing of Evidence in Electronic Form of Serious Crimes")


def test_compare_with_budapest_says_only_what_neither_paragraph_model_contradicts(dataset, root):
    """Every "only uncc" / "only budapest" line: the other instrument's file, read on its own with
    rdflib, has no provision at all (article, paragraph or item) that addresses the concept."""
    import rdflib

    from cybertreaty_kg.compare import compare
    from cybertreaty_kg.engines import OxigraphEngine

    addresses = rdflib.URIRef("https://w3id.org/cybertreaty-kg/ontology#addresses")
    addressed = {name: {str(c) for c in rdflib.Graph().parse(root / "data" / "instruments" / f"{name}.ttl").objects(None, addresses)}
                 for name in ("uncc", "budapest")}
    lines = compare("uncc", "budapest", OxigraphEngine(dataset.store)).lines
    only = {line.status: [] for line in lines}
    for line in lines:
        only[line.status].append(line.concept.value)
        if line.status == "only a":
            assert line.concept.value not in addressed["budapest"], line.concept.value
        if line.status == "only b":
            assert line.concept.value not in addressed["uncc"], line.concept.value
    # the subjects that paragraphs carry are now compared paragraph with paragraph
    assert f"{CONCEPT}safeguard/dual-criminality" in only["both"]
    assert f"{CONCEPT}safeguard/confidentiality-use-limitation" in only["both"]
    assert f"{CONCEPT}cooperation/video-conferencing" in only["only a"]  # UNCC 40(18); Budapest has none
    assert f"{CONCEPT}cooperation/transborder-access" in only["only b"]  # Budapest 32; the UNCC has none
