"""HermiT over ontology + concepts + data: consistent, and the defined classes classify what
the sources say they should."""

from __future__ import annotations

import pytest

from cybertreaty_kg import load_dataset, reason
from cybertreaty_kg.cli import main

ART = "https://w3id.org/cybertreaty-kg/id/instrument/uncc/art/"
CTKG = "https://w3id.org/cybertreaty-kg/ontology#"


@pytest.fixture(scope="module")
def result(dataset):
    return reason(dataset)


def test_shipped_graph_is_consistent_with_no_unsatisfiable_class(result):
    assert result.consistent
    assert result.unsatisfiable == []


def test_criminalisation_provisions_are_uncc_articles_4_and_7_to_19(result):
    """Art. 4 (offences under other UN instruments) and arts 7-19 (offences, laundering,
    liability of legal persons, participation and attempt) address offence concepts."""
    members = [m for m in result.inferred[CTKG + "CriminalisationProvision"] if m.startswith(ART) and "/para/" not in m]
    assert members == sorted(ART + str(n) for n in [4, *range(7, 20)])
    # and their paragraphs: the reasoner classifies paragraph 7(1), the duty to criminalise
    assert ART + "7/para/1" in result.inferred[CTKG + "CriminalisationProvision"]


def test_reservable_provisions_are_those_the_texts_allow(result):
    """UNCC (A/RES/79/243): 11(1) by 11(3), arts 29 and 30 by 23(3)(a)-(b), 42(4) by 42(5), 63(2) by
    63(3). Budapest: the articles that art. 42 lists (4(2), 6(3), 9(4), 10(3), 11(3), 14(3), 22(2),
    29(4), 41(1)), arts 20 and 21 by 14(3)(a)-(b), and 22(1)(b)-(d) by 22(2). First Protocol: arts 3,
    5 and 6 (art. 12(2)). Arab Convention (League English translation): 19(2) by 19(3), art. 22 by
    22(3), art. 29 by 22(3)(a)-(b) (as printed), 37(3) by 37(4). Read in the texts."""
    budapest = "https://w3id.org/cybertreaty-kg/id/instrument/budapest/art/"
    p1 = "https://w3id.org/cybertreaty-kg/id/instrument/budapest-p1/art/"
    arab = "https://w3id.org/cybertreaty-kg/id/instrument/arab/art/"
    expected = ([ART + p for p in ("11/para/1", "29", "30", "42/para/4", "63/para/2")]
                + [budapest + str(n) for n in (4, 6, 9, 10, 11, 14, 20, 21, 22, 29, 41)]
                + [budapest + f"22/para/1/item/{x}" for x in "bcd"]
                + [p1 + str(n) for n in (3, 5, 6)] + [arab + p for p in ("19/para/2", "22", "29", "37/para/3")])
    assert result.inferred[CTKG + "ReservableProvision"] == sorted(expected)


def test_cooperation_provisions_include_the_24_7_network_and_extradition(result):
    members = set(result.inferred[CTKG + "CooperationProvision"])
    assert {ART + "37", ART + "41", ART + "40"} <= members
    assert ART + "7" not in members


def _reason_with(sources, record: str):
    """Reason over the ontology, the UN Convention and one extra data file holding ``record``
    (line 4). The explanation runs HermiT once per data file, so the other instruments, the
    participation records and the crosswalks are left out to keep the test short."""
    for path in (sources / "data").rglob("*"):
        if path.is_file() and path.name != "uncc.ttl":
            path.unlink()
    (sources / "data" / "clash.ttl").write_text(
        "@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .\n"
        "@prefix uncc-art: <https://w3id.org/cybertreaty-kg/id/instrument/uncc/art/> .\n\n" + record)
    return reason(load_dataset(sources))


@pytest.mark.slow
def test_inconsistent_data_is_explained_by_file(sources, capsys):
    result = _reason_with(sources, "uncc-art:7\n    a ctkg:Chapter .\n")
    assert not result.consistent
    assert "the clash is between files" in result.explanation
    assert "data/clash.ttl:4: https://w3id.org/cybertreaty-kg/id/instrument/uncc/art/7 is typed both" in result.explanation
    assert "data/instruments/uncc.ttl:" in result.explanation and "disjoint" in result.explanation
    assert main(["--sources", str(sources), "reason"]) == 1
    assert "INCONSISTENT" in capsys.readouterr().out


@pytest.mark.slow
def test_a_file_inconsistent_on_its_own_is_named(sources):
    result = _reason_with(sources, "uncc-art:900\n    a ctkg:Chapter , ctkg:Article .\n")
    assert not result.consistent
    assert "data/clash.ttl is inconsistent with the ontology" in result.explanation
