"""The shared body of the focused pages (Gwadar, KKH & Khunjerab, SEZs)."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from components import focus, i18n, text
from components.formatting import NA, fmt_number, fmt_usd_m, fmt_year, is_missing
from components.ui import map_view, state
from components.ui.language import current, tr


def facts_table(rows: gpd.GeoDataFrame) -> None:
    lang = current()
    table = rows.assign(
        name=[i18n.feature_name(r, lang) for r in rows.to_dict("records")],
        Status=rows["status"].map(lambda s: i18n.status(s, lang)),
        Built=rows["completion_year"].map(fmt_year),
        Capacity=rows["capacity_mw"].map(lambda v: fmt_number(v, "MW")),
        Length=rows["length_km"].map(lambda v: fmt_number(v, "km")),
        Area=rows["area_acres"].map(lambda v: fmt_number(v, tr("units.acres"))),
        Cost=rows["cost_usd_m"].map(fmt_usd_m),
        Source=rows["sources"].map(lambda s: s[0]),
        precision=rows["precision"].map(lambda p: i18n.t(f"precision_short.{p}", lang)),
    )[["name", "Status", "Built", "Capacity", "Length", "Area", "Cost", "precision", "Source"]]
    table = table.replace(NA, tr("common.na"))
    headers = {"name": "common.name", "Status": "common.status", "Built": "facts.built", "Capacity": "facts.capacity"}
    headers |= {"Length": "facts.length", "Area": "facts.area", "Cost": "facts.cost", "precision": "common.location"}
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={k: tr(v) for k, v in headers.items()}
        | {"Source": st.column_config.LinkColumn(tr("common.source"), display_text=r"https?://(?:www\.)?([^/]+)")},
    )


def subject_page(subject_id: str) -> gpd.GeoDataFrame:
    """Title, intro (``<subject>.title`` and ``<subject>.intro`` in data/i18n), map zoomed to the
    subject and its facts; returns the subject's rows."""
    subject = focus.SUBJECTS[subject_id]
    atlas, filters, features = state.page_data()
    rows = focus.select(features, subject)
    title = tr(f"nav.{subject_id}")
    st.title(title)
    st.caption(tr(f"{subject_id}.intro"))
    if not filters.is_default:
        st.caption(tr("facts.filters_apply", view=text.md(filters.describe(current()))))
    map_view.show_map(
        rows,
        atlas,
        filters,
        view=subject.view,
        bbox=subject.bounds,
        key=f"{subject_id}-map",
        height=focus.MAP_HEIGHT,
        title=tr("facts.map_title", subject=title),
    )
    st.subheader(tr("facts.heading"), anchor=False)
    if rows.empty:
        st.info(tr("facts.nothing"))
    else:
        facts_table(rows)
    unlocated_list(atlas.unlocated[atlas.unlocated["id"].isin(subject.unlocated)])
    return rows


def unlocated_list(rows) -> None:
    """Sourced assets whose position is not published: listed with their facts, never drawn."""
    if rows.empty:
        return
    st.subheader(tr("facts.unlocated"), anchor=False)
    for _, row in rows.iterrows():
        figures = [
            fmt_number(row[k], unit)
            for k, unit in (("length_km", "km"), ("area_acres", tr("units.acres")), ("capacity_mw", "MW"))
            if not is_missing(row[k])
        ]
        links = " ".join(text.link(i + 1, url) for i, url in enumerate(row["sources"]))
        st.markdown(
            f"**{text.md(i18n.feature_name(row, current()))}** · {i18n.status(row['status'], current())}"
            + (f" · {', '.join(figures)}" if figures else "")
            + " · "
            + tr("facts.sources_links", links=links)
        )
