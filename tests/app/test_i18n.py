"""AppTest of every page in Urdu and Chinese: titles translated, no exception, RTL for Urdu,
the language kept in the address, a bad ``lang`` noted and removed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import i18n

APP = str(Path(__file__).resolve().parent / "entry.py")  # runs app.py; see entry.py
PAGES = ("overview", "projects", "sectors", "gwadar", "kkh", "sez", "imports", "routes", "sources")
URDU = re.compile("[\u0600-\u06ff]")
HAN = re.compile("[\u4e00-\u9fff]")


def run(query: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page and page != "overview":
        at.switch_page(f"../../pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_title(page: str, lang: str) -> str:
    return i18n.t("overview.title" if page == "overview" else f"nav.{page}", lang)


def rtl_css(at: AppTest) -> bool:
    return any("direction: rtl" in (h.proto.body or "") for h in at.get("html"))


@pytest.mark.parametrize("lang", ["ur", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_the_language(page, lang):
    at = run({"lang": lang}, page)
    assert [t.value for t in at.title] == [page_title(page, lang)]
    assert at.title[0].value != page_title(page, "en")
    script = HAN if lang == "zh" else URDU
    # the sidebar speaks the language too
    assert at.sidebar.header[0].value == i18n.t("sidebar.filters", lang)
    assert script.search(at.sidebar.multiselect[0].label)
    assert rtl_css(at) == (lang == "ur")
    assert at.query_params.get("lang") in (lang, [lang])


def test_english_by_default_without_rtl():
    at = run({})
    assert at.title[0].value == "CPEC Atlas"
    assert not rtl_css(at)
    assert "lang" not in at.query_params
    assert at.sidebar.radio(key="lang").value == "en"


def test_a_bad_lang_is_noted_and_removed():
    at = run({"lang": "klingon", "sector": "energy"})
    notes = [w.value for w in at.sidebar.warning]
    assert any("klingon" in n and "language" in n for n in notes), notes
    assert "lang" not in at.query_params
    assert at.query_params["sector"] in ("energy", ["energy"])  # the rest of the address still works
    assert at.title[0].value == "CPEC Atlas"


def test_switching_language_rewrites_the_page_and_the_address():
    at = run({})
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == i18n.t("overview.title", "zh")
    assert at.query_params.get("lang") in ("zh", ["zh"])
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "CPEC Atlas"
    assert "lang" not in at.query_params


def test_the_map_gets_its_words_in_the_language():
    at = run({"lang": "ur"})
    [component] = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    script = args["script"]
    assert i18n.t("map.legend", "ur") in script
    assert '"rtl":true' in script
    # the layer control names the sector groups and the basemaps in Urdu
    control = args["layer_control"]  # folium writes non-ASCII names as \\u escapes

    def js(text: str) -> str:
        return json.dumps(text)[1:-1]

    assert js(i18n.sector("energy", "ur")) + " (" in control
    assert js(i18n.t("map.outline_light", "ur")) in control
    assert "Energy (" not in control


def test_notes_about_the_address_are_in_the_language():
    at = run({"lang": "zh", "sector": "nonsense", "years": "abc"})
    notes = [w.value for w in at.sidebar.warning]
    assert any("nonsense" in n and n.startswith("已忽略") for n in notes), notes
    assert not any("Ignored" in n for n in notes)


def test_text_from_the_address_stays_escaped_in_a_translated_caption():
    at = run({"lang": "ur", "q": "**bold** [x](https://evil.example)"})
    caption = next(c.value for c in at.sidebar.caption if i18n.t("sidebar.showing", "ur").split("**")[0] in c.value)
    assert r"\*\*bold\*\*" in caption and r"\[x\]\(https" in caption
    assert "](https://evil" not in caption
