"""Docs that cannot drift: every layer and every non-exact position is documented; set-up promises hold."""

from __future__ import annotations

import re
from pathlib import Path

from components import layers

ROOT = Path(__file__).resolve().parents[2]
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_every_layer_has_a_section_in_the_data_readme():
    for spec in layers.read_registry():
        assert f"### `{spec.id}`" in DATA_README, spec.id


def test_every_not_exact_position_and_unlocated_entry_is_listed():
    atlas = layers.load_atlas()
    not_exact = atlas.features.loc[atlas.features["precision"] != "exact", "id"]
    missing = [i for i in [*not_exact, *atlas.unlocated["id"]] if f"`{i}`" not in DATA_README]
    assert missing == []


def test_every_layer_file_is_registered():
    registered = {spec.file for spec in layers.read_registry()}
    on_disk = {f"layers/{p.name}" for p in (ROOT / "data" / "layers").glob("*.geojson")}
    assert on_disk == registered


def test_readme_shows_the_two_commands_and_ci_runs_the_same():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)
    makefile = (ROOT / "Makefile").read_text()
    for target in ("setup", "run", "test", "bench", "lint"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_requirements_are_pinned_runtime_only():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert all("==" in line for line in lines), lines
    names = {re.split(r"[\[=]", line)[0].lower() for line in lines}
    assert {"streamlit", "streamlit-folium", "folium", "geopandas", "pandera"} <= names
    assert not names & {"pytest", "playwright", "ruff"}


def test_every_cli_option_in_the_readme_exists():
    from components.__main__ import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    mentioned = set(re.findall(r"(--[a-z][a-z-]*)", section))
    parser = build_parser()
    known = {"--help"}
    for action in parser._subparsers._group_actions[0].choices.values():
        for option in action._option_string_actions:
            known.add(option)
    assert mentioned and mentioned <= known, mentioned - known
