"""`make bench`: every benchmark in one run; results printed and written to docs/benchmarks.md
(with the scaling plot docs/benchmarks-scaling.png and the screenshot docs/big-import.png).

``python -m bench load`` (or ``map``, ``snapshot``, ``scale``, ``browser``) runs only those and
replaces their sections in docs/benchmarks.md, keeping the others.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import date
from pathlib import Path

from bench import browser_bench, load_bench, map_bench, scale_bench, snapshot_bench
from components import layers

OUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


BENCHES = {
    "map": map_bench,
    "snapshot": snapshot_bench,
    "scale": scale_bench,
    "browser": browser_bench,
    "load": load_bench,
}


def _merge(old: str, new_sections: list[str]) -> list[str]:
    """Replace the ``## `` sections of ``old`` that share a heading with a new one."""
    parts = old.split("\n## ")
    head, sections = parts[0], ["## " + p for p in parts[1:]]
    for new in new_sections:
        heading = new.split("\n", 1)[0]
        same = [i for i, s in enumerate(sections) if s.split("\n", 1)[0] == heading]
        if same:
            sections[same[0]] = new
        else:
            sections.append(new)
    return [head.rstrip("\n"), "", *(s.rstrip("\n") + "\n" for s in sections)]


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    count = len(layers.load_atlas().features)
    load = os.getloadavg()[0]
    lines = [
        "# Benchmarks",
        "",
        f"`make bench` on {date.today().isoformat()}: {count} features, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {load:.1f} when it started "
        "(other work on the machine slows every timing; the ratios are measured side by side).",
        "",
    ]
    ok = True
    sections = []
    for name in names or BENCHES:
        section, passed = BENCHES[name].run()
        sections.append("\n".join(section))
        ok &= passed
    if names and OUT.exists():
        text = "\n".join(_merge(OUT.read_text(encoding="utf-8"), sections))
    else:
        text = "\n".join(lines) + "\n" + "\n".join(sections)
    print(text)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
