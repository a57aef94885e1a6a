"""Sectors: charts of the filtered features."""

import streamlit as st

from components import charts, text, timeline
from components.ui import shell, state

shell.require()

atlas, filters, features = state.page_data()

st.title("Sectors")
st.caption(
    f"{len(features)} features ({text.md(filters.describe())}). Figures are published ones; unknowns are left out."
)

if features.empty:
    st.info("No features match the current filters. Widen them in the sidebar.")
else:
    st.altair_chart(charts.features_by_sector(features), width="stretch")
    left, right = st.columns(2)
    with left:
        if (features["sector"] == "energy").any():
            st.altair_chart(charts.capacity_by_status(features), width="stretch")
        else:
            st.info("No energy features in the current filter, so no capacity chart.")
    with right:
        st.altair_chart(charts.completions_by_year(features), width="stretch")
    st.subheader("Through time", anchor=False)
    st.altair_chart(timeline.buildout_chart(features), width="stretch")
    st.altair_chart(timeline.gantt(features), width="stretch")
