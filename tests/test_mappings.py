"""Crosswalks (data/mappings/*.sssom.tsv): valid SSSOM by the sssom library's own validator,
built into the graph, and consistent with the concepts each side addresses."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from cybertreaty_kg import load_dataset
from cybertreaty_kg.errors import SourceError

from conftest import rows

ID = "https://w3id.org/cybertreaty-kg/id/instrument/"


def _tables(root: Path) -> list[Path]:
    return sorted((root / "data" / "mappings").glob("*.sssom.tsv"))


def _sssom_errors(path: Path) -> list:
    from sssom.parsers import parse_sssom_table
    from sssom.validators import SchemaValidationType, validate

    reports = validate(parse_sssom_table(path), [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness],
                       fail_on_error=False)
    return [result for report in reports.values() for result in report.results]


def test_there_is_a_crosswalk_from_the_uncc_to_budapest(root):
    assert "uncc-budapest.sssom.tsv" in [p.name for p in _tables(root)]


@pytest.mark.parametrize("name", ["uncc-arab.sssom.tsv", "uncc-budapest.sssom.tsv", "uncc-budapest-p2.sssom.tsv", "uncc-malabo.sssom.tsv"])
def test_crosswalk_is_valid_sssom(root, name):
    assert _sssom_errors(root / "data" / "mappings" / name) == []


def test_sssom_validator_rejects_a_table_with_an_undeclared_prefix(tmp_path, root):
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text((root / "data" / "mappings" / "uncc-budapest.sssom.tsv").read_text().replace("budapest:16", "ets185:16"))
    assert _sssom_errors(broken) != []


def test_our_reader_names_the_line_of_a_bad_predicate(sources):
    table = sources / "data" / "mappings" / "uncc-budapest.sssom.tsv"
    lines = table.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("uncc:25\t"))
    lines[number - 1] = lines[number - 1].replace("skos:closeMatch", "skos:relatedMatch")
    table.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError) as error:
        load_dataset(sources)
    assert str(error.value).startswith(f"data/mappings/uncc-budapest.sssom.tsv:{number}: predicate_id 'skos:relatedMatch'")


def _matches(dataset, a: str, b: str) -> set[tuple[str, str, str]]:
    found = rows(dataset, """
        SELECT ?n ?p ?m WHERE { ?x ?p ?y . ?x ctkg:inInstrument ?a ; ctkg:number ?n . ?y ctkg:inInstrument ?b ; ctkg:number ?m
                                VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch } }""",
                 a=NamedNode(ID + a), b=NamedNode(ID + b))
    return {(n, p.rsplit("#", 1)[-1], m) for n, p, m in found}


def test_uncc_art25_maps_to_budapest_art16_expedited_preservation(dataset):
    assert ("25", "closeMatch", "16") in _matches(dataset, "uncc", "budapest")


def test_uncc_art41_maps_to_budapest_art35_24_7_network(dataset):
    assert ("41", "closeMatch", "35") in _matches(dataset, "uncc", "budapest")


def test_uncc_art13_theft_or_fraud_is_broader_than_budapest_art8(dataset):
    assert ("13", "narrowMatch", "8") in _matches(dataset, "uncc", "budapest")


def test_protocol2_direct_cooperation_with_providers_has_no_uncc_counterpart(dataset):
    """P2 arts 6 (domain name registration information) and 7 (subscriber information from
    providers) are the Protocol's novelty; the UNCC has no such article or paragraph. Its
    paragraphs meet P2 9 (emergency disclosure: UNCC 41(3)(e)) and 11 (video conferencing:
    UNCC 40(18))."""
    mapped = {m for _, _, m in _matches(dataset, "uncc", "budapest-p2")}
    assert mapped == {"2", "3", "9", "11", "12", "13", "14"}
    assert not {"6", "7"} & mapped


def test_uncc_offences_new_to_budapest_have_no_counterpart(dataset):
    """Grooming (15), intimate images (16) and laundering (17) have no Budapest article."""
    mapped = {n for n, _, _ in _matches(dataset, "uncc", "budapest")}
    assert not {"15", "16", "17"} & mapped


def test_every_mapping_record_carries_justification_author_and_comment(dataset):
    incomplete = rows(dataset, """
        SELECT ?m WHERE { ?m a ctkg:ArticleMapping .
          FILTER NOT EXISTS { ?m ctkg:mappingJustification ?j ; dcterms:creator ?a ; rdfs:comment ?c ; ctkg:inMappingSet ?s } }""")
    assert incomplete == []
    per_set = dict(rows(dataset, """
        SELECT ?s (COUNT(?m) AS ?n) WHERE { ?m a ctkg:ArticleMapping ; ctkg:inMappingSet ?s } GROUP BY ?s"""))
    counts = {str(s).rsplit("/", 1)[-1]: int(n) for s, n in per_set.items()}
    # One record per data row of each table: 36 article and 32 paragraph rows for Budapest,
    # 5 + 2 for the Second Protocol.
    assert counts == {"uncc-budapest": 36 + 32, "uncc-budapest-p2": 5 + 2, "uncc-arab": 123, "uncc-malabo": 38}


def test_mapped_articles_share_a_concept(dataset):
    """A crosswalk row and the concept mapping must agree: both sides address a common concept."""
    disagreeing = rows(dataset, """
        SELECT ?x ?y WHERE { ?m a ctkg:ArticleMapping ; ctkg:mappingSubject ?x ; ctkg:mappingObject ?y .
                             FILTER NOT EXISTS { ?x ctkg:addresses ?c . ?y ctkg:addresses ?c } }""")
    assert disagreeing == []


def test_uncc_art41_maps_to_the_arab_conventions_specialised_body(dataset):
    assert ("41", "closeMatch", "43") in _matches(dataset, "uncc", "arab")


def test_uncc_offences_map_onto_the_items_of_malabo_art29(dataset):
    """Malabo creates each offence in a lettered item of art. 29's sub-headings (read in the AU
    text); the UNCC offence articles map onto those items."""
    found = rows(dataset, """SELECT ?n ?p ?c WHERE { ?x ?p ?y . ?x ctkg:inInstrument ?u ; ctkg:number ?n ; a ctkg:Article .
                                                    ?y ctkg:inInstrument ?m ; ctkg:citation ?c ; ctkg:inArticle/ctkg:number "29"
                                                    VALUES ?p { skos:closeMatch skos:narrowMatch } }""",
                 u=NamedNode(ID + "uncc"), m=NamedNode(ID + "malabo"))
    assert sorted(((n, p.rsplit("#", 1)[-1], c) for n, p, c in found), key=lambda r: (int(r[0]), r[2])) == [
        ("7", "closeMatch", "29(1)(a)"), ("8", "closeMatch", "29(2)(a)"), ("9", "closeMatch", "29(1)(f)"),
        ("10", "closeMatch", "29(1)(d)"), ("11", "closeMatch", "29(1)(h)"), ("12", "closeMatch", "29(2)(b)"),
        ("13", "closeMatch", "29(2)(d)"), ("14", "narrowMatch", "29(3)(1)(a)"), ("14", "narrowMatch", "29(3)(1)(b)"),
        ("14", "narrowMatch", "29(3)(1)(c)"), ("19", "narrowMatch", "29(2)(f)"), ("31", "narrowMatch", "29(3)(3)")]