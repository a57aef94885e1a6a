"""The Karakoram Highway's profile: published elevations against distance along the road.

Elevations come from ``data/kkh_elevations.json`` (each with its source); distances are
measured along the atlas' KKH line from Hasan Abdal, geodesically, to the point of the line
nearest each place.
"""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
from pyproj import Transformer
from shapely.geometry import LineString, Point
from shapely.ops import substring, transform

from components import i18n
from components.layers import DATA_DIR, LayerError
from components.stats import geodesic_length_km

FILE = "kkh_elevations.json"
KKH_ID = "karakoram-highway-n35"
_TO_M = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True)  # UTM 43N covers the KKH


def load_elevations(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    try:
        raw = json.loads((Path(data_dir) / FILE).read_text(encoding="utf-8"))
        frame = pd.DataFrame(raw["places"], columns=["place", "lon", "lat", "elevation_m", "source"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LayerError(FILE, f"cannot read the elevations ({exc})") from exc
    bad = ~(
        frame["elevation_m"].between(0, 8848)
        & frame["lon"].between(60, 80)
        & frame["lat"].between(23, 40.5)
        & frame["source"].astype(str).str.match(r"^https?://")
    )
    if bad.any():
        raise LayerError(FILE, f"implausible or unsourced entries: {', '.join(frame.loc[bad, 'place'])}")
    return frame


def along(line: LineString, lon: float, lat: float) -> tuple[float, float]:
    """(km along the line from its start to the point nearest (lon, lat), km off the line)."""
    metric = transform(_TO_M.transform, line)
    here = transform(_TO_M.transform, Point(lon, lat))
    fraction = metric.project(here) / metric.length
    part = substring(line, 0, fraction, normalized=True)
    off = metric.distance(here) / 1000
    return (geodesic_length_km(part) if part.length > 0 else 0.0), off


def profile(features: pd.DataFrame, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Places with elevation, distance along the KKH line, and how far the place lies off it."""
    rows = features[features["id"] == KKH_ID]
    if rows.empty:
        return pd.DataFrame(columns=["place", "km", "elevation_m", "off_line_km", "source"])
    line = rows.iloc[0].geometry
    frame = load_elevations(data_dir)
    measured = [along(line, lon, lat) for lon, lat in zip(frame["lon"], frame["lat"], strict=True)]
    frame["km"] = [round(km, 1) for km, _ in measured]
    frame["off_line_km"] = [round(off, 1) for _, off in measured]
    return frame.sort_values("km").reset_index(drop=True)[["place", "km", "elevation_m", "off_line_km", "source"]]


def chart(table: pd.DataFrame, lang: str = i18n.DEFAULT) -> alt.Chart:
    base = alt.Chart(table, title=i18n.t("charts.profile", lang))
    line = base.mark_line(color="#0072B2").encode(
        x=alt.X("km:Q", title=i18n.t("charts.profile_x", lang)),
        y=alt.Y("elevation_m:Q", title=i18n.t("charts.profile_y", lang)),
    )
    points = base.mark_point(filled=True, color="#0072B2", size=50).encode(
        x="km:Q", y="elevation_m:Q", tooltip=["place:N", "elevation_m:Q", "km:Q", "source:N"]
    )
    labels = base.mark_text(align="left", dx=5, dy=-6, fontSize=10).encode(x="km:Q", y="elevation_m:Q", text="place:N")
    return line + points + labels
