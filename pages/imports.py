"""Import: bring your own layer, check it, map its sectors, and reconcile it with the atlas."""

import streamlit as st

from components import reconcile, text
from components.ui import imports, map_view, shell, state
from components.ui.language import tr

shell.require()

atlas, filters, features = state.page_data()

st.title(tr("nav.imports"))
st.caption(tr("imports.intro"))

layer = imports.uploader("import-page")
if layer is not None:
    imports.report(layer)
    layer = imports.fix_choice(layer, "import-page")
    if layer.drawable:
        layer = imports.sector_mapping(layer, "import-page")
        if st.button(tr("imports.add"), type="primary", key="import-add"):
            imports.add(layer)
            st.success(tr("imports.added", name=text.md(layer.name)))

added = imports.layers()
if added:
    st.subheader(tr("imports.your_layers"), anchor=False)
    for item in added:
        left, right = st.columns([4, 1])
        left.markdown(
            tr(
                "imports.layer_line",
                name=text.md(item.name),
                n=item.report.feature_count,
                schema=text.md(item.report.schema),
            )
        )
        if right.button(tr("imports.remove"), key=f"remove-{item.name}"):
            imports.remove(item.name)
            st.rerun()

    st.subheader(tr("imports.reconcile"), anchor=False)
    chosen = st.selectbox(tr("imports.layer"), [i.name for i in added], key="reconcile-layer")
    target = next(i for i in added if i.name == chosen)
    result = reconcile.reconcile(target.features, atlas.features)
    cols = st.columns(3)
    cols[0].metric(tr("imports.matched"), len(result.pairs))
    cols[1].metric(tr("imports.only_yours"), len(result.only_imported))
    cols[2].metric(tr("imports.not_covered"), len(result.only_atlas))
    st.caption(tr("imports.reconcile_note", km=f"{reconcile.MAX_KM:g}", score=f"{reconcile.MIN_SCORE:g}"))
    map_view.show_map(
        features,
        atlas,
        filters,
        key="reconcile-map",
        height=460,
        title=tr("imports.reconcile_title", name=chosen),
        highlight={chosen: result.status_of()},
    )
    st.markdown(f"**{tr('imports.pairs')}**")
    st.dataframe(result.pairs, hide_index=True, width="stretch")
    with st.expander(tr("imports.only_yours_n", n=len(result.only_imported))):
        st.dataframe(result.only_imported, hide_index=True, width="stretch")
    with st.expander(tr("imports.not_covered_n", n=len(result.only_atlas))):
        st.dataframe(result.only_atlas, hide_index=True, width="stretch")
    st.download_button(
        tr("imports.download"),
        result.to_csv_bytes(),
        file_name=f"reconcile-{chosen}.csv",
        mime="text/csv",
        key="reconcile-download",
    )
