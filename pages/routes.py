"""Routes: shortest paths over the atlas' roads and rail, and Kashgar–Gwadar by land versus by sea."""

import folium
import streamlit as st

from components import routes, text
from components.ui import map_view, shell, state

shell.require()

atlas, filters, features = state.page_data()

st.title("Routes")
st.caption(
    "Shortest paths over the corridor's roads and rail as drawn in the atlas (all of them, whatever the filters), "
    "measured on the ellipsoid. Where drawn lines do not meet, the route bridges the gap in a straight line and "
    "says how many kilometres that was."
)


places = routes.load_places().set_index("id")["name"].to_dict()
ends = {**places}
for fid, name, sector in zip(atlas.features["id"], atlas.features["name"], atlas.features["sector"], strict=True):
    if sector in ("port", "sez", "border"):
        ends[fid] = name
keys = sorted(ends, key=ends.get)
left, right = st.columns(2)
start = left.selectbox("From", keys, index=keys.index("kashgar"), format_func=ends.get, key="route-from")
end = right.selectbox("To", keys, index=keys.index("karachi"), format_func=ends.get, key="route-to")

extra = []
try:
    result = routes.route(atlas.features, start, end)
except (routes.NoRoute, routes.UnknownPlace) as exc:
    st.warning(f"{text.md(exc)}. The atlas does not yet draw every road between these places.")
    result = None
if result is not None:
    cols = st.columns(3)
    cols[0].metric("Route length (drawn lines)", f"{result.km:,.0f} km")
    cols[1].metric("Of which gaps between lines", f"{result.gap_km:,.0f} km")
    cols[2].metric("Lines used", len(result.features))
    group = folium.FeatureGroup(name="Route", show=True)
    folium.PolyLine([(y, x) for x, y in result.coordinates], color="#D55E00", weight=7, opacity=0.8).add_to(group)
    extra.append(group)
    names = dict(zip(atlas.features["id"], atlas.features["name"], strict=True))
    st.dataframe(
        [{"line": names[f], "published length (km)": result.published_km.get(f)} for f in result.features],
        hide_index=True,
        width="stretch",
    )
    st.caption("Published lengths are those of whole lines; the route may use only part of a line.")

st.subheader("Kashgar to Gwadar: overland versus by sea", anchor=False)
try:
    comparison = routes.sea_vs_land(atlas.features)  # the network graph is cached in routes
except (routes.NoRoute, routes.UnknownPlace) as exc:
    st.info(f"Not yet computable: {text.md(exc)}.")
else:
    sea = folium.FeatureGroup(name="Sea route", show=True)
    folium.PolyLine(
        [(y, x) for x, y in comparison.sea_line.coords], color="#0072B2", weight=4, dash_array="8 6"
    ).add_to(sea)
    land = folium.FeatureGroup(name="Overland route", show=True)
    folium.PolyLine([(y, x) for x, y in comparison.land.coordinates], color="#D55E00", weight=5).add_to(land)
    st.dataframe(comparison.table(), hide_index=True, width="stretch")
    st.caption(
        "Sea distance from the searoute maritime network; the overland legs follow the atlas' lines "
        f"({comparison.land.gap_km:,.0f} km of gaps bridged) and, inside China, a great circle."
    )
    extra += [sea, land]

map_view.show_map(
    features, atlas, filters, key="routes-map", height=520, title="CPEC Atlas: routes", extra_groups=extra
)
