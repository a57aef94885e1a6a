"""The detail panel for one feature (used by the projects and focused pages)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import text, vocab
from components.filters import Filters
from components.formatting import FIGURES, aiddata_links, fmt_number, fmt_period, is_missing, sector_label, status_label
from components.ui import share


def feature_detail(row: pd.Series, filters: Filters | None = None) -> None:
    """One feature's facts and sources; with ``filters``, also a link to it that keeps them."""
    with st.container(border=True):
        st.subheader(text.md(row["name"]), anchor=False)
        st.markdown(
            f"**{sector_label(row['sector'])}**"
            + (f" · {text.md(row['subsector'])}" if not is_missing(row["subsector"]) else "")
            + f" · {status_label(row['status'])} · {text.md(', '.join(row['province']))}"
        )
        cols = st.columns(len(FIGURES) + 1)
        cols[0].metric("Built", fmt_period(row["start_year"], row["completion_year"]))
        for col, (key, label, unit, decimals) in zip(cols[1:], FIGURES, strict=True):
            col.metric(label, fmt_number(row[key], unit, decimals))
        if not is_missing(row["description"]):
            st.markdown(text.md(row["description"]))
        st.caption(
            f"Operator: {text.md(row['operator']) if not is_missing(row['operator']) else 'n/a'} · "
            f"Location: {vocab.PRECISIONS[row['precision']]}"
        )
        st.markdown("**Sources**")
        for url in row["sources"]:
            st.markdown(f"- {text.link(url, url)}")
        aid = aiddata_links(row.get("aiddata_ids"))
        if aid:
            st.markdown("**AidData financing records (GeoGCDF v3)**")
            st.markdown(" · ".join(text.link(i, url) for i, url in aid))
        if filters is not None:
            share.copy_link(row["id"], filters)
