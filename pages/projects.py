"""Projects: the filtered features as a table, a detail view, and downloads."""

import streamlit as st

from components import tabular
from components.ui import detail, state

atlas = state.atlas()
filters = state.current_filters()
features = state.filtered(atlas, filters)

st.title("Projects")
st.caption(f"{len(features)} features match ({filters.describe()}). Select a row to see its details.")

table = tabular.table(features)
event = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="projects-table",
    column_order=[
        "name",
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
        "first_source",
    ],
    column_config={
        "name": st.column_config.TextColumn("Name", width="large"),
        "start_year": st.column_config.NumberColumn("Start", format="%d"),
        "completion_year": st.column_config.NumberColumn("Completion", format="%d"),
        "capacity_mw": st.column_config.NumberColumn("MW", format="%,.1f"),
        "length_km": st.column_config.NumberColumn("km", format="%,.0f"),
        "area_acres": st.column_config.NumberColumn("Acres", format="%,.0f"),
        "cost_usd_m": st.column_config.NumberColumn("Cost (US$ m)", format="%,.0f"),
        "first_source": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/]+)"),
    },
)

rows = event.selection.rows if event is not None else []
if rows:
    detail.feature_detail(features.iloc[rows[0]])

left, right = st.columns(2)
left.download_button(
    "Download CSV",
    tabular.to_csv_bytes(features),
    file_name="cpec-atlas.csv",
    mime="text/csv",
    disabled=features.empty,
    width="stretch",
)
right.download_button(
    "Download GeoJSON",
    tabular.to_geojson_bytes(features),
    file_name="cpec-atlas.geojson",
    mime="application/geo+json",
    disabled=features.empty,
    width="stretch",
)
