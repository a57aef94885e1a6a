"""Projects: the filtered features as a table, a detail view, and downloads."""

import streamlit as st

from components import tabular, text
from components.ui import detail, share, shell, state
from components.ui.language import current, tr

shell.require()

atlas, filters, features = state.page_data()

st.title(tr("projects.title"))
st.caption(tr("projects.intro", n=len(features), view=text.md(filters.describe(current()))))

table = tabular.display_table(features, current())
share.preselect_row(features, "projects-table")
event = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="projects-table",
    column_order=["name", *tabular.DISPLAY_COLUMNS, "first_source"],
    column_config={
        "name": st.column_config.TextColumn(tr("common.name"), width="medium"),
        **{c: tr(f"columns.{c}") for c in tabular.DISPLAY_COLUMNS},
        "first_source": st.column_config.LinkColumn(tr("common.source"), display_text=r"https?://(?:www\.)?([^/]+)"),
    },
)

rows = event.selection.rows if event is not None else []
chosen = features.iloc[rows[0]] if rows and rows[0] < len(features) else None
share.follow_row(None if chosen is None else chosen["id"])
if chosen is not None:
    detail.feature_detail(chosen, filters)

for column, (label, make, name, mime) in zip(
    st.columns(2),
    (
        (tr("projects.download_csv"), tabular.to_csv_bytes, "cpec-atlas.csv", "text/csv"),
        (tr("projects.download_geojson"), tabular.to_geojson_bytes, "cpec-atlas.geojson", "application/geo+json"),
    ),
    strict=True,
):
    column.download_button(label, make(features), file_name=name, mime=mime, disabled=features.empty, width="stretch")
