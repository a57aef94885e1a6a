"""Offline assets: resolution, local URLs, and safe extraction of npm tarballs."""

from __future__ import annotations

import contextlib
import io
import tarfile

from components import assets


def _tarball(path, files: dict[str, bytes]):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_resolve_prefers_installed_copy(tmp_path):
    url = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
    assert assets.resolve(url, vendor_dir=tmp_path) == url
    target = tmp_path / "leaflet@1.9.3/dist/leaflet.js"
    target.parent.mkdir(parents=True)
    target.write_text("L")
    assert assets.resolve(url, vendor_dir=tmp_path) == "/app/static/vendor/leaflet@1.9.3/dist/leaflet.js"
    assert assets.resolve(url, base_url="/atlas/", vendor_dir=tmp_path).startswith("/atlas/app/static/")
    unknown = "https://example.org/x.js"
    assert assets.resolve(unknown, vendor_dir=tmp_path) == unknown


def test_installed_needs_every_file(tmp_path):
    assert not assets.installed(tmp_path)
    for package, inner in assets.CDN_FILES.values():
        (tmp_path / package.folder / inner).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / package.folder / inner).write_text("x")
    assert assets.installed(tmp_path)


def test_extract_keeps_package_files_only(tmp_path):
    tgz = _tarball(
        tmp_path / "p.tgz",
        {
            "package/dist/leaflet.js": b"ok",
            "package/../../evil.txt": b"no",
            "other/x.js": b"no",
            "package/.eslintrc": b"no",
            "package/.github/ci.yml": b"no",
        },
    )
    out = tmp_path / "out"
    with contextlib.suppress(tarfile.TarError):  # refusing the whole archive is also safe
        assets._extract(tgz, out)
    assert not (tmp_path / "evil.txt").exists()
    assert not (out / "other").exists()
    assert (out / "dist/leaflet.js").exists()
    assert not (out / ".eslintrc").exists() and not (out / ".github").exists()  # served publicly otherwise


def test_installed_assets_are_real_leaflet():
    assert assets.installed(), "run `make assets` (make test does)"
    text = (assets.VENDOR_DIR / "leaflet@1.9.3/dist/leaflet.js").read_text()
    assert "Leaflet 1.9.3" in text


def test_axe_core_is_a_test_file_fetched_like_the_map_assets(tmp_path):
    assert assets.AXE in assets.PACKAGES and assets.AXE not in {pkg for pkg, _ in assets.CDN_FILES.values()}
    assert assets.test_file(assets.AXE, tmp_path) is None
    path = tmp_path / assets.AXE.folder / assets.TEST_FILES[assets.AXE]
    path.parent.mkdir(parents=True)
    path.write_text("axe")
    assert assets.test_file(assets.AXE, tmp_path) == path
    assert not assets.installed(tmp_path)  # the app's own assets are still missing


def test_installed_axe_core_is_real():
    path = assets.test_file(assets.AXE)
    assert path is not None, "run `make assets` (make test does)"
    assert f"axe v{assets.AXE.version}" in path.read_text()[:500]
