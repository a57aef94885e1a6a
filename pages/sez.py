"""Special Economic Zones: the CPEC SEZs, their areas and status."""

import streamlit as st

from components import proximity, stats
from components.formatting import fmt_number
from components.ui import shell, state
from components.ui.focus_page import subject_page

shell.require()

rows = subject_page(
    "sez",
    "The nine Special Economic Zones agreed under CPEC, one or more in every province and territory, "
    "meant to carry the corridor's industrial phase ('CPEC 2.0').",
)
if not rows.empty:
    total = stats.headline(rows)["sez_acres"]
    cols = st.columns(3)
    cols[0].metric("Zones shown", len(rows))
    cols[1].metric(
        "Published area", fmt_number(total.value, "acres"), help=f"{total.known} of {total.of} zones publish an area"
    )
    cols[2].metric("Operational", int((rows["status"] == "operational").sum()))

    st.subheader("How far to the port, the highway and power", anchor=False)
    st.caption(
        "Geodesic distance from each zone to the nearest port, the nearest KKH/motorway line and the nearest "
        "power plant in the atlas. Zones placed at town level (precision 'area') give town-level distances."
    )
    st.dataframe(proximity.sez_table(state.atlas().features, zones=rows), hide_index=True, width="stretch")
