"""Command line: render snapshots and export data with the same filters as the app's URL.

    python -m components snapshot --sector energy --bbox 66,24,71,27 --title "Energy" --out energy.png
    python -m components snapshot --url "http://host/?sector=energy&asof=2020" --layout a4-landscape --out e.pdf
    python -m components snapshot --url "?feature=karot-hydropower-project&view=33.6,73.6,10" --out karot.png
    python -m components export --sector sez --format gpkg --out zones.gpkg
    python -m components inspect my-projects.geojson
    python -m components reconcile aiddata.geojson --out report.csv
    python -m components audit --json

A value the atlas does not know gets a one-line error on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
from pathlib import Path

import geopandas as gpd

from components import (
    audit,
    export,
    i18n,
    importer,
    layers,
    links,
    map_builder,
    proximity,
    reconcile,
    routes,
    snapshot,
    text,
)
from components.filters import apply_filters, parse_query


class UsageError(Exception):
    """Bad input from the command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise UsageError(message)


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        parts = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"bbox must be four numbers minlon,minlat,maxlon,maxlat, got {text!r}"
        ) from None
    if len(parts) != 4:
        raise argparse.ArgumentTypeError(f"bbox must be four numbers minlon,minlat,maxlon,maxlat, got {text!r}")
    return parts  # type: ignore[return-value]


def _filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (the same values as the app's URL)")
    group.add_argument("--sector", default="", help="comma-separated sector ids, e.g. energy,port")
    group.add_argument("--status", default="", help="comma-separated status ids, e.g. operational")
    group.add_argument("--province", default="", help="comma-separated province ids, e.g. sindh")
    group.add_argument("--years", default="", help="year range, e.g. 2015-2025")
    group.add_argument("--q", default="", help="text to search in names and descriptions")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m components", description="CPEC Atlas: snapshots and data exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    snap = commands.add_parser("snapshot", help="render the map as PNG, SVG, PDF or self-contained HTML")
    _filter_options(snap)
    view = snap.add_mutually_exclusive_group()
    view.add_argument("--bbox", type=_bbox, help="view as minlon,minlat,maxlon,maxlat")
    view.add_argument("--fit", action="store_true", help="fit the view to the filtered features (the default)")
    snap.add_argument("--title", help="title drawn on the map (default: the atlas' name in --lang)")
    snap.add_argument(
        "--lang", choices=list(i18n.LANGUAGES), help="language of the sheet's texts: en (default), ur or zh (as lang=)"
    )
    snap.add_argument("--format", choices=[*snapshot.FORMATS, "html"], help="default: from --out's suffix")
    snap.add_argument("--width", type=int, default=1200, help="pixels (default 1200)")
    snap.add_argument("--height", type=int, default=800, help="pixels (default 800)")
    snap.add_argument("--dpi", type=int, default=100, help="dots per inch (default 100; 300 for print)")
    snap.add_argument(
        "--layout",
        choices=list(snapshot.LAYOUTS),
        help="sheet size (sets width, height and dpi): screen, A4/A3 at 300 dpi",
    )
    snap.add_argument(
        "--basemap", choices=snapshot.BASEMAPS, default="outline", help="outline (offline, default) or tiles"
    )
    snap.add_argument("--tiles", default="carto-light", help="tile basemap id (carto-light, osm, …) or an XYZ URL")
    snap.add_argument("--labels", choices=snapshot.LABELS, default="places", help="places (default), features or none")
    snap.add_argument("--url", help="a view as the app writes it: any app address or just its query string")
    snap.add_argument("--asof", default="", help="the corridor as of a year, e.g. 2020")
    snap.add_argument("--near", help="feature id: draw what lies within --km of it (as the overview does)")
    snap.add_argument("--km", help="radius for --near in km (default 50)")
    snap.add_argument("--out", type=Path, required=True, help="file to write")

    inspect = commands.add_parser("inspect", help="check a file for import and print a JSON report")
    inspect.add_argument("file", type=Path, help="GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile or CSV")
    inspect.add_argument("--sector-column", help="the file's column that holds its categories")

    rec = commands.add_parser("reconcile", help="match a file's features to the atlas and write a CSV report")
    rec.add_argument("file", type=Path, help="GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile or CSV")
    rec.add_argument("--sector-column", help="the file's column that holds its categories")
    rec.add_argument("--out", type=Path, required=True, help="CSV file to write")

    path = commands.add_parser("route", help="shortest path over the atlas' roads and rail (JSON)")
    path.add_argument("start", metavar="FROM_ID", help="feature id or city id (see data/places.json)")
    path.add_argument("end", metavar="TO_ID", help="feature id or city id")

    near = commands.add_parser("near", help="list the features within a radius of a feature (JSON)")
    near.add_argument("id", help="feature id, e.g. khunjerab-pass-border-crossing")
    near.add_argument("--km", type=float, default=50.0, help="radius in km (default 50)")

    check = commands.add_parser("audit", help="check drawn lengths, shared positions, precision and figure sources")
    check.add_argument("--json", action="store_true", help="print the report as JSON")

    exp = commands.add_parser("export", help="write the filtered features as GeoJSON, CSV, GeoPackage or KML")
    _filter_options(exp)
    exp.add_argument("--format", choices=list(export.DATA_FORMATS), help="default: from --out's suffix")
    exp.add_argument("--out", type=Path, required=True, help="file to write")
    return parser


FILTER_FLAGS = ("sector", "status", "province", "years", "q", "asof")


def url_params(url: str) -> dict[str, list[str]]:
    """The query parameters of an app address (``http://host/page?…``) or of a bare query
    string (``?sector=energy&km=50`` or ``sector=energy``)."""
    text = url.strip()
    query = urllib.parse.urlsplit(text).query if "://" in text or text.startswith("/") else text.lstrip("?")
    return urllib.parse.parse_qs(query, keep_blank_values=False)


def _filters(args):
    """Filters from ``--url`` (dropped values are warnings, as in the app) overridden by the
    filter flags (a bad flag value is an error)."""
    base = url_params(args.url) if getattr(args, "url", None) else {}
    from_url = parse_query(base)
    for note in from_url.notes:
        print(f"warning: --url: {note}", file=sys.stderr)
    flags = {k: getattr(args, k, "") for k in FILTER_FLAGS}
    parsed = parse_query({k: v for k, v in flags.items() if v})
    if parsed.notes:
        raise UsageError(parsed.notes[0].removeprefix("Ignored ").rstrip("."))
    merged = {k: v for k, v in vars(from_url.filters).items()}
    defaults = vars(type(parsed.filters)())
    merged.update({k: v for k, v in vars(parsed.filters).items() if v != defaults[k]})
    return type(parsed.filters)(**merged)


def _near(args, atlas, lang: str = "en"):
    """The near=/km= state from ``--url`` and the ``--near``/``--km`` flags (flags win)."""
    params = {k: v[0] for k, v in (url_params(args.url) if args.url else {}).items() if k in ("near", "km") and v}
    if args.near:
        params["near"] = args.near
    if args.km:
        params["km"] = args.km
    query, notes = proximity.parse_near(params.get("near"), params.get("km"), set(atlas.features["id"]))
    for note in notes:
        if args.near or args.km:
            raise UsageError(note.removeprefix("Ignored ").rstrip("."))
        print(f"warning: --url: {note}", file=sys.stderr)
    return snapshot.near_overlay(atlas.features, query.center, query.km, lang) if query else None


def _lang(args) -> str:
    """``--lang``, else the ``lang=`` of ``--url`` (a bad one is a warning, as the app's note), else English."""
    if args.lang:
        return args.lang
    raw = (url_params(args.url).get("lang") or [""])[0] if args.url else ""
    lang, bad = i18n.parse(raw)
    if bad is not None:
        print(f"warning: --url: {i18n.t('notes.bad_lang', value=text.clean(bad, 40))}", file=sys.stderr)
    return lang


def _link(args, atlas, features, filters, lang: str = "en") -> links.Link:
    """The view= and feature= of ``--url`` (bad or hidden ones are warnings, as notes in the app)."""
    params = {k: v for k, v in (url_params(args.url) if args.url else {}).items() if k in links.PARAMS}
    link, notes = links.read(params, atlas.features, atlas.unlocated, set(features["id"]), filters.describe(lang), lang)
    for note in notes:
        print(f"warning: --url: {note}", file=sys.stderr)
    return link if link.feature in set(features["id"]) else links.Link(link.view)


def _frame(args, features, near, link: links.Link, css: tuple[float, float]):
    """The snapshot's lon/lat box: --bbox, else the link's view or feature (framed as the app's
    map frames them), else the near= radius, else the filtered features."""
    if args.bbox:
        return args.bbox
    if link.view is not None:
        return link.view.bounds(*css)
    if link.feature:
        return links.feature_frame(features, link.feature, *css)
    if near is not None:
        return snapshot.fit_bbox(gpd.GeoDataFrame(geometry=[near[0]], crs="EPSG:4326"), pad=0.05)
    return snapshot.fit_bbox(features)


def _format(args, allowed) -> str:
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in allowed:
        raise UsageError(f"cannot tell the format from {args.out.name!r}; pass --format ({', '.join(allowed)})")
    return fmt


def _imported(args):
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    layer = importer.read(args.file.name, data)
    if args.sector_column:
        if args.sector_column not in layer.features.columns and f"p_{args.sector_column}" not in layer.features.columns:
            raise UsageError(f"no column {args.sector_column!r} in {args.file.name}")
        column = args.sector_column if args.sector_column in layer.features.columns else f"p_{args.sector_column}"
        layer = importer.map_sectors(layer, column)
    return layer


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "inspect":
        print(json.dumps(_imported(args).report.as_dict(), indent=2, ensure_ascii=False))
        return 0
    if args.command == "reconcile":
        layer = _imported(args)
        if not layer.drawable:
            raise UsageError(f"coordinates look wrong ({layer.report.warnings[-1]}); fix the file first")
        result = reconcile.reconcile(layer.features, layers.load_atlas().features)
        args.out.write_bytes(result.to_csv_bytes())
        print(
            f"wrote {args.out}: {len(result.pairs)} matched, {len(result.only_imported)} only in the file, "
            f"{len(result.only_atlas)} only in the atlas"
        )
        return 0
    if args.command == "route":
        found = routes.route(layers.load_atlas().features, args.start, args.end)
        print(json.dumps(found.as_dict(), indent=2))
        return 0
    if args.command == "audit":
        atlas = layers.load_atlas()
        result = audit.audit(atlas.features, atlas.unlocated)
        result.problems[:0] = [f"layer {p.file}: {p.problem}" for p in atlas.problems]
        print(
            json.dumps(result.as_dict(), indent=2, ensure_ascii=False) if args.json else audit.format_text(result),
            end="",
        )
        return 0
    if args.command == "near":
        found = proximity.within(layers.load_atlas().features, args.id, args.km)
        print(json.dumps({"id": args.id, "km": args.km, "features": found.to_dict("records")}, indent=2))
        return 0
    filters = _filters(args)
    atlas = layers.load_atlas()
    for problem in atlas.problems:
        print(f"warning: {problem}", file=sys.stderr)
    features = apply_filters(atlas.features, filters)
    if args.command == "export":
        data = export.data_bytes(features, _format(args, list(export.DATA_FORMATS)))
    else:
        fmt = _format(args, [*snapshot.FORMATS, "html"])
        lang = _lang(args)
        near = _near(args, atlas, lang)
        link = _link(args, atlas, features, filters, lang)
        if features.empty and not args.bbox and near is None and link.view is None:
            raise UsageError("no features match the filters and no --bbox was given")
        width, height, dpi = snapshot.LAYOUTS[args.layout] if args.layout else (args.width, args.height, args.dpi)
        css = (width * 100 / dpi, height * 100 / dpi)  # the sheet's size in screen pixels, as the map's zoom counts
        bbox = _frame(args, features, near, link, css)
        title = args.title or i18n.t("overview.title", lang)
        if fmt == "html":
            view = map_builder.View.fit(bbox, args.width, args.height) if args.bbox or not link.view else link.view
            weights = {s.id: s.weight for s in atlas.layers}
            data = export.html_bytes(features, view=view, title=title, weights=weights, lang=lang)
        else:
            linked = features.loc[features["id"] == link.feature] if link.feature else features.iloc[:0]
            highlighted = i18n.feature_name(linked.iloc[0], lang) if not linked.empty else None
            description = (
                filters.describe(lang)
                + (f"; {near[2]}" if near else "")
                + ("; " + i18n.t("snapshot.highlighted", lang, name=highlighted) if highlighted else "")
            )
            spec = snapshot.SnapshotSpec(
                bbox=bbox,
                width_px=width,
                height_px=height,
                dpi=dpi,
                title=title,
                subtitle=snapshot.subtitle(description, len(features), layers.data_date(), lang),
                basemap=args.basemap,
                tiles=args.tiles,
                labels=args.labels,
                near=near,
                lang=lang,
                highlight=None if linked.empty else linked.geometry.iloc[0],
            )
            picture = snapshot.render(features, spec)
            try:
                data = picture.to_bytes(fmt)
            finally:
                picture.close()
            for note in picture.notes:
                print(f"note: {note}", file=sys.stderr)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes, {len(features)} features)")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except (
        UsageError,
        ValueError,
        proximity.UnknownFeature,
        routes.UnknownPlace,
        export.ExportError,
        layers.LayerError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc} ({getattr(exc, 'filename', '')})", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
