"""Bad sources: the build exits non-zero with a one-line reason naming file and line, and the
previous dist/ is left byte-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cybertreaty_kg.cli import main

UNCC = "data/instruments/uncc.ttl"


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture()
def built(sources, tmp_path) -> Path:
    out = tmp_path / "dist"
    assert main(["--sources", str(sources), "build", "--out", str(out)]) == 0
    return out


def _replace(path: Path, old: str, new: str) -> int:
    """Edit a source file; return the line of the edit."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def _rebuild(sources, out, capsys) -> tuple[int, str]:
    code = main(["--sources", str(sources), "build", "--out", str(out)])
    return code, capsys.readouterr().err


EDITS = {
    # case: (text in uncc.ttl, replacement, exit code, expected message after "file:line: ")
    "syntax-error": ('ctkg:heading "Illegal access"@en ;', 'ctkg:heading "Illegal access"@en ;;; ]', 2, ""),
    "undeclared-prefix": ('ctkg:heading "Illegal access"@en ;', 'ctkg:heading "Illegal access"@en ; foo:bar 1 ;', 2,
                          "The prefix foo: has not been declared"),
    "ill-typed-date": ('"2024-12-24"^^xsd:date', '"2024-13-45"^^xsd:date', 2, '"2024-13-45" is not a valid xsd:date; write it in the lexical form of xsd:date (YYYY-MM-DD)'),
    "non-canonical-number": ("ctkg:consentsRequired 40 ;", "ctkg:consentsRequired 040 ;", 2,
                             'write the number 040 in canonical form, as "40"^^xsd:integer'),
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_bad_source_names_file_and_line_and_leaves_dist_unchanged(sources, built, capsys, case):
    old, new, exit_code, expected = EDITS[case]
    before = _hashes(built)
    line = _replace(sources / UNCC, old, new)
    code, message = _rebuild(sources, built, capsys)
    assert code == exit_code
    assert f"{UNCC}:{line}: {expected}" in message
    assert _hashes(built) == before


def test_iri_outside_the_namespaces_fails_the_hygiene_check(sources, built, capsys):
    before = _hashes(built)
    path = sources / "data" / "stray.ttl"
    path.write_text('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n<http://example.org/x>\n    rdfs:label "x"@en .\n')
    code, message = _rebuild(sources, built, capsys)
    assert code == 1
    assert "data/stray.ttl:3: [iri-outside-namespaces] http://example.org/x" in message
    assert _hashes(built) == before


def test_dangling_reference_to_a_concept_is_named(sources, built, capsys):
    _replace(sources / UNCC, "offence:illegal-access", "offence:illegal-acess")
    code, message = _rebuild(sources, built, capsys)
    assert code == 1
    assert "offence/illegal-acess" in message and "concept-outside-schemes" in message
    assert f"{UNCC}:299: [dangling-reference]" in message  # the article's record, where the typo is


def test_empty_source_file_is_refused(sources, built, capsys):
    (sources / "data" / "empty.ttl").write_text("# nothing yet\n")
    code, message = _rebuild(sources, built, capsys)
    assert code == 2
    assert "data/empty.ttl: holds no triples" in message


def test_article_without_heading_is_reported_with_its_line(sources, built, capsys):
    _replace(sources / UNCC, '    ctkg:heading "Misuse of devices"@en ;\n', "")
    code, message = _rebuild(sources, built, capsys)
    assert code == 1
    text = (sources / UNCC).read_text().splitlines()
    line = text.index("uncc-art:11") + 1
    assert f"{UNCC}:{line}: [article-incomplete]" in message and "ctkg:heading" in message

