"""Big layers: imported points and polygons through the atlas against ``GeoDataFrame.explore()``,
and a PNG snapshot with 50,000 imported points.

Everything is measured side by side in one run on seeded synthetic data (bench/synthetic.py),
read through ``importer.read`` as an upload would be. "Build + render" is the whole map
(base map, the imported layer, layer control) rendered to HTML; "payload" is that HTML's
size. Targets: at 50,000 points a payload ≤ 1/5 and a build + render ≤ 1/8 of explore()'s;
for 5,000 multipolygons + 2,000 lines a payload ≤ 1/5; the snapshot ≤ 3 s.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import folium

from bench import synthetic
from components import importer, layers, map_builder, snapshot

SIZES = (1_000, 10_000, 50_000)
PLOT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks-scaling.png"
PAYLOAD_RATIO, TIME_RATIO, SNAPSHOT_S = 5.0, 8.0, 3.0


def atlas_html(layer: importer.ImportedLayer) -> str:
    m = map_builder.build_base_map()
    map_builder.build_import_group(layer.features, layer.name, 0).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m.get_root().render()


def explore_html(layer: importer.ImportedLayer) -> str:
    return layer.features.explore().get_root().render()


def _measure(build, layer, runs: int) -> tuple[float, int]:
    """Median seconds of ``runs`` builds and the HTML's size in bytes."""
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        html = build(layer)
        times.append(time.perf_counter() - start)
        size = len(html.encode())
    return statistics.median(times), size


def _plot(rows: list[tuple[int, float, float, int, int]]) -> None:
    import matplotlib.pyplot as plt

    counts = [r[0] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=110)
    left.plot(counts, [r[1] for r in rows], "o-", color="#0072B2", label="CPEC Atlas")
    left.plot(counts, [r[2] for r in rows], "s--", color="#D55E00", label="GeoDataFrame.explore()")
    left.set(xscale="log", yscale="log", xlabel="imported points", ylabel="build + render (s)")
    right.plot(counts, [r[3] / 1e6 for r in rows], "o-", color="#0072B2", label="CPEC Atlas")
    right.plot(counts, [r[4] / 1e6 for r in rows], "s--", color="#D55E00", label="GeoDataFrame.explore()")
    right.set(xscale="log", yscale="log", xlabel="imported points", ylabel="HTML payload (MB)")
    for ax in (left, right):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("Imported points: atlas vs explore() (synthetic, seeded; one run)", fontsize=10)
    fig.tight_layout()
    PLOT.parent.mkdir(exist_ok=True)
    fig.savefig(PLOT)
    plt.close(fig)


def run() -> tuple[list[str], bool]:
    rows = []
    big = None
    atlas_html(importer.read("warm.geojson", synthetic.points_geojson(100)))  # warm-up: imports, templates
    for n in SIZES:
        layer = importer.read(f"points-{n}.geojson", synthetic.points_geojson(n))
        runs = 3 if n < 50_000 else 1
        atlas_s, atlas_b = _measure(atlas_html, layer, 3)
        explore_s, explore_b = _measure(explore_html, layer, runs)
        rows.append((n, atlas_s, explore_s, atlas_b, explore_b))
        if n == 50_000:
            big = layer
    _plot(rows)

    polygons = importer.read("aiddata-like.geojson", synthetic.aiddata_like_geojson())
    poly_atlas_s, poly_atlas_b = _measure(atlas_html, polygons, 1)
    poly_explore_s, poly_explore_b = _measure(explore_html, polygons, 1)
    vertices = int(polygons.features.geometry.count_coordinates().sum())

    atlas = layers.load_atlas().features
    spec = snapshot.SnapshotSpec(bbox=map_builder.DEFAULT_BOUNDS, subtitle="50,000 imported points")
    extra = [("Imported: 50,000 points", map_builder.IMPORT_COLOURS[0], big.features)]
    snapshot.render_bytes(atlas, spec, "png", extra)  # warm-up
    snaps = []
    for _ in range(3):
        start = time.perf_counter()
        png = snapshot.render_bytes(atlas, spec, "png", extra)
        snaps.append(time.perf_counter() - start)
    assert png.startswith(b"\x89PNG")
    snap_s = statistics.median(snaps)

    n, a_s, e_s, a_b, e_b = rows[-1]
    checks = {
        "points_payload": e_b / a_b >= PAYLOAD_RATIO,
        "points_time": e_s / a_s >= TIME_RATIO,
        "polygons_payload": poly_explore_b / poly_atlas_b >= PAYLOAD_RATIO,
        "snapshot": snap_s <= SNAPSHOT_S,
    }
    lines = [
        "## Big imported layers versus `GeoDataFrame.explore()` (same frame, one run)",
        "",
        "Seeded synthetic uploads read through `importer.read`; build + render = base map, the imported "
        "layer and the layer control rendered to HTML (median of 3 for the atlas and for explore() up to "
        "10,000 points, one explore() run at 50,000).",
        "",
        "| features | atlas build + render | explore() | atlas faster by | atlas payload | explore() payload "
        "| atlas smaller by |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {n:,} points | {a:.2f} s | {e:.2f} s | {e / a:.1f}× | {ab / 1e6:.2f} MB | {eb / 1e6:.2f} MB "
            f"| {eb / ab:.1f}× |"
            for n, a, e, ab, eb in rows
        ],
        f"| 5,000 multipolygons + 2,000 lines ({vertices:,} vertices) | {poly_atlas_s:.2f} s | "
        f"{poly_explore_s:.2f} s | {poly_explore_s / poly_atlas_s:.1f}× | {poly_atlas_b / 1e6:.2f} MB | "
        f"{poly_explore_b / 1e6:.2f} MB | {poly_explore_b / poly_atlas_b:.1f}× |",
        "",
        "![Build time and payload against feature count](benchmarks-scaling.png)",
        "",
        f"PNG snapshot (1200 × 800, `components.snapshot`) of the atlas with 50,000 imported points: "
        f"**{snap_s:.2f} s** (median of 3).",
        "",
        "Targets: 50,000 points payload ≤ 1/5 of explore()'s "
        f"(**{'met' if checks['points_payload'] else 'NOT met'}**, {e_b / a_b:.1f}×), build + render ≤ 1/8 "
        f"(**{'met' if checks['points_time'] else 'NOT met'}**, {e_s / a_s:.1f}×); polygons + lines payload ≤ 1/5 "
        f"(**{'met' if checks['polygons_payload'] else 'NOT met'}**, {poly_explore_b / poly_atlas_b:.1f}×); "
        f"snapshot ≤ {SNAPSHOT_S:.0f} s (**{'met' if checks['snapshot'] else 'NOT met'}**).",
        "",
    ]
    return lines, all(checks.values())
