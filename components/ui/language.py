"""The interface language: the sidebar switch, kept in the URL as ``lang=en|ur|zh``.

Every page and shared widget asks :func:`tr` for its text; the language itself is read
from the address with the filters (components/ui/state.py).
"""

from __future__ import annotations

import streamlit as st

from components import i18n, text

KEY = "lang"
PARAM = "lang"
_NOTE = "lang_note"

#: Urdu reads right to left: the page body, captions, the sidebar and notes are laid out
#: that way. The map's frame is not touched (a map is never mirrored); its popups and legend
#: get their own direction inside the map (static/atlas/atlas-map.css).
RTL_CSS = """
<style>
[data-testid="stMain"] .block-container, section[data-testid="stSidebar"] {
  direction: rtl; text-align: right;
}
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"],
[data-testid="stHeading"], [data-testid="stMetric"], [data-testid="stAlert"], [data-testid="stExpander"] {
  direction: rtl; text-align: right;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { direction: ltr; text-align: right; }
[data-testid="stMarkdownContainer"] ul, [data-testid="stMarkdownContainer"] ol {
  padding-left: 0; padding-right: 1.5em; margin-left: 0; margin-right: 0;
}
[data-testid="stMarkdownContainer"] li { text-align: right; }
[data-testid="stMain"] .block-container, section[data-testid="stSidebar"] {
  font-family: "Noto Nastaliq Urdu", "Noto Naskh Arabic", "Jameel Noori Nastaleeq", "Amiri", "Source Sans Pro",
    sans-serif;
}
/* charts lay out their own texts (a right-to-left container turns their anchors around), and
   the map is a frame of its own: both stay left to right, their Urdu words still read from the right */
iframe, [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"], .vega-embed { direction: ltr; }
</style>
"""


def ensure() -> None:
    """On a session's first run, take the language from the address (before anything is titled:
    app.py calls this ahead of the navigation); a bad value leaves a note for the sidebar."""
    if KEY in st.session_state:
        return
    lang, bad = i18n.parse(st.query_params.get(PARAM))
    st.session_state[KEY] = lang
    st.session_state[_NOTE] = None if bad is None else i18n.t("notes.bad_lang", lang, value=text.clean(bad, 40))


def take_note() -> str | None:
    """The note about a bad ``lang=`` value, once."""
    return st.session_state.pop(_NOTE, None)


def current() -> str:
    return i18n.normalize(st.session_state.get(KEY))


def tr(key: str, /, **values: object) -> str:
    """``key``'s text in the session's language (placeholder values are escaped by the caller)."""
    return i18n.t(key, current(), **values)


#: Widgets whose options are shown through the language (sector names, feature names, formats).
#: Streamlit keeps a selection as its displayed text, which changes with the language, so their
#: values are set again, as values, when the language changes.
_LABELLED = ("f_sectors", "f_statuses", "f_provinces", "near_id", "route-from", "route-to")
_LABELLED_SUFFIXES = ("-export-format",)


def _keep_selections() -> None:
    for key in list(st.session_state):
        key = str(key)
        if key in _LABELLED or key.endswith(_LABELLED_SUFFIXES):
            st.session_state[key] = st.session_state[key]


def _sync_url() -> None:
    lang = current()
    if lang == i18n.DEFAULT:
        if PARAM in st.query_params:
            del st.query_params[PARAM]
    elif st.query_params.get(PARAM) != lang:
        st.query_params[PARAM] = lang


def switch() -> None:
    """The language switch (at the top of the sidebar) and the page direction for Urdu."""
    st.radio(
        "Language · زبان · 语言",
        list(i18n.LANGUAGES),
        key=KEY,
        format_func=i18n.LANGUAGES.__getitem__,
        horizontal=True,
        on_change=_keep_selections,
    )
    _sync_url()
    if i18n.is_rtl(current()):
        st.html(RTL_CSS)
