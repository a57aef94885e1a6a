"""Data & sources: layers, schema, every source, licences and the disclaimer."""

import pandas as pd
import streamlit as st

from components import audit, i18n, stats, tabular, text
from components.layers import FIELDS
from components.ui import shell, state
from components.ui.language import current, tr

shell.require()

atlas = state.atlas()
lang = current()

st.title(tr("nav.sources"))
st.markdown(tr("sources.intro"))

st.subheader(tr("sources.layers"), anchor=False)
counts = atlas.count_by_layer()
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("imports.layer"): s.title,
                tr("sources.file"): f"data/{s.file}",
                tr("common.sector"): i18n.sector(s.sector, lang),
                tr("sources.geometry"): s.geometry,
                tr("charts.features"): counts[s.id],
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
    st.subheader(tr("sources.unlocated"), anchor=False)
    st.caption(tr("sources.unlocated_note"))
    st.dataframe(
        tabular.unlocated_table(atlas.unlocated, lang),
        hide_index=True,
        width="stretch",
        column_config={c: tr(f"columns.{c}") for c in tabular.UNLOCATED_COLUMNS if c not in ("name", "sources")}
        | {"name": tr("common.name"), "sources": tr("common.sources")},
    )

st.subheader(tr("sources.precision"), anchor=False)
precision = atlas.features["precision"].value_counts()
for key in ("exact", "approximate", "area"):
    st.markdown(
        tr(
            "sources.precision_line",
            key=tr(f"precision_short.{key}"),
            n=int(precision.get(key, 0)),
            meaning=i18n.precision(key, lang),
        )
    )

st.subheader(tr("sources.audit"), anchor=False)
checked = audit.audit(atlas.features, atlas.unlocated)
st.caption(
    tr(
        "sources.audit_note",
        total=checked.total,
        findings=len(checked.problems),
        tolerance=f"{audit.TOLERANCE:.0%}",
        note_tolerance=f"{audit.NOTE_TOLERANCE:.0%}",
    )
)
st.markdown(f"**{tr('sources.lines')}**")
st.dataframe(
    checked.lines[["id", "drawn_km", "published_km", "ratio", "verdict", "precision", "length_note", "name"]],
    hide_index=True,
    width="stretch",
    column_config={"ratio": st.column_config.NumberColumn("drawn / published", format="%.3f")},
)
st.markdown(tr("sources.same_point", m=f"{audit.SAME_POINT_M:g}"))
st.dataframe(checked.shared, hide_index=True, width="stretch")
st.markdown(tr("sources.area_share", share=f"{checked.area_share:.0%}", target=f"{audit.AREA_SHARE_MAX:.0%}"))
st.dataframe(checked.precision, hide_index=True, width="stretch")
st.markdown(f"**{tr('sources.unlocated_why')}**")
st.dataframe(checked.unlocated, hide_index=True, width="stretch")
st.markdown(f"**{tr('sources.unsourced')}**")
st.dataframe(checked.unsourced, hide_index=True, width="stretch")

st.subheader(tr("sources.schema"), anchor=False)
st.dataframe(
    pd.DataFrame(
        {tr("sources.field"): list(FIELDS), tr("sources.meaning"): [i18n.field_meaning(f, lang) for f in FIELDS]}
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(tr("common.sources"), anchor=False)
sources = stats.sources_table(atlas.features)
st.caption(tr("sources.cited", n=len(sources), features=len(atlas.features)))
st.dataframe(
    sources,
    hide_index=True,
    width="stretch",
    column_config={
        "source": st.column_config.LinkColumn(tr("common.source")),
        "count": st.column_config.NumberColumn(tr("sources.citing")),
    },
)

st.subheader(tr("sources.licences"), anchor=False)
st.markdown("\n".join(f"- {tr(f'sources.licence_{part}')}" for part in ("data", "basemaps", "software")))
st.subheader(tr("sources.disclaimer"), anchor=False)
st.warning(tr("common.disclaimer"))
