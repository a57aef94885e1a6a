"""Sectors: charts of the filtered features."""

import streamlit as st

from components import charts, text, timeline
from components.ui import shell, state
from components.ui.language import current, tr

shell.require()

atlas, filters, features = state.page_data()

lang = current()
st.title(tr("sectors.title"))
st.caption(tr("sectors.intro", n=len(features), view=text.md(filters.describe(lang))))

if features.empty:
    st.info(tr("common.no_match"))
else:
    st.altair_chart(charts.features_by_sector(features, lang), width="stretch")
    left, right = st.columns(2)
    with left:
        if (features["sector"] == "energy").any():
            st.altair_chart(charts.capacity_by_status(features, lang), width="stretch")
        else:
            st.info(tr("sectors.no_energy"))
    with right:
        st.altair_chart(charts.completions_by_year(features, lang), width="stretch")
    st.subheader(tr("sectors.through_time"), anchor=False)
    st.altair_chart(timeline.buildout_chart(features, lang), width="stretch")
    st.altair_chart(timeline.gantt(features, lang), width="stretch")
