"""AppTest for every page: runs clean, follows the filters, restores them from the URL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pyproj import Geod
from streamlit.testing.v1 import AppTest

from components import compact, layers
from components.filters import Filters, apply_filters
from components.text import WORD_JOINER

APP = str(Path(__file__).resolve().parent / "entry.py")  # runs app.py; see entry.py
PAGES = {
    "pages/overview.py": "CPEC Atlas",
    "pages/projects.py": "Projects",
    "pages/sectors.py": "Sectors",
    "pages/gwadar.py": "Gwadar",
    "pages/kkh.py": "Karakoram Highway & Khunjerab",
    "pages/sez.py": "Special Economic Zones",
    "pages/imports.py": "Import your data",
    "pages/routes.py": "Routes",
    "pages/sources.py": "Data & sources",
}
ATLAS = layers.load_atlas()
GEOD = Geod(ellps="WGS84")


def run(query: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"../../{page}")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(value: str) -> str:
    """What a reader sees of Markdown that went through components.text.md (escapes resolved)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", value).replace(WORD_JOINER, "")


def map_feature_ids(at: AppTest) -> list[str]:
    """The feature ids the st_folium component was given (its feature groups)."""
    [component] = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    return compact.feature_ids(args["feature_group"] or "")


def expected(filters: Filters) -> set[str]:
    return set(apply_filters(ATLAS.features, filters)["id"])


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs(page):
    at = run(page=page)
    assert at.title[0].value == PAGES[page]
    assert not at.error


def test_overview_map_and_figures_follow_the_sector_filter():
    at = run()
    assert set(map_feature_ids(at)) == set(ATLAS.features["id"])
    assert at.metric[0].value == f"{len(ATLAS.features)} of {len(ATLAS.features)}"
    at.multiselect(key="f_sectors").set_value(["energy"]).run()
    energy = expected(Filters(sectors=("energy",)))
    assert set(map_feature_ids(at)) == energy
    assert at.metric[0].value == f"{len(energy)} of {len(ATLAS.features)}"
    assert at.query_params["sector"] == "energy"


def test_map_key_stays_stable_when_filters_change():
    at = run()
    [before] = at.get("component_instance")
    at.multiselect(key="f_sectors").set_value(["port"]).run()
    [after] = at.get("component_instance")
    assert json.loads(before.proto.json_args)["key"] == json.loads(after.proto.json_args)["key"]
    assert json.loads(after.proto.json_args)["returned_objects"] == []


def test_url_restores_every_filter():
    at = run({"sector": "energy,port", "status": "operational", "province": "Sindh", "years": "2015-2025", "q": "coal"})
    assert at.multiselect(key="f_sectors").value == ["energy", "port"]
    assert at.multiselect(key="f_statuses").value == ["operational"]
    assert at.multiselect(key="f_provinces").value == ["sindh"]
    assert at.slider(key="f_years").value == (2015, 2025)
    assert at.text_input(key="f_q").value == "coal"
    want = expected(Filters(("energy", "port"), ("operational",), ("sindh",), (2015, 2025), "coal"))
    assert want and set(map_feature_ids(at)) == want
    assert not at.warning


def test_nonsense_url_is_dropped_with_a_visible_note():
    at = run({"sector": "energy,<script>", "years": "banana", "status": "finished"})
    notes = " ".join(shown(w.value) for w in at.warning)
    assert "unknown sector" in notes and "malformed years" in notes and "unknown status" in notes
    assert set(map_feature_ids(at)) == expected(Filters(sectors=("energy",)))
    assert at.query_params["sector"] == "energy"
    assert "years" not in at.query_params


def test_filters_are_shared_across_pages():
    at = run({"sector": "sez"})
    at.switch_page("../../pages/projects.py")
    at.run()
    table = at.dataframe[0].value
    assert set(table["id"]) == expected(Filters(sectors=("sez",)))
    assert at.multiselect(key="f_sectors").value == ["sez"]


def test_projects_table_follows_filters_and_offers_downloads():
    at = run(page="pages/projects.py")
    assert len(at.dataframe[0].value) == len(ATLAS.features)
    at.multiselect(key="f_statuses").set_value(["planned"]).run()
    assert set(at.dataframe[0].value["id"]) == expected(Filters(statuses=("planned",)))
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download GeoJSON"]


def test_sectors_page_draws_charts_and_empty_filter_says_so():
    at = run(page="pages/sectors.py")
    assert len(at.get("vega_lite_chart")) == 5
    at.text_input(key="f_q").set_value("zzzz-no-match").run()
    assert not at.get("vega_lite_chart")
    assert "No features match" in at.info[0].value


def test_kkh_page_compares_published_and_measured_length():
    at = run(page="pages/kkh.py")
    lengths = at.dataframe[1].value.set_index("Line")
    kkh = next(i for i in lengths.index if i.startswith("Karakoram Highway"))
    row = ATLAS.features.set_index("id").loc["karakoram-highway-n35"]
    assert lengths.loc[kkh, "Published (km)"] == row["length_km"]
    assert lengths.loc[kkh, "Measured (km)"] == pytest.approx(GEOD.geometry_length(row.geometry) / 1000, abs=1)


def test_reset_clears_filters_and_url():
    at = run({"sector": "energy"})
    at.button(key="f_reset").click().run()
    assert at.multiselect(key="f_sectors").value == []
    assert "sector" not in at.query_params
    assert set(map_feature_ids(at)) == set(ATLAS.features["id"])


def test_broken_layer_shows_error_and_the_rest_loads(shipped_copy, monkeypatch):
    (shipped_copy / "layers/power.geojson").write_text('{"type": "FeatureCollection", "features": [')
    monkeypatch.setenv("CPEC_ATLAS_DATA", str(shipped_copy))
    at = run()
    errors = " ".join(shown(e.value) for e in at.error)
    assert "power.geojson" in errors and "not a readable GeoJSON file" in errors
    ids = set(map_feature_ids(at))
    power = set(ATLAS.features.loc[ATLAS.features["layer"] == "power", "id"])
    assert ids == set(ATLAS.features["id"]) - power


def test_export_panel_prepares_a_png_of_the_view():
    at = run({"sector": "energy"})
    at.button(key="overview-map-export-make").click().run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Download cpec-atlas.png" in labels
    # the map is not asked for its view unless the panel follows it
    [component] = at.get("component_instance")
    assert json.loads(component.proto.json_args)["returned_objects"] == []
    at.toggle(key="overview-map-export-follow").set_value(True).run()
    [component] = at.get("component_instance")
    assert json.loads(component.proto.json_args)["returned_objects"] == ["bounds"]


def test_failed_export_says_why_and_the_page_keeps_working():
    at = run({"q": "no-such-feature-anywhere"})
    at.selectbox(key="overview-map-export-format").select_index(5).run()  # GeoJSON data
    at.button(key="overview-map-export-make").click().run()
    assert not at.exception
    assert any("nothing to export" in shown(e.value) for e in at.error)
    at.text_input(key="f_q").set_value("").run()
    assert set(map_feature_ids(at)) == set(ATLAS.features["id"])


AIDDATA = Path(__file__).resolve().parents[1] / "fixtures" / "aiddata" / "aiddata_geogcdf_pakistan_sample.geojson"
HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def imported_ids(at: AppTest) -> list[str]:
    [component] = at.get("component_instance")
    script = json.loads(component.proto.json_args)["feature_group"] or ""
    return [i for i in compact.feature_ids(script) if i.startswith("import-")]


def test_import_page_adds_aiddata_to_the_overview_map_and_reconciles():
    at = run(page="pages/imports.py")
    at.get("file_uploader")[0].set_value((AIDDATA.name, AIDDATA.read_bytes(), "application/geo+json")).run()
    assert not at.exception
    assert "aiddata-geogcdf" in " ".join(shown(m.value) for m in at.markdown)
    at.button(key="import-add").click().run()
    assert "Added" in shown(at.success[0].value)
    # reconciliation: the Thar Block II plant is matched
    pairs = at.dataframe[1].value
    assert "engro-thar-block-ii-power-plant" in set(pairs["atlas_id"])
    at.switch_page("../../pages/overview.py")
    at.run()
    assert len(imported_ids(at)) == 3
    at.multiselect(key="f_sectors").set_value(["energy"]).run()
    assert len(imported_ids(at)) == 1  # the sector filter applies to the import through its mapping


def test_refused_upload_says_why():
    at = run(page="pages/imports.py")
    bad = (HOSTILE / "xxe.kml").read_bytes()
    at.get("file_uploader")[0].set_value(("xxe.kml", bad, "application/vnd.google-earth.kml+xml")).run()
    assert not at.exception
    assert any("cannot be imported" in shown(e.value) and "DOCTYPE" in shown(e.value) for e in at.error)


def test_wrong_coordinates_wait_for_a_fix():
    at = run(page="pages/imports.py")
    data = (HOSTILE / "swapped-lat-lon.geojson").read_bytes()
    at.get("file_uploader")[0].set_value(("swapped.geojson", data, "application/geo+json")).run()
    assert any("not drawn until" in shown(e.value) for e in at.error)
    fix = [b for b in at.button if b.label == "Swap latitude and longitude"]
    assert fix
    fix[0].click().run()
    assert not at.error
    at.button(key="import-add").click().run()
    assert "Added" in shown(at.success[0].value)


def test_year_control_shows_the_corridor_as_of_a_year_and_keeps_it_in_the_url():
    at = run({"asof": "2016"})
    ids_2016 = set(map_feature_ids(at))
    assert ids_2016 == expected(Filters(asof=2016))
    assert at.toggle(key="asof_on").value is True and at.slider(key="asof_year").value == 2016
    at.slider(key="asof_year").set_value(2025).run()
    assert at.query_params["asof"] == "2025"
    assert len(map_feature_ids(at)) > len(ids_2016)
    at.toggle(key="asof_on").set_value(False).run()
    assert "asof" not in at.query_params
    assert set(map_feature_ids(at)) == set(ATLAS.features["id"])


def test_invalid_year_is_dropped_with_a_note():
    at = run({"asof": "1850"})
    assert any("as-of year" in shown(w.value) for w in at.warning)
    assert at.toggle(key="asof_on").value is False


def test_proximity_from_the_url_lists_and_highlights_neighbours():
    at = run({"near": "khunjerab-pass-border-crossing", "km": "100"})
    table = at.dataframe[0].value
    assert "sost-dry-port" in set(table["id"])
    [component] = at.get("component_instance")
    script = json.loads(component.proto.json_args)["feature_group"]
    assert "atlas-near-sost-dry-port" in script  # the halo around Sost
    at.number_input(key="near_km").set_value(30.0).run()
    assert at.query_params["km"] == "30"
    assert "sost-dry-port" not in set(at.dataframe[0].value["id"])


def test_unknown_near_id_is_dropped_with_a_note():
    at = run({"near": "atlantis", "km": "banana"})
    notes = " ".join(shown(w.value) for w in at.warning)
    assert "unknown feature" in notes and "radius" in notes
    assert "near" not in at.query_params


def test_routes_page_computes_a_path_and_draws_it():
    at = run(page="pages/routes.py")
    assert at.selectbox(key="route-from").value == "kashgar"
    length = at.metric[0].value
    assert length.endswith("km") and int(length.split()[0].replace(",", "")) > 2000
    [component] = at.get("component_instance")
    assert "L.polyline" in json.loads(component.proto.json_args)["feature_group"]
    at.selectbox(key="route-to").set_value("multan").run()
    assert at.metric[0].value != length


def test_play_runs_the_build_out_to_2030(monkeypatch):
    from components.ui import year_control

    monkeypatch.setattr(year_control, "STEP_SECONDS", 0)
    at = run()
    at.button(key="asof_play").click().run(timeout=120)
    assert not at.exception
    assert at.session_state["asof"] == 2030
    assert at.session_state["asof_playing"] is False
    assert at.toggle(key="asof_on").value is True and at.slider(key="asof_year").value == 2030
    assert at.query_params["asof"] == "2030"
    assert set(map_feature_ids(at)) == expected(Filters(asof=2030))


def test_sources_page_shows_the_audit():
    from components import audit

    at = run(page="pages/sources.py")
    assert "Audit" in [h.value for h in at.subheader]
    checked = audit.audit(ATLAS.features, ATLAS.unlocated)
    frames = [df.value for df in at.dataframe]
    lines = next(f for f in frames if "verdict" in f.columns)
    assert sorted(lines["id"]) == sorted(checked.lines["id"])


def test_export_without_the_map_view_fits_the_filtered_features():
    from components import snapshot

    at = run({"sector": "energy", "province": "sindh"})
    rows = apply_filters(ATLAS.features, Filters(sectors=("energy",), provinces=("sindh",)))
    minx, miny, maxx, maxy = snapshot.fit_bbox(rows)
    captions = " ".join(c.value for c in at.caption)
    assert f"View: {minx:.2f}, {miny:.2f} to {maxx:.2f}, {maxy:.2f}" in captions
    # the frame of the filtered features (Sindh, and the HVDC line up to Lahore), not of Pakistan
    assert minx > 66 and miny > 23.5 and maxy < 32.5
