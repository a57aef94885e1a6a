"""Karakoram Highway & Khunjerab: the N-35 from Hasan Abdal to the pass, and the crossing."""

import streamlit as st

from components import profile, stats, text
from components.formatting import fmt_number
from components.ui import shell, state
from components.ui.focus_page import subject_page
from components.ui.language import current, tr

shell.require()

rows = subject_page("kkh")
table = stats.length_table(rows)
if not table.empty:
    st.subheader(tr("kkh.lengths"), anchor=False)
    st.caption(tr("kkh.lengths_note"))
    st.dataframe(
        table.rename(
            columns={
                "name": tr("kkh.line"),
                "published_km": tr("kkh.published_km"),
                "drawn_km": tr("kkh.measured_km"),
                "drawn_vs_published": tr("kkh.ratio"),
            }
        ).drop(columns=["id"]),
        hide_index=True,
        width="stretch",
    )
elevations = profile.profile(state.atlas().features)
if not elevations.empty:
    st.subheader(tr("kkh.profile"), anchor=False)
    st.altair_chart(profile.chart(elevations, current()), width="stretch")
    st.caption(tr("kkh.profile_note"))
    st.dataframe(
        elevations,
        hide_index=True,
        width="stretch",
        column_config={
            "source": st.column_config.LinkColumn(tr("common.source"), display_text=r"https?://(?:www\.)?([^/]+)")
        },
    )
crossing = rows[rows["sector"] == "border"]
for _, row in crossing.iterrows():
    st.info(f"**{text.md(row['name'])}**: {text.md(row['description'])}", icon=":material/landscape:")
if not rows.empty:
    km = table["drawn_km"].sum() if not table.empty else 0
    st.caption(tr("kkh.total", km=fmt_number(km, "km")))
