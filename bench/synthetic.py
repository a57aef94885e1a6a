"""Seeded synthetic layers for the benchmarks and the big-import browser test.

Nothing here is data about the corridor: positions are random draws inside Pakistan's
bounding box, names are numbered, and the files only stand in for what users upload.
"""

from __future__ import annotations

import json

import numpy as np

BOX = (61.5, 24.5, 76.5, 36.5)  # lon/lat box the points are drawn in
CATEGORIES = ("school", "health", "road", "power", "water", "market")
STATUS = ("Completion", "Implementation", "Pipeline: Commitment", "Pipeline: Pledge", "Suspended")
SECTORS = ("Energy", "Transport and Storage", "Health", "Education", "Water Supply and Sanitation", "Communications")


def _dump(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def points_geojson(n: int, seed: int = 11, padding: int = 0) -> bytes:
    """``n`` points as an uploaded GeoJSON file; ``padding`` characters of note text per point
    make the file as heavy as a real export with long descriptions (50 MB at 50,000 points)."""
    rng = np.random.default_rng(seed)
    xs = np.round(rng.uniform(BOX[0], BOX[2], n), 6)
    ys = np.round(rng.uniform(BOX[1], BOX[3], n), 6)
    kinds = rng.integers(0, len(CATEGORIES), n)
    values = np.round(rng.gamma(2.0, 40.0, n), 2)
    years = rng.integers(2005, 2030, n)
    features = []
    for i in range(n):
        props = {
            "name": f"Site {i + 1}",
            "category": CATEGORIES[kinds[i]],
            "value": float(values[i]),
            "start_year": int(years[i]),
        }
        if padding:
            note = f"Synthetic note {i + 1}. " * (padding // 20 + 1)
            props["note"] = note[: min(padding, 480)]
            for k in range(1, (padding - 1) // 480 + 1):
                props[f"note_{k}"] = note[: min(480, padding - 480 * k)]
        features.append(
            {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [xs[i], ys[i]]}}
        )
    return _dump(features)


def _ring(rng, lon: float, lat: float, radius: float, vertices: int) -> list[list[float]]:
    angles = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    radii = radius * rng.uniform(0.6, 1.0, vertices)
    ring = np.column_stack([lon + radii * np.cos(angles), lat + radii * np.sin(angles) * 0.9])
    ring = np.round(ring, 7).tolist()
    return [*ring, ring[0]]


def aiddata_like_geojson(polygons: int = 5000, lines: int = 2000, seed: int = 12) -> bytes:
    """AidData-GeoGCDF-like projects: ``polygons`` multipolygons (1–3 footprints of 12–80
    vertices, OpenStreetMap precision) and ``lines`` roads/lines of 30–250 vertices."""
    rng = np.random.default_rng(seed)
    features = []
    for i in range(polygons + lines):
        lon, lat = rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])
        if i < polygons:
            parts = []
            for _ in range(int(rng.integers(1, 4))):
                dx, dy = rng.normal(0, 0.05, 2)
                parts.append([_ring(rng, lon + dx, lat + dy, rng.uniform(0.003, 0.04), int(rng.integers(12, 81)))])
            geometry = {"type": "MultiPolygon", "coordinates": parts}
        else:
            steps = rng.normal(0, 0.004, (int(rng.integers(30, 251)), 2)) + rng.normal(0, 0.002, 2)
            path = np.round(np.cumsum(steps, axis=0) + np.array([lon, lat]), 7).tolist()
            geometry = {"type": "LineString", "coordinates": path}
        year = int(rng.integers(2000, 2022))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": 90000 + i,
                    "Title": f"Synthetic project {i + 1}",
                    "Status": STATUS[int(rng.integers(0, len(STATUS)))],
                    "Commitment Year": year,
                    "Implementation Start Year": year + 1,
                    "Completion Year": year + 4 if rng.random() < 0.6 else None,
                    "AidData Sector Name": SECTORS[int(rng.integers(0, len(SECTORS)))],
                    "Amount (Constant USD2021)": float(np.round(rng.gamma(1.5, 5e7), 2)),
                    "Recipient ISO-3": "PAK",
                    "Funding Agencies": "Synthetic Development Bank",
                    "Implementing Agencies": "Synthetic Works Agency",
                    "OSM Precision List": "precise",
                },
                "geometry": geometry,
            }
        )
    return _dump(features)
