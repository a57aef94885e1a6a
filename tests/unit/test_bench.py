"""bench/__main__.py: a partial run replaces its own sections of docs/benchmarks.md only."""

from __future__ import annotations

from bench.__main__ import BENCHES, _merge, main

OLD = "# Benchmarks\n\nheader line\n\n## A\n\nold a\n\n## B\n\nold b\n"


def test_merge_replaces_the_section_with_the_same_heading_and_keeps_the_rest():
    text = "\n".join(_merge(OLD, ["## B\n\nnew b\n"]))
    assert "new b" in text and "old b" not in text
    assert "old a" in text and text.startswith("# Benchmarks\n\nheader line")
    assert text.index("## A") < text.index("## B")


def test_merge_appends_a_new_section():
    text = "\n".join(_merge(OLD, ["## C\n\nc\n"]))
    assert text.index("## B") < text.index("## C") and "old b" in text


def test_unknown_benchmark_name_is_refused(capsys):
    assert main(["nonsense"]) == 2
    assert "choose from " + ", ".join(BENCHES) in capsys.readouterr().err
