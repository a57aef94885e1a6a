"""Compact map layers: exact round trips in Python and in the map's own decoder (Node)."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon

from components import assets, compact

GEOMETRIES = [
    Point(67.12345, 25.5),
    LineString([(67, 25), (67.5, 25.1), (68, 25.3)]),
    Polygon([(60, 20), (61, 20), (61, 21), (60, 20)], [[(60.2, 20.1), (60.5, 20.1), (60.5, 20.3), (60.2, 20.1)]]),
    MultiPolygon([Polygon([(70, 30), (71, 30), (71, 31), (70, 30)]), Polygon([(72, 30), (73, 30), (73, 31)])]),
    MultiLineString([[(61, 22), (63, 24)], [(65, 26), (67, 28), (69, 29)]]),
    MultiPoint([(71, 31), (72, 32)]),
]
HOSTILE = "<img src=x onerror=alert(1)></script>"


def _layer():
    return compact.encode(
        GEOMETRIES,
        {
            "id": [f"import-x-{i + 1}" for i in range(6)],
            "n": [HOSTILE, None, "b", "b", "b", "c"],
            "mw": [1320.0, None, 2.5, None, None, 7],
            "src": compact.Listed(["https://a.example/1", None, "https://a.example/2", None, None, None]),
            "x.kind": ["school", "school", "road", None, "school", "road"],
        },
        {"imp": "test"},
    )


def _wiggly_ring(lon, lat, n, seed):
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    radii = 0.05 * (1 + 0.02 * rng.standard_normal(n))
    return Polygon(np.column_stack([lon + radii * np.cos(angles), lat + radii * np.sin(angles)]))


def test_every_geometry_type_round_trips_at_one_metre():
    features = compact.decode(_layer())
    for feature, original in zip(features, GEOMETRIES, strict=True):
        back = shapely.from_geojson(json.dumps(feature["geometry"]))
        assert back.geom_type == original.geom_type
        assert shapely.equals_exact(back, original, tolerance=1e-5), (back, original)


def test_columns_constants_and_unknowns():
    payload = _layer()
    assert payload["cols"]["id"] == {"seq": "import-x-"}  # numbered ids travel as their prefix
    assert payload["cols"]["x.kind"]["d"] == ["school", "road"]  # repeated texts once
    links = ["https://a.example/7", "https://a.example/2", "https://a.example/9"]
    assert compact.encode_column(links) == {"p": "https://a.example/", "v": ["7", "2", "9"]}  # a shared start once
    features = compact.decode(payload)
    first, second = features[0]["properties"], features[1]["properties"]
    assert first == {
        "imp": "test",
        "id": "import-x-1",
        "n": HOSTILE,
        "mw": 1320,
        "src": ["https://a.example/1"],
        "x": {"kind": "school"},
    }
    assert "n" not in second and "mw" not in second and second["src"] == []  # unknowns are left out
    assert "x" not in features[3]["properties"]


def test_inlined_payload_cannot_close_the_script():
    text = compact.to_json(_layer())
    assert "</script>" not in text and "<\\/script>" in text
    assert compact.payloads(f"window.atlasCompactLayer({text}).addTo(x);")[0]["n"] == 6


def test_zoom_bands_keep_fewer_vertices_at_low_zoom_and_every_footprint():
    rings = [_wiggly_ring(62 + i * 0.5, 25 + (i % 7) * 0.5, 400, i) for i in range(20)]
    rings.append(_wiggly_ring(70, 30, 5, 99).buffer(0).simplify(0))  # a tiny five-vertex footprint
    payload = compact.encode(rings, {"id": [str(i) for i in range(len(rings))]})
    geometry = payload["g"]
    assert geometry["z"] == list(compact.BAND_ZOOMS)
    counts = []
    for band in range(len(compact.BAND_ZOOMS) + 1):
        shapes = [shapely.from_geojson(json.dumps(f["geometry"])) for f in compact.decode(payload, band)]
        assert all(s.is_valid or s.buffer(0).area > 0 for s in shapes)
        assert all(s.geom_type == "Polygon" and len(s.exterior.coords) >= 4 for s in shapes)  # none vanishes
        counts.append(sum(len(s.exterior.coords) for s in shapes))
    assert counts[0] < counts[1] < counts[2] <= counts[3] == sum(len(r.exterior.coords) for r in rings)
    assert counts[0] < counts[3] / 5
    assert compact.band_for(geometry, 5) == 0 and compact.band_for(geometry, 10) == 2
    assert compact.band_for(geometry, 15) == 3


def test_points_are_small_on_the_wire():
    rng = np.random.default_rng(3)
    points = shapely.points(rng.uniform(61, 77, 10_000), rng.uniform(24, 37, 10_000))
    text = compact.to_json(compact.encode(points, {"id": [f"p-{i + 1}" for i in range(10_000)]}))
    assert len(text) < 10_000 * 10  # under 10 bytes a point, ids included
    geojson = json.dumps([{"type": "Point", "coordinates": [round(p.x, 5), round(p.y, 5)]} for p in points])
    assert len(text) * 3 < len(geojson)


def test_scripts_are_served_by_the_app_and_supercluster_comes_from_npm():
    names = [url for _, url in compact.scripts()]
    assert names[0] == assets.SUPERCLUSTER_JS and assets.SUPERCLUSTER_JS in assets.CDN_FILES
    for url in names[1:]:
        assert url.startswith("/app/static/atlas/")
        assert (assets.OWN_DIR / url.rsplit("/", 1)[1]).is_file()


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js not installed")
def test_the_map_decoder_reads_what_python_writes():
    """static/atlas/decode.js, run in Node, gives the same features at every band."""
    rings = [_wiggly_ring(62 + i, 26, 300, i) for i in range(5)]
    payloads = [_layer(), compact.encode([*rings, *GEOMETRIES[:2]], {"id": [str(i) for i in range(7)]})]
    script = (
        "global.window = {}; require(process.argv[1]);"
        "const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify([0, 1, 2, 3, undefined].map(b => data.map(d => window.atlasDecode(d, b)))));"
    )
    out = subprocess.run(
        ["node", "-e", script, str(assets.OWN_DIR / "decode.js")],
        input=json.dumps(payloads),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    decoded = json.loads(out.stdout)
    for result, band in zip(decoded, [0, 1, 2, 3, None], strict=True):
        assert result == [compact.decode(p, band) for p in payloads], band
