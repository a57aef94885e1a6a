"""Tile providers and the tile grid for snapshots (no network: failures are immediate)."""

from __future__ import annotations

import pytest

from components import tiles


def test_providers_are_the_interactive_maps_basemaps():
    carto = tiles.provider("carto-light")
    assert "{z}" in carto.url and "{x}" in carto.url and "{y}" in carto.url
    assert "cartocdn" in carto.url and "?key=" not in carto.url and "{s}" not in carto.url
    assert "OpenStreetMap" in carto.attribution
    own = tiles.provider("http://127.0.0.1:8000/{z}/{x}/{y}.png")
    assert own.attribution == "Tiles: 127.0.0.1:8000"
    with pytest.raises(ValueError, match="unknown tile basemap"):
        tiles.provider("no-such-basemap")


def test_zoom_follows_the_sheet_resolution():
    world = (-tiles.EARTH, -tiles.EARTH, tiles.EARTH, tiles.EARTH)
    assert tiles.zoom_for(world, 256) == 0
    assert tiles.zoom_for(world, 1024) == 2
    gwadar = (6_920_000, 2_875_000, 6_955_000, 2_905_000)
    assert 12 <= tiles.zoom_for(gwadar, 1150) <= 16


def test_unreachable_provider_fails_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("CPEC_ATLAS_TILE_CACHE", str(tmp_path))
    closed = tiles.Provider("http://127.0.0.1:9/{z}/{x}/{y}.png", "test")
    with pytest.raises(tiles.TilesUnavailable, match="could not be reached"):
        tiles.mosaic(closed, (6_920_000, 2_875_000, 6_955_000, 2_905_000), 600, timeout=2)
