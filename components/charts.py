"""Altair charts of the (filtered) features. Each function returns a chart; pages render it."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components import i18n, vocab


def sector_scale(lang: str = i18n.DEFAULT) -> alt.Scale:
    """The sectors' colours, keyed by their labels in ``lang``."""
    return alt.Scale(domain=[i18n.sector(s.id, lang) for s in vocab.SECTORS], range=[s.colour for s in vocab.SECTORS])


def _status_order(lang: str) -> list[str]:
    return [i18n.status(s, lang) for s in vocab.STATUS_IDS]


def _status_colour(lang: str) -> alt.Color:
    order = _status_order(lang)
    return alt.Color(
        "status:N", sort=order, scale=alt.Scale(domain=order, scheme="viridis"), title=i18n.t("common.status", lang)
    )


def _labelled(features: pd.DataFrame, lang: str = i18n.DEFAULT) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "id": features["id"].astype(str),
            "name": [i18n.feature_name(r, lang) for r in features.to_dict("records")],
            "sector": features["sector"].map(lambda s: i18n.sector(s, lang)),
            "status": features["status"].map(lambda s: i18n.status(s, lang)),
            "subsector": features["subsector"].fillna("other").astype(str),
            "capacity_mw": features["capacity_mw"].astype(float),
            "completion_year": features["completion_year"].astype("Float64").astype(float),
        }
    )
    return frame.reset_index(drop=True)


def _tips(lang: str, *fields: str) -> list[alt.Tooltip]:
    titles = {
        "sector": "common.sector",
        "status": "common.status",
        "name": "common.name",
        "subsector": "columns.subsector",
    }
    return [alt.Tooltip(f, title=i18n.t(titles[f.split(":")[0]], lang)) for f in fields]


def features_by_sector(features: pd.DataFrame, lang: str = i18n.DEFAULT) -> alt.Chart:
    """Feature counts per sector, stacked by status."""
    data = _labelled(features, lang)
    features_title = i18n.t("charts.features", lang)
    return (
        alt.Chart(data, title=i18n.t("charts.by_sector", lang))
        .mark_bar()
        .encode(
            y=alt.Y("sector:N", title=None, sort="-x"),
            x=alt.X("count():Q", title=features_title),
            color=_status_colour(lang),
            tooltip=[*_tips(lang, "sector:N", "status:N"), alt.Tooltip("count():Q", title=features_title)],
        )
    )


def capacity_by_status(features: pd.DataFrame, lang: str = i18n.DEFAULT) -> alt.Chart:
    """Published generation capacity (MW) by energy subsector, stacked by status."""
    data = _labelled(features[(features["sector"] == "energy") & features["capacity_mw"].notna()], lang)
    data = data[data["subsector"] != "transmission"]
    return (
        alt.Chart(data, title=i18n.t("charts.capacity", lang))
        .mark_bar()
        .encode(
            y=alt.Y("subsector:N", title=None, sort="-x"),
            x=alt.X("sum(capacity_mw):Q", title="MW"),
            color=_status_colour(lang),
            tooltip=[
                *_tips(lang, "subsector:N", "status:N"),
                alt.Tooltip("sum(capacity_mw):Q", title="MW", format=",.0f"),
            ],
        )
    )


def completions_by_year(features: pd.DataFrame, lang: str = i18n.DEFAULT) -> alt.Chart:
    """Completions (or planned completions) per year, coloured by sector."""
    data = _labelled(features, lang).dropna(subset=["completion_year"])
    data["completion_year"] = data["completion_year"].astype(int)
    year, count = i18n.t("charts.year", lang), i18n.t("charts.features", lang)
    return (
        alt.Chart(data, title=i18n.t("charts.completions", lang))
        .mark_bar()
        .encode(
            x=alt.X("completion_year:O", title=year),
            y=alt.Y("count():Q", title=count),
            color=alt.Color("sector:N", scale=sector_scale(lang), title=i18n.t("common.sector", lang)),
            tooltip=[
                alt.Tooltip("completion_year:O", title=year),
                *_tips(lang, "sector:N"),
                alt.Tooltip("count():Q", title=count),
                *_tips(lang, "name:N"),
            ],
        )
    )
