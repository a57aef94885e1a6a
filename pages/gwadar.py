"""Gwadar: the port, free zones, expressway, airport and the town's livelihood projects."""

import streamlit as st

from components import stats, text
from components.formatting import fmt_number
from components.ui import shell
from components.ui.focus_page import subject_page

shell.require()

rows = subject_page(
    "gwadar",
    "The deep-sea port on the Arabian Sea at the corridor's southern end, with its free zones, "
    "the East Bay Expressway, the new international airport and the projects built for the town.",
)
polygons = rows[rows.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
if not polygons.empty:
    st.subheader("Drawn areas", anchor=False)
    for _, row in polygons.iterrows():
        st.write(
            f"**{text.md(row['name'])}**: drawn {fmt_number(stats.geodesic_area_acres(row.geometry), 'acres')}, "
            f"published {fmt_number(row['area_acres'], 'acres')}."
        )
lines = stats.length_table(rows)
if not lines.empty:
    st.subheader("Lengths", anchor=False)
    st.dataframe(lines, hide_index=True, width="stretch")
