"""Citations the build generates (structure.py), on a small made-up instrument, so that each
rule is seen on its own: articles, paragraphs, items, a group printed without article number,
and which provision is cited for a concept."""

from __future__ import annotations

import pyoxigraph as ox

from cybertreaty_kg.namespaces import CTKG, PREFIXES
from cybertreaty_kg.queries import article_key
from cybertreaty_kg.structure import describe_structure

X = "https://example.org/instrument/x"
A, B = "https://example.org/concept/a", "https://example.org/concept/b"


def _store() -> ox.Store:
    store = ox.Store()
    g = ox.NamedNode("https://example.org/graph")

    def provision(iri: str, kind: str, order: int, number: str | None = None, part_of: str | None = None, *concepts: str) -> None:
        node = ox.NamedNode(iri)
        store.add(ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(CTKG + kind), g))
        store.add(ox.Quad(node, ox.NamedNode(CTKG + "order"), ox.Literal(str(order), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), g))
        if number is not None:
            store.add(ox.Quad(node, ox.NamedNode(CTKG + "number"), ox.Literal(number), g))
        if part_of:
            store.add(ox.Quad(node, ox.NamedNode(CTKG + "partOf"), ox.NamedNode(part_of), g))
        for concept in concepts:
            store.add(ox.Quad(node, ox.NamedNode(CTKG + "addresses"), ox.NamedNode(concept), g))

    provision(f"{X}/art/40", "Article", 40, "40", None, A)
    provision(f"{X}/art/40/para/8", "Paragraph", 8, "8", f"{X}/art/40", A, B)
    provision(f"{X}/art/40/para/8/item/a", "Subparagraph", 1, "a", f"{X}/art/40/para/8", B)
    provision(f"{X}/final-provisions", "ProvisionGroup", 41, None, None)
    provision(f"{X}/final-provisions/para/3", "Paragraph", 3, "3", f"{X}/final-provisions", B)
    return store


def _generated(store: ox.Store, prop: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in store.query(f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s ctkg:{prop} ?o }} }}", prefixes=PREFIXES):
        found.setdefault(row["s"].value, set()).add(row["o"].value)
    return found


def test_citations_follow_the_printed_numbers():
    store = _store()
    describe_structure(store)
    assert _generated(store, "citation") == {
        f"{X}/art/40": {"40"}, f"{X}/art/40/para/8": {"40(8)"}, f"{X}/art/40/para/8/item/a": {"40(8)(a)"},
        f"{X}/final-provisions": {"final provisions"}, f"{X}/final-provisions/para/3": {"final provisions para. 3"}}


def test_a_group_without_article_number_stands_in_for_its_article():
    store = _store()
    describe_structure(store)
    assert _generated(store, "inArticle")[f"{X}/final-provisions/para/3"] == {f"{X}/final-provisions"}
    assert _generated(store, "within") == {  # every level above, up to the article
        f"{X}/art/40/para/8": {f"{X}/art/40"}, f"{X}/art/40/para/8/item/a": {f"{X}/art/40/para/8", f"{X}/art/40"},
        f"{X}/final-provisions/para/3": {f"{X}/final-provisions"}}
    keys = _generated(store, "orderKey")
    assert sorted(keys, key=lambda iri: min(keys[iri])) == [
        f"{X}/art/40", f"{X}/art/40/para/8", f"{X}/art/40/para/8/item/a", f"{X}/final-provisions", f"{X}/final-provisions/para/3"]


def test_a_concept_is_cited_at_the_highest_provision_that_addresses_it():
    store = _store()
    describe_structure(store)
    cited = _generated(store, "citedFor")
    assert cited[f"{X}/art/40"] == {A}
    assert cited[f"{X}/art/40/para/8"] == {B}  # A is cited at the article above it
    assert f"{X}/art/40/para/8/item/a" not in cited  # B is cited at its paragraph
    assert cited[f"{X}/final-provisions/para/3"] == {B}


def test_citations_sort_in_text_order():
    cited = ["final provisions para. 10", "43", "final provisions para. 3", "2bis", "40(19)", "40(8)", "2", "17 (unverified)"]
    assert sorted(cited, key=article_key) == [
        "2", "2bis", "17 (unverified)", "40(8)", "40(19)", "43", "final provisions para. 3", "final provisions para. 10"]
