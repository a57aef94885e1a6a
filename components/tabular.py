"""Flat tables and downloads of features: the projects table, CSV and GeoJSON bytes."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from components import i18n
from components.formatting import NA, fmt_number, fmt_year, is_missing
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


#: Columns of :func:`display_table` with a plain header (``columns.<name>`` in data/i18n).
DISPLAY_COLUMNS = (
    "sector",
    "subsector",
    "status",
    "province",
    "start_year",
    "completion_year",
    "capacity_mw",
    "length_km",
    "area_acres",
    "cost_usd_m",
    "operator",
    "precision",
)


def display_table(features: gpd.GeoDataFrame, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """:func:`table` for reading: labels instead of ids (in ``lang``), figures as text, unknowns as "n/a"."""
    frame = table(features)
    frame["name"] = [i18n.feature_name(r, lang) for r in features.to_dict("records")]
    frame["sector"] = frame["sector"].map(lambda s: i18n.sector(s, lang))
    frame["status"] = frame["status"].map(lambda s: i18n.status(s, lang))
    frame["province"] = features["province"].map(lambda t: i18n.t("describe.comma", lang).join(i18n.provinces(t, lang)))
    frame["precision"] = frame["precision"].map(lambda p: i18n.t(f"precision_short.{p}", lang))
    for column in ("start_year", "completion_year"):
        frame[column] = frame[column].map(fmt_year)
    for column in ("capacity_mw", "length_km", "area_acres", "cost_usd_m"):
        frame[column] = frame[column].map(fmt_number)
    for column in ("subsector", "operator", "description"):
        frame[column] = frame[column].map(lambda v: NA if is_missing(v) else v)
    na = i18n.t("common.na", lang)
    return frame.replace(NA, na) if na != NA else frame


UNLOCATED_COLUMNS = ["name", "sector", "status", "length_km", "area_acres", "cost_usd_m", "sources"]


def unlocated_table(unlocated: pd.DataFrame, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    """The sourced assets listed without a position, for reading as :func:`display_table` does."""
    na = i18n.t("common.na", lang)
    frame = pd.DataFrame(
        {
            "name": [i18n.feature_name(r, lang) for r in unlocated.to_dict("records")],
            "sector": unlocated["sector"].map(lambda s: i18n.sector(s, lang)),
            "status": unlocated["status"].map(lambda s: i18n.status(s, lang)),
            **{c: unlocated[c].map(fmt_number) for c in ("length_km", "area_acres", "cost_usd_m")},
            "sources": unlocated["sources"].map(list),
        }
    )
    return frame.replace(NA, na) if na != NA else frame


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
