"""Uploading a file, checking it, mapping its sectors and keeping it for this browser session."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import i18n, importer, text, vocab
from components.importer import ImportedLayer
from components.ui.language import current, tr

TYPES = ["geojson", "json", "gpkg", "kml", "kmz", "zip", "csv", "html"]
_STORE = "imported_layers"


def layers() -> list[ImportedLayer]:
    """The layers added in this browser session (never written to disk)."""
    return list(st.session_state.get(_STORE, {}).values())


def _limit() -> int:
    return int(st.get_option("server.maxUploadSize")) * 1024 * 1024


def uploader(key: str, compact: bool = False) -> ImportedLayer | None:
    """Upload and check a file; returns the checked layer (not yet added to the map)."""
    upload = st.file_uploader(
        tr("imports.uploader_compact") if compact else tr("imports.uploader"),
        type=TYPES,
        key=f"{key}-file-{st.session_state.get(f'{key}-round', 0)}",
        help=tr("imports.uploader_help", mb=_limit() // (1024 * 1024)),
    )
    if upload is None:
        return None
    cache_key = f"{key}-checked"
    cached = st.session_state.get(cache_key)
    if cached and cached[0] == upload.file_id:
        return cached[1]
    with st.spinner(tr("imports.checking", file=text.clean(upload.name, 120))):
        try:
            layer = importer.read(upload.name, upload.getvalue(), max_bytes=_limit())
        except importer.ImportRefused as exc:
            st.error(
                tr("imports.refused", file=text.md(upload.name, 120), problem=text.md(exc)), icon=":material/block:"
            )
            st.session_state.pop(cache_key, None)
            return None
    st.session_state[cache_key] = (upload.file_id, layer)
    return layer


def report(layer: ImportedLayer) -> None:
    r = layer.report
    st.markdown(
        tr(
            "imports.report",
            file=text.md(r.file),
            format=text.md(r.format),
            schema=text.md(r.schema),
            crs=text.md(r.crs),
            n=r.feature_count,
            types=text.md(", ".join(f"{n} {t}" for t, n in r.geometry_types.items())),
        )
    )
    for what, n in r.repairs.items():
        st.caption(tr("imports.repaired", n=n, what=text.md(what)))
    for warning in r.warnings:
        st.warning(text.md(warning), icon=":material/info:")
    if r.attribution:
        st.caption(tr("imports.attribution", attribution=text.md(r.attribution)))


def fix_choice(layer: ImportedLayer, key: str) -> ImportedLayer:
    """When coordinates look wrong, offer the fix instead of drawing them in the wrong place."""
    fix = layer.report.suggested_fix
    if not fix:
        return layer
    label = tr(f"imports.fix_{fix.replace('-', '_')}")
    st.error(tr("imports.not_drawn"), icon=":material/wrong_location:")
    if st.button(label, key=f"{key}-fix-{fix}"):
        fixed = importer.apply_fix(layer, fix)
        st.session_state[f"{key}-checked"] = (st.session_state[f"{key}-checked"][0], fixed)
        st.rerun()
    return layer


def sector_mapping(layer: ImportedLayer, key: str) -> ImportedLayer:
    """Choose the column that holds the file's categories and map each value to an atlas sector."""
    if layer.report.schema == "aiddata-geogcdf":
        mapping = layer.report.sector_mapping
        st.caption(tr("imports.aiddata_mapping"))
        st.dataframe(
            pd.DataFrame(
                {
                    tr("imports.aiddata_sector"): list(mapping),
                    tr("imports.atlas_sector"): [
                        i18n.sector(m, current()) if m else tr("imports.not_mapped") for m in mapping.values()
                    ],
                }
            ),
            hide_index=True,
        )
        return layer
    columns = [c for c in layer.features.columns if c.startswith("p_")]
    choice = st.selectbox(
        tr("imports.category_column"),
        [None, *columns],
        format_func=lambda c: tr("imports.none") if c is None else c[2:],
        key=f"{key}-sector-column",
    )
    mapped = importer.map_sectors(layer, choice)
    if choice is None:
        return mapped
    labels = {None: tr("imports.not_mapped"), **{s: i18n.sector(s, current()) for s in vocab.SECTOR_IDS}}
    table = pd.DataFrame(
        {
            "value": list(mapped.report.sector_mapping),
            "sector": [labels[v] for v in mapped.report.sector_mapping.values()],
            "features": [int((mapped.features[choice].astype(str) == v).sum()) for v in mapped.report.sector_mapping],
        }
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        disabled=["value", "features"],
        column_config={
            "value": tr("imports.value"),
            "features": tr("charts.features"),
            "sector": st.column_config.SelectboxColumn(tr("imports.atlas_sector"), options=list(labels.values())),
        },
        key=f"{key}-sector-editor",
    )
    back = {label: sector for sector, label in labels.items()}
    return importer.map_sectors(layer, choice, dict(zip(edited["value"], edited["sector"].map(back), strict=True)))


def add(layer: ImportedLayer) -> None:
    """Keep the layer for this session, once: the checked copy and the uploaded file are let go.

    The uploader that produced the layer starts afresh (a new widget key), so Streamlit drops
    the file's bytes, and its cache of the checked layer is removed; only the added layer stays.
    """
    store = st.session_state.setdefault(_STORE, {})
    name, n = layer.name, 2
    while name in store:
        name, n = f"{layer.name} ({n})", n + 1
    layer.name = name
    store[name] = layer
    for cache_key in [k for k in st.session_state if str(k).endswith("-checked")]:
        cached = st.session_state[cache_key]
        if cached and cached[1].report is layer.report:  # the same upload (sector mapping keeps the report)
            key = cache_key.removesuffix("-checked")
            del st.session_state[cache_key]
            st.session_state[f"{key}-round"] = st.session_state.get(f"{key}-round", 0) + 1


def remove(name: str) -> None:
    st.session_state.get(_STORE, {}).pop(name, None)
