"""Map benchmark: rebuild time after a filter change and HTML payload, versus GeoDataFrame.explore().

Run with ``make bench``. Targets: rebuild median ≤ 100 ms and default-view payload ≤ 150 KB,
each at least 2× better than ``explore()`` on the same layers. Results are printed and
written to docs/benchmarks.md.
"""

from __future__ import annotations

import statistics
import time

import geopandas as gpd

from components import layers, map_builder
from components.filters import Filters, apply_filters

RUNS = 20
FILTER_CYCLE = [
    Filters(),
    Filters(sectors=("energy",)),
    Filters(sectors=("transport", "port")),
    Filters(statuses=("operational",)),
    Filters(provinces=("sindh", "balochistan")),
]
TARGET_MS, TARGET_KB, TARGET_RATIO = 100.0, 150.0, 2.0


def _plain(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """explore() cannot serialise tuples; give it the same rows with lists joined."""
    frame = features.drop(columns=["geom_kind"]).copy()
    frame["sources"] = frame["sources"].map(" ".join)
    frame["province"] = frame["province"].map(", ".join)
    for column in ("start_year", "completion_year"):
        frame[column] = frame[column].astype("float")
    return frame


def atlas_build(features, filters):
    return map_builder.build_map(features, filters).get_root().render()


def explore_build(features, filters):
    return _plain(apply_filters(features, filters)).explore(column="sector").get_root().render()


def timed(build, features) -> list[float]:
    build(features, Filters())  # warm-up (imports, templates)
    times = []
    for i in range(RUNS):
        start = time.perf_counter()
        build(features, FILTER_CYCLE[i % len(FILTER_CYCLE)])
        times.append((time.perf_counter() - start) * 1000)
    return times


def run() -> tuple[list[str], bool]:
    atlas = layers.load_atlas()
    features = atlas.features
    atlas_ms = statistics.median(timed(atlas_build, features))
    explore_ms = statistics.median(timed(explore_build, features))
    atlas_kb = len(atlas_build(features, Filters()).encode()) / 1024
    explore_kb = len(explore_build(features, Filters()).encode()) / 1024
    rows = [
        (
            "Rebuild after a filter change (median of 20)",
            f"{atlas_ms:.1f} ms",
            f"{explore_ms:.1f} ms",
            explore_ms / atlas_ms,
        ),
        ("HTML payload, default view", f"{atlas_kb:.1f} KB", f"{explore_kb:.1f} KB", explore_kb / atlas_kb),
    ]
    ok = atlas_ms <= TARGET_MS and atlas_kb <= TARGET_KB and all(r[3] >= TARGET_RATIO for r in rows)
    lines = [
        "## Interactive map versus `GeoDataFrame.explore()` (same layers and filters)",
        "",
        "| measure | CPEC Atlas `build_map` | `GeoDataFrame.explore()` | atlas better by |",
        "|---|---|---|---|",
        *[f"| {name} | {a} | {b} | {ratio:.1f}× |" for name, a, b, ratio in rows],
        "",
        f"Targets: rebuild ≤ {TARGET_MS:.0f} ms, payload ≤ {TARGET_KB:.0f} KB, each ≥ {TARGET_RATIO:.0f}× better "
        f"than explore(): **{'met' if ok else 'NOT met'}**.",
        "",
    ]
    return lines, ok
