"""The CLI commands print what the API computes and exit with pySHACL's convention."""

from __future__ import annotations

from cybertreaty_kg.cli import main


def test_check_passes_on_the_shipped_sources(capsys):
    assert main(["check"]) == 0
    assert "all hygiene checks pass" in capsys.readouterr().out


def test_info_lists_the_uncc_with_68_articles(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "uncc" in out and "68" in out
    assert "https://docs.un.org/en/A/RES/79/243" in out


def test_unknown_sources_folder_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.ttl").write_text("@prefix : <http://e/> .\n:a :b ")
    assert main(["--sources", str(tmp_path), "check"]) == 2
    assert "data/x.ttl:2:" in capsys.readouterr().err
