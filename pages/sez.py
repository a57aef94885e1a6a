"""Special Economic Zones: the CPEC SEZs, their areas and status."""

import streamlit as st

from components import proximity, stats
from components.formatting import fmt_number
from components.ui import shell, state
from components.ui.focus_page import subject_page
from components.ui.language import tr

shell.require()

rows = subject_page("sez")
if not rows.empty:
    total = stats.headline(rows)["sez_acres"]
    cols = st.columns(3)
    cols[0].metric(tr("sez.zones_shown"), len(rows))
    cols[1].metric(
        tr("sez.published_area"),
        fmt_number(total.value, tr("units.acres")),
        help=tr("sez.area_help", known=total.known, of=total.of),
    )
    cols[2].metric(tr("status.operational"), int((rows["status"] == "operational").sum()))

    st.subheader(tr("sez.distances"), anchor=False)
    st.caption(tr("sez.distances_note"))
    st.dataframe(proximity.sez_table(state.atlas().features, zones=rows), hide_index=True, width="stretch")
