"""Binding parameters with VALUES blocks: where the blocks go, and where they must not."""

from __future__ import annotations

import pyoxigraph as ox

from cybertreaty_kg.bindings import with_values

I = ox.NamedNode("https://w3id.org/cybertreaty-kg/id/instrument/uncc")


def test_block_goes_first_in_the_outer_where():
    assert with_values("SELECT ?x WHERE { ?x ?p ?instrument }", {"instrument": I}) == \
        f"SELECT ?x WHERE {{ VALUES (?instrument) {{ ({I}) }}  ?x ?p ?instrument }}"


def test_copied_into_sub_selects_that_project_the_variable_only():
    query = ("SELECT ?o WHERE { { SELECT ?instrument (MIN(?n) AS ?o) WHERE { ?a ?instrument ?n } GROUP BY ?instrument } "
             "{ SELECT (COUNT(?instrument) AS ?c) WHERE { ?instrument ?p ?q } } "
             "{ SELECT ?instrument WHERE { ?instrument ?p ?q } LIMIT 2 } }")
    bound = with_values(query, {"instrument": I})
    assert bound.count("VALUES") == 2  # the outer group and the first sub-select
    assert "GROUP BY ?instrument } { SELECT (COUNT(?instrument) AS ?c) WHERE { ?instrument" in bound
    assert "{ SELECT ?instrument WHERE { ?instrument ?p ?q } LIMIT 2 }" in bound


def test_text_in_strings_comments_and_iris_is_not_mistaken_for_syntax():
    query = 'SELECT ?x WHERE { ?x ?p "SELECT ?instrument WHERE {" # SELECT ?instrument WHERE {\n }'
    assert with_values(query, {"instrument": I}).count("VALUES") == 1


def test_bound_query_gives_the_same_answer_as_filtering_afterwards(dataset):
    query = ("SELECT ?instrument ?n WHERE { { SELECT ?instrument (COUNT(?a) AS ?n) WHERE { ?a ctkg:inInstrument ?instrument } "
             "GROUP BY ?instrument } }")
    everything = {r["instrument"]: r["n"] for r in dataset.query(query)}
    (row,) = list(dataset.query(query, instrument=I))
    assert row["n"] == everything[I]
