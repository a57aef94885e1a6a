"""Overview: the corridor map and the headline figures for the current filter."""

import streamlit as st

from components import i18n, stats, timeline
from components.formatting import fmt_number, fmt_usd_m
from components.ui import imports, map_view, navigation, proximity_panel, shell, state, year_control
from components.ui.language import current, tr

shell.require()

atlas, filters, features = state.page_data()

st.title(tr("overview.title"))
st.caption(tr("overview.intro"))

year_control.control()
if filters.asof:
    st.caption(tr("overview.asof", year=filters.asof, undated=timeline.undated(atlas.features)))

figures = stats.headline(features)
cols = st.columns(5)
cols[0].metric(tr("overview.features_shown"), tr("overview.n_of_m", n=len(features), m=len(atlas.features)))
for col, key, label, show in (
    (cols[1], "generation_mw", tr("overview.generation"), fmt_number),
    (cols[2], "length_km", tr("overview.length"), fmt_number),
    (cols[3], "sez_acres", tr("overview.sez_area"), fmt_number),
    (cols[4], "cost_usd_m", tr("overview.cost"), lambda v: fmt_usd_m(v).removeprefix("US$ ")),
):
    total = figures[key]
    note = tr("overview.sum_note", known=total.known, of=total.of)
    if key == "generation_mw":
        pipeline = figures["pipeline_mw"]
        note += " " + tr("overview.pipeline_note", mw=fmt_number(pipeline.value, "MW"))
    col.metric(label, show(total.value) if total.known else tr("common.na"), help=note)

map_view.show_map(
    features,
    atlas,
    filters,
    key="overview-map",
    extra_groups=proximity_panel.highlight_groups(atlas.features, proximity_panel.query()),
)
map_view.table_link(filters)
proximity_panel.panel(atlas.features)
with st.expander(tr("overview.add_data"), icon=":material/upload_file:"):
    upload = imports.uploader("overview-upload", compact=True)
    if upload is not None:
        imports.report(upload)
        if not upload.drawable:
            st.info(tr("overview.fix_first"))
        elif st.button(tr("imports.add"), key="overview-add"):
            imports.add(upload)
            st.rerun()
    st.page_link(
        navigation.pages()["imports"],
        label=tr("overview.import_link"),
        icon=":material/arrow_forward:",
    )

by_sector = stats.counts_by_sector(features)
if by_sector:
    st.caption(" · ".join(f"{i18n.sector(s, current())}: {n}" for s, n in by_sector.items()))
st.caption(tr("common.disclaimer") + " " + tr("overview.basemap_credit"))
year_control.advance()
