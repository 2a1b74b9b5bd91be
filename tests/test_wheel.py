"""The wheel carries the sources: installed (not editable) in a fresh virtual environment, it
builds the graph from any directory."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_builds_from_any_directory(tmp_path):
    if not (REPO / "pyproject.toml").is_file():
        pytest.fail("tests must run from a source checkout to build the wheel")
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)], check=True)
    (wheel,) = wheels.glob("cybertreaty_kg-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run([str(env_dir / "bin" / "cybertreaty-kg"), "build"], cwd=elsewhere, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (elsewhere / "dist").iterdir()) == [
        "cybertreaty-kg.jsonld", "cybertreaty-kg.nq", "cybertreaty-kg.trig", "cybertreaty-kg.ttl", "void.ttl"]
    info = subprocess.run([str(env_dir / "bin" / "cybertreaty-kg"), "info"], cwd=elsewhere, capture_output=True, text=True)
    assert "uncc" in info.stdout and "68" in info.stdout
    assert "_sources" in subprocess.run(
        [str(python), "-c", "from cybertreaty_kg.paths import default_root; print(default_root())"],
        cwd=elsewhere, capture_output=True, text=True).stdout
    query = subprocess.run([str(env_dir / "bin" / "cybertreaty-kg"), "query", "run", "offence-diff", "--param", "a=budapest",
                            "--param", "b=uncc", "--format", "csv"], cwd=elsewhere, capture_output=True, text=True)
    assert query.stdout == "offence,a_articles,b_status,a_not_verified\ncopyright-infringement,10,not addressed,\n", query.stderr
