"""The Arab Convention on Combating Information Technology Offences (2010), checked against its text.

Expected values were read in the League of Arab States General Secretariat English translation
(29 pp.; YoucefDjenfi/DCIT-project, knowledge_base/2010_en_League of Arab States Convention on
Combating Information Technology Offences.pdf at commit 48ffae88), cross-checked against a French
translation of it (same repository, Arab_Convention_Cybercrime_2010_FR.pdf.pdf at fa5f2837):
43 numbered articles in Chapters I-IV, and the final provisions printed under Chapter V without an
article number, as eight numbered paragraphs.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from conftest import rows

ARAB = NamedNode("https://w3id.org/cybertreaty-kg/id/instrument/arab")
ID = "https://w3id.org/cybertreaty-kg/id/instrument/arab/"
CONCEPT = "https://w3id.org/cybertreaty-kg/id/concept/"
FP = ID + "final-provisions"

ARTICLES = """
SELECT ?number ?order ?chapter WHERE {
  ?article a ctkg:Article ; ctkg:inInstrument ?arab ; ctkg:number ?number ; ctkg:order ?order ; ctkg:inChapter/ctkg:number ?chapter .
} ORDER BY ?order
"""
# Chapter -> (first, last) article, as printed; Chapter V holds only the unnumbered final provisions.
CHAPTERS = {"I": (1, 4), "II": (5, 21), "III": (22, 29), "IV": (30, 43)}
# Chapter headings as printed; Chapter II has none in the English translation (nor in the French).
CHAPTER_HEADINGS = {"I": "General Provisions", "III": "Procedural Provisions", "IV": "Legal and Judicial Cooperation",
                    "V": "Final Provisions"}

HEADINGS = {  # English headings as printed in the League's translation (its spelling kept)
    "1": "Purpose of the Convention",
    "3": "Areas of Application of the Convention",
    "6": "Offense of Illicit Access",
    "8": "Offence Against the Integrity of Data",
    "13": "Other Offences Related to Pornography",
    "15": "Offences Related to Terrorism Committed by means of information technology",
    "17": "Offenses Related to Copyright and Adjacent Rights",
    "21": "Increasing Punishment for Traditional Crimes Committed by Means of Information Technology",
    "23": "Expeditious Custody of Data Stored in Information Technology",
    "26": "Inspecting Stored Information",
    "30": "Competence",
    "31": "Extradition",
    "33": "Circumstantial Information",
    "36": "Confidentiality and Limits of Utilization",
    "39": "Cooperation and Bilateral Assistance Regarding Access to Stored Information Technology Information",
    "40": "Access to Information Technology Information Across Borders",
    "43": "Specialized Body",
}
# Arabic headings kept from the Arabic sources read earlier (not in the English translation)
ARABIC = {"5": "التجريم", "9": "جريمة إساءة استخدام وسائل تقنية المعلومات",
          "16": "الجرائم المتعلقة بالجرائم المنظمة والمرتكبة بواسطة تقنية المعلومات",
          "18": "الاستخدام غير المشروع لأدوات الدفع الإلكترونية", "22": "نطاق تطبيق الأحكام الإجرائية", "43": "جهاز متخصص"}

# What each provision addresses in the offence, procedure and cooperation schemes, read in the
# text (citation as the build generates it -> concept codes). Every provision with such a subject
# is listed: the instrument claims these schemes complete.
SUBJECTS = {
    "6": {"illegal-access"},
    "6(1)": {"illegal-access"},
    "6(2)": {"illegal-access"},
    "7": {"illegal-interception", "system-interference"},
    "8": {"data-interference"},
    "8(1)": {"data-interference"},
    "8(2)": {"data-interference"},
    "9": {"misuse-of-devices"},
    "9(1)": {"misuse-of-devices"},
    "9(2)": {"misuse-of-devices"},
    "10": {"computer-related-forgery"},
    "11": {"computer-related-fraud"},
    "12(1)": {"obscene-material"},
    "12(2)": {"child-sexual-abuse-material"},
    "12(3)": {"child-sexual-abuse-material"},
    "13": {"gambling-and-sexual-exploitation"},
    "14": {"privacy-violation"},
    "15": {"terrorism-related"},
    "15(1)": {"terrorism-related"},
    "15(2)": {"terrorism-related"},
    "15(3)": {"terrorism-related"},
    "15(4)": {"terrorism-related"},
    "16": {"organised-crime-related"},
    "16(1)": {"laundering-of-proceeds", "organised-crime-related"},
    "16(2)": {"organised-crime-related"},
    "16(3)": {"organised-crime-related"},
    "16(4)": {"organised-crime-related"},
    "16(5)": {"organised-crime-related"},
    "17": {"copyright-infringement"},
    "18": {"payment-instrument-misuse"},
    "18(1)": {"payment-instrument-misuse"},
    "18(2)": {"payment-instrument-misuse"},
    "18(3)": {"payment-instrument-misuse"},
    "18(4)": {"payment-instrument-misuse"},
    "19": {"attempt-aiding-abetting"},
    "19(1)": {"attempt-aiding-abetting"},
    "19(2)": {"attempt-aiding-abetting"},
    "19(3)": {"attempt-aiding-abetting"},
    "20": {"corporate-liability"},
    "22": {"scope-of-procedural-measures"},
    "22(1)": {"scope-of-procedural-measures"},
    "22(2)": {"scope-of-procedural-measures"},
    "22(2)(a)": {"scope-of-procedural-measures"},
    "22(2)(b)": {"scope-of-procedural-measures"},
    "22(2)(c)": {"scope-of-procedural-measures"},
    "22(3)": {"scope-of-procedural-measures"},
    "22(3)(a)": {"scope-of-procedural-measures"},
    "22(3)(b)": {"scope-of-procedural-measures"},
    "23": {"expedited-preservation"},
    "23(1)": {"expedited-preservation"},
    "23(2)": {"expedited-preservation"},
    "23(3)": {"confidentiality-of-measures", "expedited-preservation"},
    "24": {"preservation-partial-disclosure-traffic"},
    "24(1)": {"expedited-preservation", "preservation-partial-disclosure-traffic"},
    "24(2)": {"preservation-partial-disclosure-traffic"},
    "25": {"production-order"},
    "25(1)": {"production-order"},
    "25(2)": {"production-order"},
    "26": {"search-seizure"},
    "26(1)": {"search-seizure"},
    "26(1)(a)": {"search-seizure"},
    "26(1)(b)": {"search-seizure"},
    "26(2)": {"search-seizure"},
    "27": {"search-seizure"},
    "27(1)": {"search-seizure"},
    "27(1)(a)": {"search-seizure"},
    "27(1)(b)": {"search-seizure"},
    "27(1)(c)": {"search-seizure"},
    "27(1)(d)": {"content-removal", "search-seizure"},
    "27(2)": {"search-seizure"},
    "28": {"real-time-traffic-collection"},
    "28(1)": {"real-time-traffic-collection"},
    "28(1)(a)": {"real-time-traffic-collection"},
    "28(1)(b)": {"real-time-traffic-collection"},
    "28(2)": {"real-time-traffic-collection"},
    "28(3)": {"confidentiality-of-measures", "real-time-traffic-collection"},
    "29": {"interception-of-content"},
    "29(1)": {"interception-of-content"},
    "29(1)(a)": {"interception-of-content"},
    "29(1)(b)": {"interception-of-content"},
    "29(2)": {"interception-of-content"},
    "29(3)": {"confidentiality-of-measures", "interception-of-content"},
    "30(2)": {"extradition"},
    "30(3)": {"extradition"},
    "31": {"extradition"},
    "31(1)": {"extradition"},
    "31(2)": {"extradition"},
    "31(3)": {"extradition"},
    "31(4)": {"extradition"},
    "31(5)": {"extradition"},
    "31(6)": {"extradite-or-prosecute", "extradition"},
    "31(7)": {"extradition", "provisional-arrest"},
    "31(7)(a)": {"extradition", "provisional-arrest"},
    "31(7)(b)": {"extradition"},
    "32": {"mutual-legal-assistance"},
    "32(1)": {"general-principles-cooperation", "mutual-legal-assistance"},
    "32(2)": {"mutual-legal-assistance"},
    "32(3)": {"emergency-mutual-assistance", "mutual-legal-assistance"},
    "32(4)": {"mutual-legal-assistance"},
    "33": {"spontaneous-information"},
    "33(1)": {"spontaneous-information"},
    "33(2)": {"spontaneous-information"},
    "34": {"mutual-legal-assistance"},
    "34(1)": {"mutual-legal-assistance"},
    "34(2)": {"central-authority", "mutual-legal-assistance"},
    "34(2)(a)": {"central-authority"},
    "34(2)(b)": {"central-authority"},
    "34(2)(c)": {"central-authority"},
    "34(2)(d)": {"central-authority"},
    "34(3)": {"mutual-legal-assistance"},
    "34(6)": {"mutual-legal-assistance"},
    "34(8)": {"emergency-mutual-assistance", "mutual-legal-assistance"},
    "34(8)(a)": {"emergency-mutual-assistance"},
    "34(8)(b)": {"emergency-mutual-assistance", "law-enforcement-cooperation"},
    "34(8)(c)": {"mutual-legal-assistance"},
    "34(8)(d)": {"mutual-legal-assistance"},
    "34(8)(e)": {"central-authority"},
    "37": {"mla-preservation"},
    "37(1)": {"mla-preservation"},
    "37(2)": {"mla-preservation"},
    "37(3)": {"mla-preservation"},
    "37(4)": {"mla-preservation"},
    "37(5)": {"mla-preservation"},
    "37(6)": {"mla-preservation"},
    "37(7)": {"mla-preservation"},
    "38": {"mla-disclosure-preserved-traffic"},
    "38(1)": {"mla-disclosure-preserved-traffic"},
    "38(2)": {"mla-disclosure-preserved-traffic"},
    "39": {"mla-access-stored-data"},
    "39(1)": {"mla-access-stored-data"},
    "39(2)": {"mla-access-stored-data"},
    "39(3)": {"mla-access-stored-data"},
    "40": {"transborder-access"},
    "40(1)": {"transborder-access"},
    "40(2)": {"transborder-access"},
    "41": {"mla-real-time-traffic"},
    "41(1)": {"mla-real-time-traffic"},
    "41(2)": {"mla-real-time-traffic"},
    "42": {"mla-interception"},
    "43": {"network-24-7"},
    "43(1)": {"network-24-7"},
    "43(1)(a)": {"network-24-7"},
    "43(1)(b)": {"mla-preservation", "network-24-7"},
    "43(1)(c)": {"network-24-7"},
    "43(2)": {"network-24-7"},
    "43(2)(a)": {"network-24-7"},
    "43(2)(b)": {"network-24-7"},
    "43(3)": {"network-24-7"},
}


def _articles(dataset):
    return rows(dataset, ARTICLES, arab=ARAB)


def test_arab_has_articles_1_to_43_in_order(dataset):
    found = _articles(dataset)
    assert [r[0] for r in found] == [str(n) for n in range(1, 44)]
    assert [int(r[1]) for r in found] == list(range(1, 44))
    count = rows(dataset, "SELECT ?n ?all WHERE { ?i ctkg:articleCount ?n ; ctkg:allArticlesModelled ?all }", i=ARAB)
    assert count == [("43", "true")]


def test_arab_articles_sit_in_their_chapters(dataset):
    found = {int(r[0]): r[2] for r in _articles(dataset)}
    for chapter, (first, last) in CHAPTERS.items():
        assert {found[n] for n in range(first, last + 1)} == {chapter}, chapter
    chapters = rows(dataset, "SELECT ?n ?h WHERE { ?c a ctkg:Chapter ; ctkg:inInstrument ?i ; ctkg:number ?n ; ctkg:order ?o "
                             "OPTIONAL { ?c ctkg:heading ?h } } ORDER BY ?o", i=ARAB)
    assert [n for n, _ in chapters] == ["I", "II", "III", "IV", "V"]
    assert {n: h for n, h in chapters if h is not None} == CHAPTER_HEADINGS


def test_arab_headings_are_those_printed(dataset):
    found = dict(rows(dataset, """SELECT ?n ?h WHERE { ?a a ctkg:Article ; ctkg:inInstrument ?i ; ctkg:number ?n ; ctkg:heading ?h
                                                       FILTER (LANG(?h) = "en") }""", i=ARAB))
    assert len(found) == 43
    assert {n: found[n] for n in HEADINGS} == HEADINGS
    arabic = dict(rows(dataset, """SELECT ?n ?h WHERE { ?a a ctkg:Article ; ctkg:inInstrument ?i ; ctkg:number ?n ; ctkg:heading ?h
                                                        FILTER (LANG(?h) = "ar") }""", i=ARAB))
    assert arabic == ARABIC


def test_final_provisions_are_an_unnumbered_group_of_eight_paragraphs_in_chapter_v(dataset):
    group = rows(dataset, """SELECT ?h ?o ?ch ?part WHERE { ?g a ctkg:ProvisionGroup ; ctkg:inInstrument ?i ; ctkg:heading ?h ;
                                 ctkg:order ?o ; ctkg:inChapter/ctkg:number ?ch ; ctkg:partOf/ctkg:number ?part
                                 FILTER NOT EXISTS { ?g ctkg:number ?n } }""", i=ARAB)
    assert group == [("Final Provisions", "44", "V", "V")]
    paras = rows(dataset, "SELECT ?p ?n ?o ?cite WHERE { ?p a ctkg:Paragraph ; ctkg:partOf ?g ; ctkg:number ?n ; ctkg:order ?o ; "
                          "ctkg:citation ?cite } ORDER BY ?o", g=NamedNode(FP))
    assert [(p, n, int(o)) for p, n, o, _ in paras] == [(f"{FP}/para/{k}", str(k), k) for k in range(1, 9)]
    assert paras[2][3] == "final provisions para. 3"


FINAL = {1: {"general/implementation-measures"}, 2: {"final-clause/depositary-languages", "final-clause/signature-consent"},
         3: {"final-clause/entry-into-force"}, 4: {"final-clause/entry-into-force", "final-clause/signature-consent"},
         5: {"general/relation-to-other-instruments"}, 6: {"final-clause/reservations"}, 7: {"final-clause/amendment"},
         8: {"final-clause/denunciation"}}


def test_final_provision_paragraphs_address_their_final_clauses(dataset):
    found = {}
    for p, c in rows(dataset, "SELECT ?p ?c WHERE { ?p ctkg:partOf ?g ; ctkg:addresses ?c }", g=NamedNode(FP)):
        found.setdefault(int(p.rsplit("/", 1)[-1]), set()).add(c.removeprefix(CONCEPT))
    assert found == FINAL


def test_entry_into_force_rules_are_those_of_final_provisions_paras_3_and_4(dataset):
    general = rows(dataset, """SELECT ?n ?d ?where WHERE { ?i ctkg:entryIntoForceRule ?r . ?r ctkg:consentsRequired ?n ;
                                   ctkg:delayDays ?d ; ctkg:setOutIn ?where }""", i=ARAB)
    assert general == [("7", "30", FP + "/para/3")]  # thirty days after the seventh deposit
    later = rows(dataset, """SELECT ?d ?k ?where WHERE { ?i ctkg:partyEntryIntoForceRule ?r . ?r ctkg:delayDays ?d ;
                                 ctkg:appliesToConsent ?k ; ctkg:setOutIn ?where }""", i=ARAB)
    assert later == [("30", "https://w3id.org/cybertreaty-kg/ontology#Accession", FP + "/para/4")]


def test_reservations_are_those_the_text_allows(dataset):
    """Express reservation clauses: 19(3) (attempt, 19(2)), 22(3)(a)-(b) (the procedures of art. 29
    as printed; art. 22 as a whole by 22(3)) and 37(4) (refusing preservation, 37(3)). Final
    provisions para. 6 allows no reservation on any provision it names: it bars reservations that
    violate the texts or depart from the objectives, so no provision points to it."""
    found = rows(dataset, """SELECT ?t ?b WHERE { ?p ctkg:inInstrument ?i ; ctkg:reservationPermittedBy ?q ; ctkg:citation ?t .
                                                  ?q ctkg:citation ?b }""", i=ARAB)
    assert set(found) == {("19(2)", "19(3)"), ("22", "22(3)"), ("29", "22(3)(a)"), ("29", "22(3)(b)"), ("37(3)", "37(4)")}
    assert rows(dataset, "SELECT ?p WHERE { ?p ctkg:reservationPermittedBy ?q }", q=NamedNode(FP + "/para/6")) == []
    assert rows(dataset, "SELECT ?m WHERE { ?p ctkg:modality ?m }", p=NamedNode(FP + "/para/6")) == [
        (CONCEPT + "modality/mandatory",)]
    optional = rows(dataset, """SELECT ?t ?b WHERE { ?p ctkg:inInstrument ?i ; ctkg:optionalElementPermittedBy ?q ; ctkg:citation ?t .
                                                     ?q ctkg:citation ?b }""", i=ARAB)
    assert optional == [("8(1)", "8(2)")]


def test_art22_cross_references_are_recorded_as_printed(dataset):
    """Art. 22(2) and 22(3)(a)-(b) name arts 29 and 30 in the English (and French) text; on the
    model of Budapest art. 14(3), arts 28 and 29 seem meant in 22(3). Recorded as printed."""
    refs = rows(dataset, """SELECT ?from ?to WHERE { ?p ctkg:refersTo ?q ; ctkg:citation ?from ; ctkg:inInstrument ?i .
                                                     OPTIONAL { ?q ctkg:citation ?c } OPTIONAL { ?q a ctkg:Chapter ; ctkg:number ?n }
                                                     BIND (COALESCE(?c, CONCAT("Chapter ", ?n)) AS ?to)
                                                     FILTER (STRSTARTS(?from, "22")) }""", i=ARAB)
    assert set(refs) == ({("22(1)", "Chapter III"), ("22(2)", "29"), ("22(3)(a)", "29"), ("22(3)(a)", "30"), ("22(3)(b)", "29"),
                          ("22(3)(b)", "30")} | {("22(2)(a)", str(n)) for n in range(6, 20)})


def test_other_cross_references_are_recorded(dataset):
    refs = set(rows(dataset, """SELECT ?from ?to WHERE { ?p ctkg:refersTo ?q ; ctkg:citation ?from ; ctkg:inInstrument ?i .
                                                         ?q ctkg:citation ?to }""", i=ARAB))
    assert {("9(1)", "6"), ("9(1)", "8"), ("27(1)", "26(1)"), ("27(2)", "26(2)"), ("28(2)", "28(1)(a)"), ("30(2)", "31(1)"),
            ("32(2)", "34"), ("32(2)", "42"), ("35", "32(4)"), ("38(1)", "37"), ("43(1)(b)", "38"),
            ("final provisions para. 5", "19(3)")} <= refs
    # art. 34(1) names paragraphs 2-9, but the article has eight paragraphs
    assert {to for frm, to in refs if frm == "34(1)"} == {f"34({n})" for n in range(2, 9)}


def test_every_provision_is_verified_against_the_english_text(dataset):
    """Every article, the final provisions and each paragraph and item: verified, derived from the copy read, described."""
    unverified = rows(dataset, """SELECT ?p WHERE { ?p ctkg:inInstrument ?i ; ctkg:citation ?cite
                                  FILTER NOT EXISTS { ?p ctkg:verification ctkg-id:concept\\/verification\\/verified ;
                                                         prov:wasDerivedFrom ?copy ; dcterms:description ?d
                                                      FILTER (CONTAINS(STR(?copy), "48ffae885e366012bebdc8cf5a9a04a8adf37bab")) } }""", i=ARAB)
    assert unverified == []


def test_paragraph_counts_of_the_procedural_and_cooperation_articles(dataset):
    counts = dict(rows(dataset, """SELECT ?n (COUNT(?p) AS ?k) WHERE { ?p a ctkg:Paragraph ; ctkg:partOf ?a . ?a a ctkg:Article ;
                                       ctkg:inInstrument ?i ; ctkg:number ?n } GROUP BY ?n""", i=ARAB))
    expected = {"22": 3, "23": 3, "24": 2, "25": 2, "26": 2, "27": 2, "28": 3, "29": 3, "30": 3, "31": 7, "32": 5, "33": 2,
                "34": 8, "35": 2, "36": 4, "37": 7, "38": 2, "39": 3, "40": 2, "41": 2, "43": 3}
    assert {n: int(counts[n]) for n in expected} == expected
    assert "42" not in counts  # a single unnumbered paragraph


def test_offence_procedure_and_cooperation_subjects_per_provision(dataset):
    found = {}
    for cite, c in rows(dataset, """SELECT ?cite ?c WHERE { ?p ctkg:inInstrument ?i ; ctkg:citation ?cite ; ctkg:addresses ?c .
                                    ?c skos:inScheme ?s VALUES ?s { ctkg-id:concept\\/offence ctkg-id:concept\\/procedure
                                                                    ctkg-id:concept\\/cooperation } }""", i=ARAB):
        found.setdefault(cite, set()).add(c.rsplit("/", 1)[-1])
    assert found == SUBJECTS


def test_subjects_are_claimed_complete_for_offences_procedure_and_cooperation_only(dataset):
    found = rows(dataset, "SELECT ?s WHERE { ?i ctkg:subjectsCompleteFor ?s } ORDER BY ?s", i=ARAB)
    assert [s.removeprefix(CONCEPT) for (s,) in found] == ["cooperation", "offence", "procedure"]


def test_crosswalk_with_the_uncc_has_123_rows(dataset):
    n = rows(dataset, """SELECT (COUNT(?m) AS ?n) WHERE { ?m a ctkg:ArticleMapping ; ctkg:inMappingSet ?s }""",
             s=NamedNode("https://w3id.org/cybertreaty-kg/id/mapping/uncc-arab"))
    assert n == [("123",)]
    pairs = set(rows(dataset, """SELECT ?a ?b WHERE { ?m ctkg:inMappingSet ?s ; ctkg:mappingSubject ?x ; ctkg:mappingObject ?y .
                                                      ?x ctkg:citation ?a . ?y ctkg:citation ?b }""",
                     s=NamedNode("https://w3id.org/cybertreaty-kg/id/mapping/uncc-arab")))
    assert {("25", "23"), ("42(5)", "37(4)"), ("41", "43"), ("30", "29"), ("65(1)", "final provisions para. 3")} <= pairs
