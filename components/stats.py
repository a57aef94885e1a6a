"""Figures computed from the (filtered) features: headline totals and geodesic measures.

Totals only add up published figures (a feature with a null figure adds nothing and
is counted as "not published"); lengths measured from the geometries are computed
on the WGS 84 ellipsoid with pyproj, never in degrees.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from components import vocab

GEOD = Geod(ellps="WGS84")
ACRES_PER_M2 = 1 / 4046.8564224

#: Energy subsectors that generate power (transmission capacity is not generation).
GENERATION = ("coal", "hydro", "wind", "solar", "gas", "nuclear")


@dataclass(frozen=True)
class Total:
    value: float
    known: int  # features with a published figure
    of: int  # features the figure applies to


def geodesic_length_km(geom: BaseGeometry) -> float:
    """Length of a (multi)line on the ellipsoid, in km."""
    return GEOD.geometry_length(geom) / 1000.0


def geodesic_area_acres(geom: BaseGeometry) -> float:
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area) * ACRES_PER_M2


def _total(values: pd.Series) -> Total:
    return Total(float(values.fillna(0).sum()), int(values.notna().sum()), len(values))


def counts_by_sector(features: pd.DataFrame) -> dict[str, int]:
    counts = features["sector"].value_counts()
    return {s.id: int(counts.get(s.id, 0)) for s in vocab.SECTORS if counts.get(s.id, 0)}


def headline(features: gpd.GeoDataFrame) -> dict[str, Total]:
    """The overview's figures for the current filter.

    Generation counts operational plants; ``pipeline_mw`` is what is under construction,
    planned or proposed (suspended projects are in neither).
    """
    generation = features[(features["sector"] == "energy") & features["subsector"].isin(GENERATION)]
    pipeline = generation["status"].isin(["under_construction", "planned", "proposed"])
    lines = features[features.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    # alignments are routes made of other roads: counting them would count those roads twice
    linear = lines[lines["sector"].isin(["transport", "energy", "digital"]) & (lines["subsector"] != "alignment")]
    sez = features[features["sector"] == "sez"]
    return {
        "features": Total(float(len(features)), len(features), len(features)),
        "generation_mw": _total(generation.loc[generation["status"] == "operational", "capacity_mw"]),
        "pipeline_mw": _total(generation.loc[pipeline, "capacity_mw"]),
        "length_km": _total(linear["length_km"]),
        "sez_acres": _total(sez["area_acres"]),
        "cost_usd_m": _total(features["cost_usd_m"]),
    }


def length_table(features: gpd.GeoDataFrame) -> pd.DataFrame:
    """For every line: published length next to the geodesic length of the drawn geometry."""
    lines = features[features.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    table = pd.DataFrame(
        {
            "id": lines["id"],
            "name": lines["name"],
            "published_km": lines["length_km"],
            "drawn_km": [round(geodesic_length_km(g), 1) for g in lines.geometry],
        }
    )
    table["drawn_vs_published"] = (table["drawn_km"] / table["published_km"]).round(2)
    return table.reset_index(drop=True)


def sources_table(features: pd.DataFrame) -> pd.DataFrame:
    """Every source URL with the features that cite it."""
    rows: dict[str, list[str]] = {}
    for fid, sources in zip(features["id"], features["sources"], strict=True):
        for url in sources:
            rows.setdefault(url, []).append(fid)
    return (
        pd.DataFrame(
            {
                "source": list(rows),
                "features": [", ".join(v) for v in rows.values()],
                "count": [len(v) for v in rows.values()],
            }
        )
        .sort_values(["count", "source"], ascending=[False, True])
        .reset_index(drop=True)
    )
