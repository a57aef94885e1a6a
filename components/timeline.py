"""The corridor in a given year: statuses derived from start and completion years, and the
yearly build-out (construction periods, cumulative generation and length).

Rules for a year Y, from each feature's current status and its years:

- operational now: operational from its completion year, under construction from its start
  year, not yet started before that;
- under construction now: under construction from its start year, not yet started before;
- planned / proposed / suspended: shown with that status from the year it was due to be
  completed (or due to start), not before;
- a feature with no year at all cannot be placed in time and is left out.
"""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import pandas as pd

from components import i18n, vocab

YEAR_MIN, YEAR_MAX = 2013, 2030  # CPEC's launch to the CPEC 2.0 horizon
GENERATION = ("coal", "hydro", "wind", "solar", "gas", "nuclear")


def status_as_of(features: pd.DataFrame, year: int) -> pd.Series:
    """Each feature's status in ``year``; None where it had not started (or has no years)."""
    start = features["start_year"].astype("Float64")
    end = features["completion_year"].astype("Float64")
    out = pd.Series([None] * len(features), index=features.index, dtype=object)
    now = features["status"]
    built = now == "operational"
    out[built & (end <= year).fillna(False)] = "operational"
    building = (built & out.isna()) | (now == "under_construction")
    out[building & (start <= year).fillna(False)] = "under_construction"
    # an operational feature with only a completion year was at least under way the year before
    out[built & out.isna() & start.isna() & (end == year + 1).fillna(False)] = "under_construction"
    intended = now.isin(["planned", "proposed", "suspended"])
    due = end.fillna(start)
    out[intended & (due <= year).fillna(False)] = now[intended & (due <= year).fillna(False)]
    return out


def as_of(features: gpd.GeoDataFrame, year: int) -> gpd.GeoDataFrame:
    """The features that existed (or were under way) in ``year``, with their status then."""
    status = status_as_of(features, year)
    frame = features[status.notna()].copy()
    frame["status"] = status[status.notna()]
    return frame


def undated(features: pd.DataFrame) -> int:
    return int((features["start_year"].isna() & features["completion_year"].isna()).sum())


def buildout(features: pd.DataFrame) -> pd.DataFrame:
    """Per year: operational generation (MW) and length of operational roads, rail and lines (km)."""
    rows = []
    for year in range(YEAR_MIN, YEAR_MAX + 1):
        frame = features.assign(then=status_as_of(features, year))
        operational = frame[frame["then"] == "operational"]
        generation = operational[(operational["sector"] == "energy") & operational["subsector"].isin(GENERATION)]
        lines = operational[
            operational["length_km"].notna() & operational["sector"].isin(["transport", "energy", "digital"])
        ]
        rows.append(
            {
                "year": year,
                "generation_mw": float(generation["capacity_mw"].fillna(0).sum()),
                "length_km": float(lines["length_km"].sum()),
                "features": len(operational),
            }
        )
    return pd.DataFrame(rows)


def gantt(features: pd.DataFrame, lang: str = i18n.DEFAULT) -> alt.Chart:
    """Construction periods (start → completion) by sector; only features with both years."""
    frame = features[features["start_year"].notna() & features["completion_year"].notna()]
    data = pd.DataFrame(
        {
            "name": pd.Series([i18n.feature_name(r, lang) for r in frame.to_dict("records")], index=frame.index)
            .astype(str)
            .str.slice(0, 60),
            "sector": frame["sector"].map(lambda s: i18n.sector(s, lang)),
            "start": frame["start_year"].astype(int),
            "end": frame["completion_year"].astype(int) + 1,  # to the end of the completion year
            "status": frame["status"].map(lambda s: i18n.status(s, lang)),
        }
    ).sort_values(["sector", "start"])
    scale = alt.Scale(domain=[i18n.sector(s.id, lang) for s in vocab.SECTORS], range=[s.colour for s in vocab.SECTORS])
    year = i18n.t("charts.year", lang)
    return (
        alt.Chart(data, title=i18n.t("charts.periods", lang))
        .mark_bar(height=8)
        .encode(
            x=alt.X("start:Q", title=year, scale=alt.Scale(domain=[2000, YEAR_MAX + 1]), axis=alt.Axis(format="d")),
            x2="end:Q",
            y=alt.Y("name:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color("sector:N", scale=scale, title=i18n.t("common.sector", lang)),
            tooltip=[
                alt.Tooltip("name:N", title=i18n.t("common.name", lang)),
                alt.Tooltip("sector:N", title=i18n.t("common.sector", lang)),
                alt.Tooltip("status:N", title=i18n.t("common.status", lang)),
                alt.Tooltip("start:Q", format="d", title=i18n.t("columns.start_year", lang)),
                alt.Tooltip("end:Q", format="d", title=i18n.t("columns.completion_year", lang)),
            ],
        )
        .properties(height=max(160, 14 * len(data)))
    )


def buildout_chart(features: pd.DataFrame, lang: str = i18n.DEFAULT) -> alt.Chart:
    data = buildout(features).melt("year", ["generation_mw", "length_km"], var_name="measure", value_name="value")
    data["measure"] = data["measure"].map(
        {"generation_mw": i18n.t("charts.op_generation", lang), "length_km": i18n.t("charts.op_length", lang)}
    )
    return (
        alt.Chart(data, title=i18n.t("charts.buildout", lang))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=i18n.t("charts.year", lang)),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["year:O", "measure:N", alt.Tooltip("value:Q", format=",.0f")],
        )
        .resolve_scale(y="independent")
    )
