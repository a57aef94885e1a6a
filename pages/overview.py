"""Overview: the corridor map and the headline figures for the current filter."""

import streamlit as st

from components import stats, timeline, vocab
from components.formatting import fmt_number, fmt_usd_m
from components.ui import imports, map_view, navigation, proximity_panel, shell, state, year_control

shell.require()

atlas, filters, features = state.page_data()

st.title("CPEC Atlas")
st.caption(
    "Where the China–Pakistan Economic Corridor's ports, roads, power plants, zones and links are, "
    "what state they are in, and where each figure comes from. Click a feature for its facts and sources."
)

year_control.control()
if filters.asof:
    st.caption(
        f"The corridor as of **{filters.asof}**: statuses follow each project's start and completion years; "
        f"{timeline.undated(atlas.features)} features without any year are left out."
    )

figures = stats.headline(features)
cols = st.columns(5)
cols[0].metric("Features shown", f"{len(features)} of {len(atlas.features)}")
for col, key, label, show in (
    (cols[1], "generation_mw", "Generation in operation (MW)", fmt_number),
    (cols[2], "length_km", "Roads, rail & lines (km)", fmt_number),
    (cols[3], "sez_acres", "SEZ area (acres)", fmt_number),
    (cols[4], "cost_usd_m", "Published cost (US$)", lambda v: fmt_usd_m(v).removeprefix("US$ ")),
):
    total = figures[key]
    note = f"Sum of published figures: {total.known} of {total.of} features have one."
    if key == "generation_mw":
        pipeline = figures["pipeline_mw"]
        note += f" A further {fmt_number(pipeline.value, 'MW')} is under construction, planned or proposed."
    col.metric(label, show(total.value) if total.known else "n/a", help=note)

map_view.show_map(
    features,
    atlas,
    filters,
    key="overview-map",
    extra_groups=proximity_panel.highlight_groups(atlas.features, proximity_panel.query()),
)
map_view.table_link(filters)
proximity_panel.panel(atlas.features)
with st.expander("Add your own data to this map", icon=":material/upload_file:"):
    upload = imports.uploader("overview-upload", compact=True)
    if upload is not None:
        imports.report(upload)
        if not upload.drawable:
            st.info("Open the Import page to fix its coordinates before it can be drawn.")
        elif st.button("Add to the map", key="overview-add"):
            imports.add(upload)
            st.rerun()
    st.page_link(
        navigation.pages()["imports"],
        label="Import page: sector mapping and reconciliation",
        icon=":material/arrow_forward:",
    )

by_sector = stats.counts_by_sector(features)
if by_sector:
    st.caption(" · ".join(f"{vocab.SECTOR_BY_ID[s].label}: {n}" for s, n in by_sector.items()))
st.caption(vocab.BOUNDARY_DISCLAIMER + " Basemaps © their providers; see Data & sources.")
year_control.advance()
