"""Hostile text from the address or the data renders as text on every page.

Every element Streamlit renders (captions, notes, warnings, headers, labels, help texts,
metrics) is searched for text derived from the payloads (they carry a marker word); each
such text must be escaped so that no link, image, colour, formula or HTML can come of it.
The browser tier checks the same in Chromium's DOM.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict

from tests.app.test_pages import PAGES, run

CORPUS = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "injection.json").read_text("utf-8"))
MARKER, PAYLOADS = CORPUS["marker"], CORPUS["payloads"]
#: Elements that do not render Markdown: the grid draws text, the map escapes in its own script
#: (checked in the browser), and widget values are what the user typed.
PLAIN = {"arrow_data_frame", "component_instance", "text_input", "download_button", "json", "code", "text"}
#: Select boxes draw their options as plain text (their labels are Markdown); checked in Chromium too.
#: A page link's query string is the percent-encoded address it points to, never drawn as text.
PLAIN_FIELDS = {
    "selectbox": {"options", "default", "rawValue"},
    "multiselect": {"options", "default", "rawValues"},
    "page_link": {"queryString"},
}
#: What must not stand unescaped in Markdown derived from a payload.
ACTIVE = {
    "link or image": re.compile(r"(?<!\\)\]\s*\(|(?<!\\)!\["),
    "autolink": re.compile(r"(?i)(?:https?:|www\.)|@\w"),
    "colour or icon directive": re.compile(r"(?<!\\):[a-z/_-]+(?:(?<!\\)\[|(?<!\\):)"),
    "formula": re.compile(r"(?<!\\)\$"),
    "HTML": re.compile(r"(?<!\\)<"),
    "emphasis or code": re.compile(r"(?<!\\)(?:\*\*|_|`|~~)" + MARKER),
    "invisible or bidi character": re.compile("[\u200b\u202a-\u202e\u2066-\u2069\ufeff]"),
}


def _elements(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _elements(child)


def _strings(value, skip=frozenset()):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in skip:
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def derived_texts(at) -> list[tuple[str, str]]:
    """(element type, text) for every rendered string that carries the marker."""
    found = []
    for element in _elements(at._tree):
        proto = getattr(element, "proto", None)
        if proto is None or getattr(element, "type", None) in PLAIN:
            continue
        for text in _strings(MessageToDict(proto), PLAIN_FIELDS.get(element.type, frozenset())):
            if MARKER in text.replace("\\", "").replace("\u2060", ""):
                found.append((element.type, text))
    return found


def problems(at) -> list[str]:
    return [
        f"{kind} in {etype}: {text[:120]!r}"
        for etype, text in derived_texts(at)
        for kind, pattern in ACTIVE.items()
        if pattern.search(text)
    ]


CASES = [("pages/overview.py", p) for p in PAYLOADS] + [
    (page, PAYLOADS[i]) for page in PAGES if page != "pages/overview.py" for i in (1, 4, 6)
]


@pytest.mark.parametrize(("page", "payload"), CASES)
def test_payloads_in_the_url_render_as_text(page, payload):
    at = run({"q": payload, "sector": f"energy,{payload}", payload: "1", "near": payload, "km": payload}, page=page)
    assert problems(at) == []
    # and shown, not silently dropped: the sidebar names the search text and the ignored values
    assert any(MARKER in t.replace("\\", "") for _, t in derived_texts(at))


def test_payloads_in_the_data_render_as_text(shipped_copy, monkeypatch):
    path = shipped_copy / "layers" / "ports.geojson"
    data = json.loads(path.read_text("utf-8"))
    for feature, payload in zip(data["features"], PAYLOADS, strict=False):
        props = feature["properties"]
        props.update(name=payload, description=payload, operator=payload, subsector=payload)
    path.write_text(json.dumps(data), "utf-8")
    monkeypatch.setenv("CPEC_ATLAS_DATA", str(shipped_copy))
    for page in PAGES:
        at = run({"q": MARKER}, page=page)
        assert problems(at) == [], page


def test_the_checks_catch_unescaped_text():
    """The detector itself: raw payloads are caught, escaped ones pass."""
    from components.text import md

    for payload in PAYLOADS[:8]:
        assert any(p.search(payload) for p in ACTIVE.values()), payload
        assert not any(p.search(md(payload)) for p in ACTIVE.values()), md(payload)
