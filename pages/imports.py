"""Import: bring your own layer, check it, map its sectors, and reconcile it with the atlas."""

import streamlit as st

from components import reconcile, text
from components.ui import imports, map_view, shell, state

shell.require()

atlas, filters, features = state.page_data()

st.title("Import your data")
st.caption(
    "Put your own layer on the atlas map: AidData's GeoGCDF is recognised automatically; any GeoJSON, "
    "GeoPackage, KML/KMZ, zipped Shapefile or CSV with lon/lat or WKT works. The file is checked, "
    "repaired where it can be, and kept in this browser session only: nothing is saved on the server."
)

layer = imports.uploader("import-page")
if layer is not None:
    imports.report(layer)
    layer = imports.fix_choice(layer, "import-page")
    if layer.drawable:
        layer = imports.sector_mapping(layer, "import-page")
        if st.button("Add to the map", type="primary", key="import-add"):
            imports.add(layer)
            st.success(f"Added **{text.md(layer.name)}**: it shows on the overview map as its own layer.")

added = imports.layers()
if added:
    st.subheader("Your layers (this session)", anchor=False)
    for item in added:
        left, right = st.columns([4, 1])
        left.markdown(f"**{item.name}** · {item.report.feature_count} features · {item.report.schema}")
        if right.button("Remove", key=f"remove-{item.name}"):
            imports.remove(item.name)
            st.rerun()

    st.subheader("Reconcile with the atlas", anchor=False)
    chosen = st.selectbox("Layer", [i.name for i in added], key="reconcile-layer")
    target = next(i for i in added if i.name == chosen)
    result = reconcile.reconcile(target.features, atlas.features)
    cols = st.columns(3)
    cols[0].metric("Matched", len(result.pairs))
    cols[1].metric("Only in your layer", len(result.only_imported))
    cols[2].metric("Atlas features not covered", len(result.only_atlas))
    st.caption(
        f"Matched when within {reconcile.MAX_KM:g} km and the names are similar (score ≥ {reconcile.MIN_SCORE:g}). "
        "On the map: green = matched and agreeing, amber = matched with disagreements, grey = no atlas counterpart. "
        "AidData amounts are finance commitments, not project costs, so cost often disagrees."
    )
    map_view.show_map(
        features,
        atlas,
        filters,
        key="reconcile-map",
        height=460,
        title=f"Reconciliation: {chosen}",
        highlight={chosen: result.status_of()},
    )
    st.markdown("**Matched pairs and the fields that disagree**")
    st.dataframe(result.pairs, hide_index=True, width="stretch")
    with st.expander(f"Only in your layer ({len(result.only_imported)})"):
        st.dataframe(result.only_imported, hide_index=True, width="stretch")
    with st.expander(f"Atlas features your layer does not cover ({len(result.only_atlas)})"):
        st.dataframe(result.only_atlas, hide_index=True, width="stretch")
    st.download_button(
        "Download the reconciliation (CSV)",
        result.to_csv_bytes(),
        file_name=f"reconcile-{chosen}.csv",
        mime="text/csv",
        key="reconcile-download",
    )
