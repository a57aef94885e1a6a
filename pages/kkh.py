"""Karakoram Highway & Khunjerab: the N-35 from Hasan Abdal to the pass, and the crossing."""

import streamlit as st

from components import profile, stats, text
from components.formatting import fmt_number
from components.ui import shell, state
from components.ui.focus_page import subject_page

shell.require()

rows = subject_page(
    "kkh",
    "The Karakoram Highway (N-35) climbs the Indus and Hunza valleys from Hasan Abdal to the "
    "Khunjerab Pass on the China border, the corridor's only land crossing; the pass has been "
    "open to traffic all year since December 2024.",
)
table = stats.length_table(rows)
if not table.empty:
    st.subheader("Published and measured lengths", anchor=False)
    st.caption(
        "Measured: geodesic length (WGS 84 ellipsoid) of the line as drawn here. A drawn line "
        "through fewer bends than the real road measures somewhat shorter than the published length."
    )
    st.dataframe(
        table.rename(
            columns={
                "name": "Line",
                "published_km": "Published (km)",
                "drawn_km": "Measured (km)",
                "drawn_vs_published": "Ratio",
            }
        ).drop(columns=["id"]),
        hide_index=True,
        width="stretch",
    )
elevations = profile.profile(state.atlas().features)
if not elevations.empty:
    st.subheader("Profile: from Hasan Abdal up to the Khunjerab Pass", anchor=False)
    st.altair_chart(profile.chart(elevations), width="stretch")
    st.caption(
        "Published elevations only, each with its source (below); distances run along the line as drawn here, "
        "which omits the road's smaller bends, so they are shorter than road kilometres."
    )
    st.dataframe(
        elevations,
        hide_index=True,
        width="stretch",
        column_config={"source": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/]+)")},
    )
crossing = rows[rows["sector"] == "border"]
for _, row in crossing.iterrows():
    st.info(f"**{text.md(row['name'])}**: {text.md(row['description'])}", icon=":material/landscape:")
if not rows.empty:
    km = table["drawn_km"].sum() if not table.empty else 0
    st.caption(f"Lines on this page measure {fmt_number(km, 'km')} in total as drawn.")
