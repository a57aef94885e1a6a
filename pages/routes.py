"""Routes: shortest paths over the atlas' roads and rail, and Kashgar–Gwadar by land versus by sea."""

import folium
import streamlit as st

from components import i18n, routes, text
from components.ui import map_view, shell, state
from components.ui.language import current, tr

shell.require()

atlas, filters, features = state.page_data()
lang = current()

st.title(tr("routes.title"))
st.caption(tr("routes.intro"))


places = routes.load_places().set_index("id")["name"].to_dict()
ends = {**places}
names = {r["id"]: i18n.feature_name(r, lang) for r in atlas.features.drop(columns="geometry").to_dict("records")}
for fid, sector in zip(atlas.features["id"], atlas.features["sector"], strict=True):
    if sector in ("port", "sez", "border"):
        ends[fid] = names[fid]
keys = sorted(ends, key=ends.get)
left, right = st.columns(2)
start = left.selectbox(tr("routes.from"), keys, index=keys.index("kashgar"), format_func=ends.get, key="route-from")
end = right.selectbox(tr("routes.to"), keys, index=keys.index("karachi"), format_func=ends.get, key="route-to")

extra = []
try:
    result = routes.route(atlas.features, start, end)
except (routes.NoRoute, routes.UnknownPlace) as exc:
    st.warning(tr("routes.no_route", problem=text.md(exc)))
    result = None
if result is not None:
    cols = st.columns(3)
    cols[0].metric(tr("routes.length"), f"{result.km:,.0f} km")
    cols[1].metric(tr("routes.gaps"), f"{result.gap_km:,.0f} km")
    cols[2].metric(tr("routes.lines_used"), len(result.features))
    group = folium.FeatureGroup(name=tr("routes.route"), show=True)
    folium.PolyLine([(y, x) for x, y in result.coordinates], color="#D55E00", weight=7, opacity=0.8).add_to(group)
    extra.append(group)
    st.dataframe(
        [{"line": names[f], "km": result.published_km.get(f)} for f in result.features],
        hide_index=True,
        width="stretch",
        column_config={"line": tr("kkh.line"), "km": tr("routes.published_km")},
    )
    st.caption(tr("routes.published_note"))

st.subheader(tr("routes.sea_vs_land"), anchor=False)
try:
    comparison = routes.sea_vs_land(atlas.features)  # the network graph is cached in routes
except (routes.NoRoute, routes.UnknownPlace) as exc:
    st.info(tr("routes.not_computable", problem=text.md(exc)))
else:
    sea = folium.FeatureGroup(name=tr("routes.sea_route"), show=True)
    folium.PolyLine(
        [(y, x) for x, y in comparison.sea_line.coords], color="#0072B2", weight=4, dash_array="8 6"
    ).add_to(sea)
    land = folium.FeatureGroup(name=tr("routes.land_route"), show=True)
    folium.PolyLine([(y, x) for x, y in comparison.land.coordinates], color="#D55E00", weight=5).add_to(land)
    st.dataframe(
        comparison.table(lang), hide_index=True, width="stretch", column_config={"leg": tr("routes.leg"), "km": "km"}
    )
    st.caption(tr("routes.sea_note", gaps=f"{comparison.land.gap_km:,.0f}"))
    extra += [sea, land]

map_view.show_map(
    features, atlas, filters, key="routes-map", height=520, title=tr("routes.map_title"), extra_groups=extra
)
