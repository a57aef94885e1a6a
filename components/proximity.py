"""Proximity: what lies within a distance of a feature, and the nearest of a kind.

Distances are geodesic (WGS 84 ellipsoid): the closest points of two geometries are found
in UTM zone 42N (metres) and the distance between them is then measured on the ellipsoid.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, transform

GEOD = Geod(ellps="WGS84")
METRIC = "EPSG:32642"
_TO_M = Transformer.from_crs("EPSG:4326", METRIC, always_xy=True)
_TO_DEG = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)
MAX_KM = 1000.0


class UnknownFeature(KeyError):
    def __str__(self) -> str:
        return f"unknown feature id {self.args[0]!r}"


@dataclass(frozen=True)
class Query:
    center: str
    km: float


def parse_near(params, known_ids) -> tuple[str | None, float, list[str]]:
    """The "what is near" state of a URL (``near=<id>&km=<n>``): the feature id (or None),
    the radius (50 km by default) and notes on what was dropped (an unknown feature, a
    radius out of range)."""

    def first(value):
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        return None if value is None else str(value)

    notes = []
    near = first(params.get("near"))
    raw_km = first(params.get("km")) or "50"
    if near and near not in set(known_ids):
        notes.append(f"Ignored unknown feature “{near[:40]}” in near=.")
        near = None
    try:
        km = float(raw_km)
        if not 0 < km <= MAX_KM:
            raise ValueError
    except ValueError:
        notes.append(f"Ignored radius “{raw_km[:20]}” (expected 1–{MAX_KM:g} km).")
        km = 50.0
    return near, km, notes


def distance_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """Geodesic distance between the closest points of two lon/lat geometries, in km."""
    if a.intersects(b):
        return 0.0
    pa, pb = nearest_points(transform(_TO_M.transform, a), transform(_TO_M.transform, b))
    (lon1, lat1), (lon2, lat2) = _TO_DEG.transform(pa.x, pa.y), _TO_DEG.transform(pb.x, pb.y)
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000


def _row(features: gpd.GeoDataFrame, fid: str):
    match = features[features["id"] == fid]
    if match.empty:
        raise UnknownFeature(fid)
    return match.iloc[0]


def within(features: gpd.GeoDataFrame, center: str, km: float) -> pd.DataFrame:
    """Every other feature within ``km`` of feature ``center``, nearest first."""
    if not 0 < km <= MAX_KM:
        raise ValueError(f"radius must be between 0 and {MAX_KM:g} km, got {km:g}")
    origin = _row(features, center).geometry
    # a cheap prefilter in degrees (generous), then the exact geodesic distance
    pad = km / 80 + 0.05
    minx, miny, maxx, maxy = origin.bounds
    box = features.cx[minx - pad : maxx + pad, miny - pad : maxy + pad]
    rows = []
    for fid, name, sector, geom in zip(box["id"], box["name"], box["sector"], box.geometry, strict=True):
        if fid == center:
            continue
        d = distance_km(origin, geom)
        if d <= km:
            rows.append({"id": fid, "name": name, "sector": sector, "distance_km": round(d, 2)})
    return (
        pd.DataFrame(rows, columns=["id", "name", "sector", "distance_km"])
        .sort_values("distance_km")
        .reset_index(drop=True)
    )


def buffer(features: gpd.GeoDataFrame, center: str, km: float) -> BaseGeometry:
    """The area within ``km`` of the feature (drawn on the map), built in metres."""
    geom = transform(_TO_M.transform, _row(features, center).geometry)
    return transform(_TO_DEG.transform, geom.buffer(km * 1000, quad_segs=32))


def nearest(geom: BaseGeometry, candidates: gpd.GeoDataFrame) -> tuple[str, str, float]:
    """(id, name, km) of the candidate nearest to ``geom``."""
    best = min(
        (
            (distance_km(geom, g), fid, name)
            for fid, name, g in zip(candidates["id"], candidates["name"], candidates.geometry, strict=True)
        ),
        default=None,
    )
    if best is None:
        return ("", "n/a", float("nan"))
    return best[1], best[2], round(best[0], 1)


GENERATION = ("coal", "hydro", "wind", "solar")


def sez_table(features: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """For each SEZ (all, or ``zones``): the nearest port, KKH/motorway line and power plant."""
    zones = features[features["sector"] == "sez"] if zones is None else zones
    ports = features[(features["sector"] == "port") & (features["subsector"] == "port")]
    roads = features[(features["sector"] == "transport") & (features["subsector"] == "road")]
    plants = features[(features["sector"] == "energy") & features["subsector"].isin(GENERATION)]
    rows = []
    for _, zone in zones.iterrows():
        port = nearest(zone.geometry, ports)
        road = nearest(zone.geometry, roads)
        plant = nearest(zone.geometry, plants)
        rows.append(
            {
                "zone": zone["name"],
                "precision": zone["precision"],
                "nearest port": port[1],
                "port km": port[2],
                "nearest KKH/motorway": road[1],
                "road km": road[2],
                "nearest power plant": plant[1],
                "plant km": plant[2],
            }
        )
    return pd.DataFrame(rows)
