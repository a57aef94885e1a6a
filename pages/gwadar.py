"""Gwadar: the port, free zones, expressway, airport and the town's livelihood projects."""

import streamlit as st

from components import stats, text
from components.formatting import fmt_number
from components.ui import shell
from components.ui.focus_page import subject_page
from components.ui.language import tr

shell.require()

rows = subject_page("gwadar")
polygons = rows[rows.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
if not polygons.empty:
    st.subheader(tr("gwadar.drawn_areas"), anchor=False)
    for _, row in polygons.iterrows():
        st.write(
            tr(
                "gwadar.drawn_area",
                name=text.md(row["name"]),
                drawn=fmt_number(stats.geodesic_area_acres(row.geometry), tr("units.acres")),
                published=fmt_number(row["area_acres"], tr("units.acres")),
            )
        )
lines = stats.length_table(rows)
if not lines.empty:
    st.subheader(tr("gwadar.lengths"), anchor=False)
    st.dataframe(lines, hide_index=True, width="stretch")
