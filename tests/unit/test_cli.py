"""The command line: same filters as the URL, one-line errors with status 2, files that open."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from components.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_snapshot_png(tmp_path, capsys):
    out = tmp_path / "energy.png"
    assert (
        main(["snapshot", "--sector", "energy", "--bbox", "66,24,71,27", "--title", "Energy", "--out", str(out)]) == 0
    )
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "features" in capsys.readouterr().out


def test_snapshot_formats_from_suffix(tmp_path):
    for suffix, magic in (("svg", b"<?xml"), ("pdf", b"%PDF")):
        out = tmp_path / f"map.{suffix}"
        assert main(["snapshot", "--sector", "sez", "--fit", "--out", str(out)]) == 0
        assert out.read_bytes().startswith(magic)


def test_snapshot_html_is_self_contained(tmp_path):
    out = tmp_path / "map.html"
    assert main(["snapshot", "--format", "html", "--sector", "border", "--out", str(out)]) == 0
    text = out.read_text()
    assert "<script src=" not in text and "khunjerab-pass-border-crossing" in text


def test_export_filters_like_the_url(tmp_path):
    out = tmp_path / "zones.geojson"
    assert main(["export", "--sector", "sez", "--status", "operational", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["features"] and {f["properties"]["sector"] for f in data["features"]} == {"sez"}
    assert {f["properties"]["status"] for f in data["features"]} == {"operational"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snapshot", "--sector", "mining", "--out", "x.png"], "unknown sector “mining”"),
        (["snapshot", "--years", "soon", "--out", "x.png"], "malformed years"),
        (["snapshot", "--bbox", "1,2,3", "--out", "x.png"], "bbox must be four numbers"),
        (["snapshot", "--bbox", "70,20,60,30", "--out", "x.png"], "bbox must be minlon"),
        (["snapshot", "--format", "gif", "--out", "x.gif"], "invalid choice"),
        (["snapshot", "--out", "x.txt"], "cannot tell the format"),
        (["snapshot", "--q", "no-such-thing", "--out", "x.png"], "no features match"),
        (["export", "--sector", "sez", "--out", "x.shp"], "cannot tell the format"),
        (["export", "--q", "no-such-thing", "--out", "x.csv"], "nothing to export"),
        (["export", "--out", "/no/such/folder/x.csv"], "No such file or directory"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_input_is_one_line_and_status_2(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_module_entry_point_and_help():
    done = subprocess.run(
        [sys.executable, "-m", "components", "snapshot", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    for option in ("--sector", "--status", "--province", "--years", "--q", "--bbox", "--fit", "--title", "--format"):
        assert option in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "components", "export", "--sector", "x", "--out", "y.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1


AIDDATA = ROOT / "tests" / "fixtures" / "aiddata" / "aiddata_geogcdf_pakistan_sample.geojson"


def test_inspect_prints_a_json_report(capsys):
    assert main(["inspect", str(AIDDATA)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "aiddata-geogcdf" and report["feature_count"] == 3
    assert report["sector_mapping"]["ENERGY"] == "energy"


def test_inspect_with_a_sector_column(capsys):
    corpus = ROOT / "tests" / "fixtures" / "imports" / "csv-lonlat.csv"
    assert main(["inspect", str(corpus), "--sector-column", "kind"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["sector_mapping"] == {"metro": "transport", "port": "port"}


def test_reconcile_writes_a_csv(tmp_path, capsys):
    out = tmp_path / "report.csv"
    assert main(["reconcile", str(AIDDATA), "--out", str(out)]) == 0
    text = out.read_text()
    assert "engro-thar-block-ii-power-plant" in text
    assert "1 matched" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "message"),
    [("truncated.geojson", "not valid JSON"), ("xxe.kml", "DOCTYPE"), ("traversal.zip", "outside the archive")],
)
def test_unusable_files_exit_2_with_one_line(capsys, name, message):
    path = ROOT / "tests" / "fixtures" / "imports" / name
    assert main(["inspect", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_inspect_missing_file_and_column(capsys, tmp_path):
    assert main(["inspect", str(tmp_path / "nope.geojson")]) == 2
    assert "cannot read" in capsys.readouterr().err
    corpus = ROOT / "tests" / "fixtures" / "imports" / "csv-lonlat.csv"
    assert main(["inspect", str(corpus), "--sector-column", "colour"]) == 2
    assert "no column 'colour'" in capsys.readouterr().err


def test_near_prints_features_with_distances(capsys):
    assert main(["near", "khunjerab-pass-border-crossing", "--km", "100"]) == 0
    found = {f["id"]: f["distance_km"] for f in json.loads(capsys.readouterr().out)["features"]}
    assert 50 < found["sost-dry-port"] < 65


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["near", "nowhere"], "unknown feature id 'nowhere'"), (["near", "sost-dry-port", "--km", "-3"], "radius")],
)
def test_near_bad_input(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_route_prints_ids_and_length(capsys):
    assert main(["route", "kashgar", "karachi"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "karakoram-highway-n35" in result["features"] and result["km"] > 2000


def test_route_unknown_id(capsys):
    assert main(["route", "kashgar", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown place or feature id 'atlantis'" in err


def test_inspect_refuses_deep_nesting_in_one_line(tmp_path, capsys):
    deep = tmp_path / "deep.geojson"
    deep.write_bytes(b"[" * 5000 + b"]" * 5000)
    assert main(["inspect", str(deep)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nested" in err and "Traceback" not in err


def test_url_params_take_any_app_address_or_query_string():
    from components.__main__ import url_params

    want = {"sector": ["energy"], "asof": ["2020"]}
    assert url_params("http://host:8501/gwadar?sector=energy&asof=2020") == want
    assert url_params("?sector=energy&asof=2020") == want
    assert url_params("sector=energy&asof=2020") == want


def test_snapshot_of_a_shared_url(tmp_path, capsys):
    out = tmp_path / "near.svg"
    url = "http://localhost:8501/?sector=energy,transport&asof=2020&near=khunjerab-pass-border-crossing&km=100"
    assert main(["snapshot", "--url", url, "--labels", "features", "--out", str(out)]) == 0
    text = out.read_text()
    assert "as of 2020" in text and "within 100 km of Khunjerab" in text and "Energy" in text


def test_snapshot_flags_override_the_url(tmp_path):
    out = tmp_path / "flags.svg"
    assert main(["snapshot", "--url", "?sector=energy&asof=2020", "--asof", "2024", "--out", str(out)]) == 0
    text = out.read_text()
    assert "as of 2024" in text and "as of 2020" not in text


def test_snapshot_url_notes_are_warnings_and_bad_flags_errors(tmp_path, capsys):
    out = tmp_path / "w.svg"
    assert main(["snapshot", "--url", "?sector=energy,nonsense&near=nowhere", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: --url" in err and "nonsense" in err and "nowhere" in err
    assert main(["snapshot", "--near", "nowhere", "--out", str(out)]) == 2
    assert main(["snapshot", "--asof", "1850", "--out", str(out)]) == 2


def test_snapshot_tiles_fall_back_with_a_note(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CPEC_ATLAS_TILE_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "t.png"
    argv = ["snapshot", "--sector", "port", "--basemap", "tiles", "--tiles", "http://127.0.0.1:9/{z}/{x}/{y}.png"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "outline basemap instead" in capsys.readouterr().err


def test_snapshot_layout_sets_the_sheet(tmp_path):
    from PIL import Image

    out = tmp_path / "a4.png"
    assert main(["snapshot", "--sector", "border", "--layout", "a4-portrait", "--out", str(out)]) == 0
    assert Image.open(out).size == (2480, 3508)


def test_snapshot_language_from_the_url_or_the_flag(tmp_path, capsys):
    from components import i18n

    out = tmp_path / "ur.svg"
    assert main(["snapshot", "--url", "?sector=energy&lang=ur", "--out", str(out)]) == 0
    text = out.read_text()
    assert i18n.t("overview.title", "ur") in text and i18n.sector("energy", "ur") in text
    assert "Energy" not in text
    assert main(["snapshot", "--url", "?sector=energy&lang=ur", "--lang", "zh", "--out", str(out)]) == 0
    text = out.read_text()
    assert i18n.t("overview.title", "zh") in text and i18n.t("overview.title", "ur") not in text
    assert main(["snapshot", "--url", "?sector=energy&lang=xx", "--out", str(out)]) == 0
    assert "unknown language" in capsys.readouterr().err and "CPEC Atlas" in out.read_text()
    assert main(["snapshot", "--lang", "xx", "--out", str(out)]) == 2


@pytest.fixture
def drawn(monkeypatch):
    """The specs the CLI hands to the renderer."""
    from components import snapshot

    specs = []
    render = snapshot.render

    def spy(features, spec, *args):
        specs.append(spec)
        return render(features, spec, *args)

    monkeypatch.setattr(snapshot, "render", spy)
    return specs


def test_snapshot_url_view_frames_that_centre_and_zoom(tmp_path, drawn):
    from components import links, map_builder

    url = "http://localhost:8501/?view=24.85,67.05,9&sector=energy"
    assert main(["snapshot", "--url", url, "--out", str(tmp_path / "v.png")]) == 0
    [spec] = drawn
    assert spec.bbox == links.View((24.85, 67.05), 9).bounds(1200, 800)
    west, _, east, _ = spec.bbox
    assert (west + east) / 2 == pytest.approx(67.05)
    assert east - west == pytest.approx(1200 * 360 / (256 * 2**9))  # the web map's scale at zoom 9
    assert map_builder.View.fit(spec.bbox, 1200, 800).zoom == 9


def test_snapshot_url_feature_frames_and_highlights_it(tmp_path, drawn):
    from components import layers

    karot = layers.load_atlas().features.set_index("id").loc["karot-hydropower-project"]
    out = tmp_path / "k.svg"
    assert main(["snapshot", "--url", "?feature=karot-hydropower-project&sector=energy", "--out", str(out)]) == 0
    [spec] = drawn
    assert spec.highlight.equals(karot.geometry)
    west, south, east, north = spec.bbox
    minx, miny, maxx, maxy = karot.geometry.bounds
    assert west < minx < maxx < east and south < miny < maxy < north
    assert east - west < 2  # framed on the dam, not on every energy feature
    assert f"highlighted: {karot['name']}" in out.read_text()


def test_snapshot_url_bad_view_and_hidden_feature_are_warnings(tmp_path, capsys, drawn):
    url = "?view=33,73,40&feature=karot-hydropower-project&sector=port"
    assert main(["snapshot", "--url", url, "--out", str(tmp_path / "w.png")]) == 0
    err = capsys.readouterr().err
    assert "warning: --url: Ignored map view" in err and "hidden by the current filters" in err
    [spec] = drawn
    assert spec.highlight is None
