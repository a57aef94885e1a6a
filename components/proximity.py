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

from components import i18n
from components.text import clean

GEOD = Geod(ellps="WGS84")
METRIC = "EPSG:32642"
_TO_M = Transformer.from_crs("EPSG:4326", METRIC, always_xy=True)
_TO_DEG = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)
MIN_KM, MAX_KM = 1.0, 1000.0
DEFAULT_KM = 50.0


class UnknownFeature(KeyError):
    def __str__(self) -> str:
        return f"unknown feature id {self.args[0]!r}"


@dataclass(frozen=True)
class Query:
    center: str
    km: float


def parse_near(
    near: str | None, km: str | None, feature_ids: set[str], lang: str = i18n.DEFAULT
) -> tuple[Query | None, list[str]]:
    """The URL's ``near=<id>&km=<n>`` as a :class:`Query`, with plain-text notes (in ``lang``) for
    what was ignored.

    The radius must lie within :data:`MIN_KM`–:data:`MAX_KM`; a bad one falls back to
    :data:`DEFAULT_KM` (with a note), a bad id drops the query.
    """
    notes = []
    radius = DEFAULT_KM
    if km:
        try:
            radius = float(km)
            if not MIN_KM <= radius <= MAX_KM:  # also false for NaN
                raise ValueError
        except ValueError:
            notes.append(i18n.t("notes.bad_km", lang, value=clean(km, 20), min=f"{MIN_KM:g}", max=f"{MAX_KM:g}"))
            radius = DEFAULT_KM
    if not near:
        return None, notes
    if near not in feature_ids:
        notes.append(i18n.t("notes.bad_near", lang, value=clean(near, 40)))
        return None, notes
    return Query(near, radius), notes


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
