"""The shared body of the focused pages (Gwadar, KKH & Khunjerab, SEZs)."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from components import focus, text
from components.formatting import fmt_number, fmt_usd_m, fmt_year, is_missing, status_label
from components.ui import map_view, state


def facts_table(rows: gpd.GeoDataFrame) -> None:
    table = rows.assign(
        Status=rows["status"].map(status_label),
        Built=rows["completion_year"].map(fmt_year),
        Capacity=rows["capacity_mw"].map(lambda v: fmt_number(v, "MW")),
        Length=rows["length_km"].map(lambda v: fmt_number(v, "km")),
        Area=rows["area_acres"].map(lambda v: fmt_number(v, "acres")),
        Cost=rows["cost_usd_m"].map(fmt_usd_m),
        Source=rows["sources"].map(lambda s: s[0]),
    )[["name", "Status", "Built", "Capacity", "Length", "Area", "Cost", "precision", "Source"]]
    st.dataframe(
        table.rename(columns={"name": "Name", "precision": "Location"}),
        hide_index=True,
        width="stretch",
        column_config={"Source": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/]+)")},
    )


def subject_page(subject_id: str, intro: str) -> gpd.GeoDataFrame:
    """Title, intro, map zoomed to the subject and its facts; returns the subject's rows."""
    subject = focus.SUBJECTS[subject_id]
    atlas, filters, features = state.page_data()
    rows = focus.select(features, subject)
    st.title(subject.title)
    st.caption(intro)
    if not filters.is_default:
        st.caption(f"Sidebar filters apply: {text.md(filters.describe())}.")
    map_view.show_map(
        rows,
        atlas,
        filters,
        view=subject.view,
        bbox=subject.bounds,
        key=f"{subject_id}-map",
        height=focus.MAP_HEIGHT,
        title=f"CPEC Atlas: {subject.title}",
    )
    st.subheader("Facts and sources", anchor=False)
    if rows.empty:
        st.info("Nothing here matches the current filters.")
    else:
        facts_table(rows)
    unlocated_list(atlas.unlocated[atlas.unlocated["id"].isin(subject.unlocated)])
    return rows


def unlocated_list(rows) -> None:
    """Sourced assets whose position is not published: listed with their facts, never drawn."""
    if rows.empty:
        return
    st.subheader("Not on the map: position not published", anchor=False)
    for _, row in rows.iterrows():
        figures = [
            fmt_number(row[k], unit)
            for k, unit in (("length_km", "km"), ("area_acres", "acres"), ("capacity_mw", "MW"))
            if not is_missing(row[k])
        ]
        links = " ".join(text.link(i + 1, url) for i, url in enumerate(row["sources"]))
        st.markdown(
            f"**{text.md(row['name'])}** · {status_label(row['status'])}"
            + (f" · {', '.join(figures)}" if figures else "")
            + f" · sources {links}"
        )
