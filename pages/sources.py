"""Data & sources: layers, schema, every source, licences and the disclaimer."""

import pandas as pd
import streamlit as st

from components import audit, stats, text, vocab
from components.layers import FIELDS
from components.ui import shell, state

shell.require()

atlas = state.atlas()

st.title("Data & sources")
st.markdown(
    "Every feature carries the URLs of the sources its facts come from and a flag saying how precise "
    "its position is. Unknown figures are left empty and shown as *n/a*; nothing is estimated."
)

st.subheader("Layers", anchor=False)
counts = atlas.count_by_layer()
st.dataframe(
    pd.DataFrame(
        [
            {
                "Layer": s.title,
                "File": f"data/{s.file}",
                "Sector": vocab.SECTOR_BY_ID[s.sector].label,
                "Geometry": s.geometry,
                "Features": counts[s.id],
            }
            for s in atlas.layers
        ]
    ),
    hide_index=True,
    width="stretch",
)
for problem in atlas.problems:
    st.error(f"{text.md(problem.file)}: {text.md(problem.problem)}")

if not atlas.unlocated.empty:
    st.subheader("Listed without a map position", anchor=False)
    st.caption(
        "Sourced assets whose location could not be found in any source: their facts are kept, nothing is drawn."
    )
    st.dataframe(
        atlas.unlocated.assign(sources=atlas.unlocated["sources"].map(list))[
            ["name", "sector", "status", "length_km", "area_acres", "sources"]
        ],
        hide_index=True,
        width="stretch",
    )

st.subheader("Location precision", anchor=False)
precision = atlas.features["precision"].value_counts()
for key, meaning in vocab.PRECISIONS.items():
    st.markdown(f"- **{key}** ({int(precision.get(key, 0))} features): {meaning}")

st.subheader("Audit", anchor=False)
checked = audit.audit(atlas.features, atlas.unlocated)
st.caption(
    f"The same checks as `python -m components audit`: {checked.total} mapped features, "
    f"{len(checked.problems)} findings. Lines pass within ±{audit.TOLERANCE:.0%} of their published length, "
    f"or within {audit.NOTE_TOLERANCE:.0%} when a length note says what the figure describes."
)
st.markdown("**Lines: drawn geodesic length against the published length**")
st.dataframe(
    checked.lines[["id", "drawn_km", "published_km", "ratio", "verdict", "precision", "length_note", "name"]],
    hide_index=True,
    width="stretch",
    column_config={"ratio": st.column_config.NumberColumn("drawn / published", format="%.3f")},
)
st.markdown(f"**Features on the same coordinate** (within {audit.SAME_POINT_M:g} m)")
st.dataframe(checked.shared, hide_index=True, width="stretch")
st.markdown(f"**Location precision** (area: {checked.area_share:.0%}; target at most {audit.AREA_SHARE_MAX:.0%})")
st.dataframe(checked.precision, hide_index=True, width="stretch")
st.markdown("**Listed without a position, and why**")
st.dataframe(checked.unlocated, hide_index=True, width="stretch")
st.markdown("**Figures without a source field**")
st.dataframe(checked.unsourced, hide_index=True, width="stretch")

st.subheader("Schema", anchor=False)
st.dataframe(pd.DataFrame({"Field": list(FIELDS), "Meaning": list(FIELDS.values())}), hide_index=True, width="stretch")

st.subheader("Sources", anchor=False)
sources = stats.sources_table(atlas.features)
st.caption(f"{len(sources)} distinct sources cited by {len(atlas.features)} features.")
st.dataframe(
    sources,
    hide_index=True,
    width="stretch",
    column_config={
        "source": st.column_config.LinkColumn("Source"),
        "count": st.column_config.NumberColumn("Features citing"),
    },
)

st.subheader("Licences and attribution", anchor=False)
st.markdown(
    """
- **Atlas data** (`data/`): compiled for this atlas from the sources listed per feature; CC BY 4.0. Town positions from
  [GeoNames](https://www.geonames.org/) (CC BY 4.0) where cited.
- **Basemaps**: © [OpenStreetMap](https://www.openstreetmap.org/copyright) contributors (ODbL);
  © [CARTO](https://carto.com/attributions); Esri World Imagery © Esri and its data providers.
- **Software**: Streamlit, folium/Leaflet, geopandas, shapely, pyproj, pandera, Altair (their own licences).
"""
)
st.subheader("Disclaimer", anchor=False)
st.warning(vocab.BOUNDARY_DISCLAIMER)
