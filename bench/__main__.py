"""`make bench`: every benchmark in one run; results printed and written to docs/benchmarks.md
(with the scaling plot docs/benchmarks-scaling.png and the screenshot docs/big-import.png)."""

from __future__ import annotations

import os
import platform
import sys
from datetime import date
from pathlib import Path

from bench import browser_bench, map_bench, scale_bench, snapshot_bench
from components import layers

OUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def main() -> int:
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
    for bench in (map_bench, snapshot_bench, scale_bench, browser_bench):
        section, passed = bench.run()
        lines += section
        ok &= passed
    text = "\n".join(lines)
    print(text)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
