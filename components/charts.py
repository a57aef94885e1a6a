"""Altair charts of the (filtered) features. Each function returns a chart; pages render it."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components import vocab

_SECTOR_SCALE = alt.Scale(domain=[s.label for s in vocab.SECTORS], range=[s.colour for s in vocab.SECTORS])
_STATUS_ORDER = [s.label for s in vocab.STATUSES]


def _labelled(features: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "id": features["id"].astype(str),
            "name": features["name"].astype(str),
            "sector": features["sector"].map(lambda s: vocab.SECTOR_BY_ID[s].label),
            "status": features["status"].map(lambda s: vocab.STATUS_BY_ID[s].label),
            "subsector": features["subsector"].fillna("other").astype(str),
            "capacity_mw": features["capacity_mw"].astype(float),
            "completion_year": features["completion_year"].astype("Float64").astype(float),
        }
    )
    return frame.reset_index(drop=True)


def features_by_sector(features: pd.DataFrame) -> alt.Chart:
    """Feature counts per sector, stacked by status."""
    data = _labelled(features)
    return (
        alt.Chart(data, title="Features by sector and status")
        .mark_bar()
        .encode(
            y=alt.Y("sector:N", title=None, sort="-x"),
            x=alt.X("count():Q", title="Features"),
            color=alt.Color("status:N", sort=_STATUS_ORDER, scale=alt.Scale(domain=_STATUS_ORDER, scheme="viridis")),
            tooltip=["sector:N", "status:N", alt.Tooltip("count():Q", title="features")],
        )
    )


def capacity_by_status(features: pd.DataFrame) -> alt.Chart:
    """Published generation capacity (MW) by energy subsector, stacked by status."""
    data = _labelled(features[(features["sector"] == "energy") & features["capacity_mw"].notna()])
    data = data[data["subsector"] != "transmission"]
    return (
        alt.Chart(data, title="Generation capacity (MW, published figures)")
        .mark_bar()
        .encode(
            y=alt.Y("subsector:N", title=None, sort="-x"),
            x=alt.X("sum(capacity_mw):Q", title="MW"),
            color=alt.Color("status:N", sort=_STATUS_ORDER, scale=alt.Scale(domain=_STATUS_ORDER, scheme="viridis")),
            tooltip=["subsector:N", "status:N", alt.Tooltip("sum(capacity_mw):Q", title="MW", format=",.0f")],
        )
    )


def completions_by_year(features: pd.DataFrame) -> alt.Chart:
    """Completions (or planned completions) per year, coloured by sector."""
    data = _labelled(features).dropna(subset=["completion_year"])
    data["completion_year"] = data["completion_year"].astype(int)
    return (
        alt.Chart(data, title="Completions by year (planned years included)")
        .mark_bar()
        .encode(
            x=alt.X("completion_year:O", title="Year"),
            y=alt.Y("count():Q", title="Features"),
            color=alt.Color("sector:N", scale=_SECTOR_SCALE),
            tooltip=["completion_year:O", "sector:N", alt.Tooltip("count():Q", title="features"), "name:N"],
        )
    )
