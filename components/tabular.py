"""Flat tables and downloads of features: the projects table, CSV and GeoJSON bytes."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from components.formatting import NA, fmt_number, fmt_year, is_missing, sector_label, status_label
from components.layers import ALL_FIELDS, FIELDS

ATTRIBUTION = (
    "CPEC Atlas data, compiled from the sources listed per feature; licence CC BY 4.0. "
    "Positions flagged approximate/area are not exact."
)


def table(features: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per feature with every schema field; lists joined for display."""
    frame = pd.DataFrame(features[list(FIELDS)]).copy()
    frame["province"] = frame["province"].map(lambda t: ", ".join(t))
    frame["first_source"] = frame["sources"].map(lambda t: t[0] if t else None)
    frame["sources"] = frame["sources"].map(list)
    point = features.geometry.representative_point()
    frame["lon"] = point.x.round(5)
    frame["lat"] = point.y.round(5)
    frame["geometry_type"] = features.geometry.geom_type
    return frame.reset_index(drop=True)


def display_table(features: gpd.GeoDataFrame) -> pd.DataFrame:
    """:func:`table` for reading: labels instead of ids, figures as text, unknowns as "n/a"."""
    frame = table(features)
    frame["sector"] = frame["sector"].map(sector_label)
    frame["status"] = frame["status"].map(status_label)
    for column in ("start_year", "completion_year"):
        frame[column] = frame[column].map(fmt_year)
    for column in ("capacity_mw", "length_km", "area_acres", "cost_usd_m"):
        frame[column] = frame[column].map(fmt_number)
    for column in ("subsector", "operator", "description"):
        frame[column] = frame[column].map(lambda v: NA if is_missing(v) else v)
    return frame


def to_csv_bytes(features: gpd.GeoDataFrame) -> bytes:
    frame = table(features).drop(columns=["first_source"])
    frame["sources"] = frame["sources"].map(" ".join)
    return frame.to_csv(index=False).encode("utf-8")


def to_geojson_bytes(features: gpd.GeoDataFrame) -> bytes:
    """A FeatureCollection with the schema fields (no internal columns) and an attribution note."""
    out = []
    columns = [c for c in ALL_FIELDS if c in features]
    for row, geom in zip(features[columns].to_dict("records"), features.geometry, strict=True):
        props = {}
        for key, value in row.items():
            if isinstance(value, tuple):
                value = list(value)
            elif value is pd.NA or (isinstance(value, float) and value != value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            props[key] = value
        out.append({"type": "Feature", "properties": props, "geometry": geom.__geo_interface__})
    collection = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": out}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")
