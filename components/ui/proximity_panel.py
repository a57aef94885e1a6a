"""The proximity panel: features within a radius of a chosen feature (URL: near=<id>&km=<n>).

The URL's values are read and checked with the filters (components/ui/state.py) on every page.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import streamlit as st

from components import i18n, proximity, text
from components.ui.language import current, tr

NEAR, KM = "near", "km"


def query() -> proximity.Query | None:
    fid = st.session_state.get("near_id")
    return proximity.Query(fid, float(st.session_state.get("near_km", proximity.DEFAULT_KM))) if fid else None


def _sync_url(q: proximity.Query | None) -> None:
    if q is None:
        for key in (NEAR, KM):
            if key in st.query_params:
                del st.query_params[key]
        return
    st.query_params[NEAR] = q.center
    st.query_params[KM] = f"{q.km:g}"


def highlight_groups(features: gpd.GeoDataFrame, q: proximity.Query | None) -> list[folium.FeatureGroup]:
    """The buffer and halos around the features found, as map layers."""
    if q is None or q.center not in set(features["id"]):
        return []
    found = proximity.within(features, q.center, q.km)
    group = folium.FeatureGroup(name=tr("near.group", km=f"{q.km:g}", n=len(found)), show=True)
    folium.GeoJson(
        proximity.buffer(features, q.center, q.km).__geo_interface__,
        style_function=lambda _: {
            "color": "#222222",
            "weight": 2,
            "dashArray": "6 4",
            "fill": True,
            "fillOpacity": 0.05,
        },
        name="radius",
        control=False,
    ).add_to(group)
    rows = features[features["id"].isin(found["id"])]
    for fid, geom in zip(rows["id"], rows.geometry, strict=True):
        point = geom.representative_point() if geom.geom_type != "Point" else geom
        folium.CircleMarker(
            [point.y, point.x],
            radius=14,
            color="#FFB000",
            weight=4,
            fill=False,
            class_name=f"atlas-near atlas-near-{fid}",
        ).add_to(group)
    return [group]


def panel(features: gpd.GeoDataFrame) -> None:
    """The feature and radius pickers (the URL's near/km were read with the filters, on any page)."""
    lang = current()
    with st.expander(tr("near.title"), icon=":material/radar:", expanded=query() is not None):
        names = {r["id"]: i18n.feature_name(r, lang) for r in features.drop(columns="geometry").to_dict("records")}
        options = [None, *sorted(names, key=names.get)]
        left, right = st.columns([4, 1])
        left.selectbox(
            tr("near.feature"),
            options,
            format_func=lambda i: tr("near.choose") if i is None else names[i],
            key="near_id",
        )
        right.number_input(
            tr("near.radius"), min_value=proximity.MIN_KM, max_value=proximity.MAX_KM, step=5.0, key="near_km"
        )
        q = query()
        _sync_url(q)
        if q is None:
            return
        found = proximity.within(features, q.center, q.km)
        st.caption(tr("near.found", n=len(found), km=f"{q.km:g}", name=text.md(names[q.center])))
        if not found.empty:
            st.dataframe(
                found.assign(
                    sector=found["sector"].map(lambda s: i18n.sector(s, lang)),
                    name=found["id"].map(names).fillna(found["name"]) if "name" in found else None,
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "distance_km": st.column_config.NumberColumn("km", format="%.1f"),
                    "name": tr("common.name"),
                    "sector": tr("common.sector"),
                },
            )
