"""The UN Convention against Cybercrime, checked against what the sources say.

Expected values come from: the UN Treaty Collection status page (XVIII-16: adoption, signature
period, entry-into-force rule, depositary), the Arabic authentic text (articles 1-15 and the
'serious crime' definition in art. 2(h)), c4ir.vn (9 chapters, their names, 68 articles), and
the project's reference sheet (../shared/reference/uncc.tsv) for the rest.
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


def test_uncc_headings_read_in_the_authentic_text(dataset):
    headings = {int(r[0]): r[2] for r in _articles(dataset)}
    assert headings[2] == "Use of terms"
    assert headings[6] == "Respect for human rights"
    assert headings[7] == "Illegal access"
    assert headings[11] == "Misuse of devices"
    assert headings[14] == "Offences related to online child sexual abuse or child sexual exploitation material"
    assert headings[16] == "Non-consensual dissemination of intimate images"
    assert headings[64] == "Signature, ratification, acceptance, approval and accession"
    assert headings[65] == "Entry into force"


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


def test_uncc_art11_allows_a_reservation_in_its_paragraph_3(dataset):
    found = rows(dataset, "SELECT ?a ?p WHERE { ?x ctkg:reservationPermittedBy ?c . ?x ctkg:number ?a . ?c ctkg:number ?p ; ctkg:inInstrument ?u }", u=UNCC)
    assert found == [("11", "3")]


def test_every_uncc_article_has_an_official_source_and_a_verification_status(dataset):
    found = rows(dataset, """
        SELECT ?n ?status ?source WHERE {
          ?a a ctkg:Article ; ctkg:inInstrument ?u ; ctkg:number ?n ; dcterms:source ?source ; ctkg:verification/skos:notation ?status }""", u=UNCC)
    assert len(found) == 68
    assert {s for _, _, s in found} == {"https://docs.un.org/en/A/RES/79/243"}
    verified = sorted(int(n) for n, status, _ in found if status == "verified")
    assert verified == list(range(1, 16)) + [64, 65]


def test_verified_and_corroborated_articles_name_what_they_were_checked_against(dataset):
    missing = rows(dataset, """
        SELECT ?n WHERE { ?a ctkg:inInstrument ?u ; ctkg:number ?n ; ctkg:verification/skos:notation "verified" .
                          FILTER NOT EXISTS { ?a prov:wasDerivedFrom ?s } }""", u=UNCC)
    assert missing == []


def test_uncc_title_is_the_official_double_title(dataset):
    (title,), = rows(dataset, "SELECT ?t WHERE { ?u dcterms:title ?t }", u=UNCC)
    assert title.startswith("United Nations Convention against Cybercrime; Strengthening International Cooperation")
    assert title.endswith("Sharing of Evidence in Electronic Form of Serious Crimes")
