"""The detail panel for one feature (used by the projects and focused pages)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import i18n, text
from components.filters import Filters
from components.formatting import FIGURES, aiddata_links, fmt_number, fmt_period, is_missing
from components.ui import share
from components.ui.language import current, tr


def feature_detail(row: pd.Series, filters: Filters | None = None) -> None:
    """One feature's facts and sources; with ``filters``, also a link to it that keeps them."""
    lang = current()
    na = tr("common.na")
    with st.container(border=True):
        st.subheader(text.md(i18n.feature_name(row, lang)), anchor=False)
        st.markdown(
            f"**{i18n.sector(row['sector'], lang)}**"
            + (f" · {text.md(row['subsector'])}" if not is_missing(row["subsector"]) else "")
            + f" · {i18n.status(row['status'], lang)} · "
            + text.md(tr("describe.comma").join(i18n.provinces(row["province"], lang)))
        )
        cols = st.columns(len(FIGURES) + 1)
        cols[0].metric(tr("facts.built"), fmt_period(row["start_year"], row["completion_year"]).replace("n/a", na))
        for col, (key, _, _, decimals) in zip(cols[1:], FIGURES, strict=True):
            col.metric(tr(f"figures.{key}"), fmt_number(row[key], tr(f"units.{key}"), decimals).replace("n/a", na))
        if not is_missing(row["description"]):
            st.markdown(text.md(row["description"]))
        operator = text.md(row["operator"]) if not is_missing(row["operator"]) else na
        st.caption(tr("detail.operator_location", operator=operator, location=i18n.precision(row["precision"], lang)))
        st.markdown(f"**{tr('common.sources')}**")
        for url in row["sources"]:
            st.markdown(f"- {text.link(url, url)}")
        aid = aiddata_links(row.get("aiddata_ids"))
        if aid:
            st.markdown(f"**{tr('detail.aiddata')}**")
            st.markdown(" · ".join(text.link(i, url) for i, url in aid))
        if filters is not None:
            share.copy_link(row["id"], filters)
