/* CPEC Atlas compact layers: decoding and zoom bands.
 *
 * components/compact.py sends each layer as columns of properties and quantized,
 * delta-encoded coordinates (zigzag varints in base64). This file turns them back into
 * GeoJSON features for atlasLayer (atlas-map.js), hands big point layers to the clustered
 * canvas layer (cluster.js), and swaps simplified line and polygon geometry as the zoom
 * crosses a band. Nothing here builds HTML: popups and tooltips stay in atlas-map.js,
 * which escapes every value.
 */
(function () {
    "use strict";
    var SCALE = 100000;
    var TYPES = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"];
    var CLUSTER_MIN = 2000;   // point layers from this size are clustered and drawn on canvas
    var CANVAS_MIN = 500;     // line/polygon layers from this size are drawn on canvas
    var DEPTH = {LineString: 0, MultiLineString: 1, Polygon: 1, MultiPolygon: 2};
    var canvas = null;

    function varints(b64, zigzag) {
        var s = atob(b64 || ""), n = s.length, out = new Array(0), value = 0, shift = 0;
        for (var i = 0; i < n; i++) {
            var b = s.charCodeAt(i);
            value += (b & 0x7f) * Math.pow(2, shift);
            if (b & 0x80) { shift += 7; continue; }
            out.push(zigzag ? (value % 2 ? -(value + 1) / 2 : value / 2) : value);
            value = 0; shift = 0;
        }
        return out;
    }

    /* Vertices, structure and zoom levels of a layer's geometry, decoded once. */
    function store(g, count) {
        var steps = varints(g.c, true), n = steps.length / 2, xs = new Float64Array(n), ys = new Float64Array(n);
        var x = 0, y = 0;
        for (var k = 0; k < n; k++) {
            x += steps[2 * k]; y += steps[2 * k + 1];
            xs[k] = x / SCALE; ys[k] = y / SCALE;
        }
        var levels = null;
        if (g.lv) {
            var raw = atob(g.lv);
            levels = new Uint8Array(n);
            for (k = 0; k < n; k++) { levels[k] = (raw.charCodeAt(k >> 2) >> ((k & 3) * 2)) & 3; }
        }
        return {xs: xs, ys: ys, levels: levels, structure: varints(g.s, false), t: g.t, z: g.z || [], n: count};
    }

    /* GeoJSON geometries at a zoom band (the last band, or none given, is full detail). Rings
     * that a band would collapse keep all their vertices; polygon rings are closed again. */
    function geometries(st, band) {
        var xs = st.xs, ys = st.ys, structure = st.structure, count = st.n;
        var levels = (band === undefined || band >= st.z.length) ? null : st.levels;
        var at = 0, pos = 0, out = new Array(count);
        function take(n, closed) {
            var pts = [], k;
            if (levels) {
                for (k = at; k < at + n; k++) { if (levels[k] <= band) { pts.push([xs[k], ys[k]]); } }
            }
            if (!levels || pts.length < (closed ? 3 : 2)) {
                pts = [];
                for (k = at; k < at + n; k++) { pts.push([xs[k], ys[k]]); }
            }
            at += n;
            if (closed) { pts.push(pts[0]); }
            return pts;
        }
        function rings(closed) {
            var n = structure[pos++], r = new Array(n), sizes = structure.slice(pos, pos + n);
            pos += n;
            for (var k = 0; k < n; k++) { r[k] = take(sizes[k], closed); }
            return r;
        }
        for (var i = 0; i < count; i++) {
            var t = typeof st.t === "string" ? st.t : TYPES[st.t[i]], coords;
            if (t === "Point") { coords = [xs[at], ys[at]]; at++; }
            else if (t === "MultiPoint") {
                var m = structure[pos++];
                coords = [];
                for (var q = at; q < at + m; q++) { coords.push([xs[q], ys[q]]); }
                at += m;
            }
            else if (t === "LineString") { coords = take(structure[pos++], false); }
            else if (t === "MultiLineString" || t === "Polygon") { coords = rings(t === "Polygon"); }
            else {
                var parts = structure[pos++];
                coords = new Array(parts);
                for (var p = 0; p < parts; p++) { coords[p] = rings(true); }
            }
            out[i] = {type: t, coordinates: coords};
        }
        return out;
    }

    function column(col, count) {
        var out = new Array(count), i;
        if (col.seq !== undefined) {
            for (i = 0; i < count; i++) { out[i] = col.seq + (i + 1); }
        } else if (col.d) {
            for (i = 0; i < count; i++) { out[i] = col.i[i] < 0 ? null : col.d[col.i[i]]; }
        } else {
            for (i = 0; i < count; i++) { out[i] = col.v[i]; }
        }
        if (col.p !== undefined) {
            for (i = 0; i < count; i++) { if (out[i] !== null && out[i] !== undefined) { out[i] = col.p + out[i]; } }
        }
        if (col.l) {
            for (i = 0; i < count; i++) { out[i] = out[i] === null || out[i] === undefined ? [] : [out[i]]; }
        }
        return out;
    }

    function bandFor(st, zoom) {
        for (var i = 0; i < st.z.length; i++) { if (zoom <= st.z[i]) { return i; } }
        return st.z.length;
    }

    /* GeoJSON features of a compact layer, at a zoom band (full detail when none is given). */
    function decode(data, band, st) {
        var n = data.n, keys = Object.keys(data.cols), cols = {}, features = new Array(n);
        if (!n) { return []; }
        var geoms = geometries(st || store(data.g, n), band);
        keys.forEach(function (k) { cols[k] = column(data.cols[k], n); });
        var constKeys = Object.keys(data["const"] || {});
        for (var i = 0; i < n; i++) {
            var p = {}, extra = null;
            for (var c = 0; c < constKeys.length; c++) { p[constKeys[c]] = data["const"][constKeys[c]]; }
            for (var j = 0; j < keys.length; j++) {
                var v = cols[keys[j]][i];
                if (v === null || v === undefined) { continue; }
                if (keys[j].lastIndexOf("x.", 0) === 0) { (extra = extra || {})[keys[j].slice(2)] = v; }
                else { p[keys[j]] = v; }
            }
            if (extra) { p.x = extra; }
            features[i] = {type: "Feature", properties: p, geometry: geoms[i]};
        }
        return features;
    }

    /* Swap each line/polygon to the band of the current zoom (built once per band). */
    function followBands(group, st, band, featureLayers) {
        if (!st.levels) { return; }
        var cache = {}, current = band;
        function apply(map) {
            var index = bandFor(st, map.getZoom());
            if (index === current) { return; }
            current = index;
            var geoms = cache[index] = cache[index] || geometries(st, index);
            featureLayers.forEach(function (entry) {
                var g = geoms[entry[0]];
                if (DEPTH[g.type] !== undefined && entry[1].setLatLngs) {
                    entry[1].setLatLngs(L.GeoJSON.coordsToLatLngs(g.coordinates, DEPTH[g.type]));
                }
            });
            if (window.performance && performance.mark) { performance.mark("atlas-band-" + index); }
        }
        function onZoom(e) { apply(e.target); }
        group.on("add", function () { apply(group._map); group._map.on("zoomend", onZoom); });
        group.on("remove", function (e) { if (e.target._map) { e.target._map.off("zoomend", onZoom); } });
    }

    window.atlasDecode = function (data, band) { return decode(data, band); };

    /* The map layer for a compact layer: clustered canvas points for big point layers, the
     * atlas' own styled layer (SVG, or canvas when big) for everything else. */
    window.atlasCompactLayer = function (data) {
        var received = window.performance ? performance.now() : 0;
        if (window.performance && performance.mark) { performance.mark("atlas-layer-received"); }
        var st = data.n ? store(data.g, data.n) : null, band = 0;
        var features = decode(data, band, st), group = L.featureGroup();
        group.atlasFeatureCount = features.length;  // read by the map's description (atlas-map.js)
        var points = [], others = [], index = [];
        features.forEach(function (f, i) {
            if (f.geometry.type === "Point") { points.push(f); } else { others.push(f); index.push(i); }
        });
        if (points.length >= CLUSTER_MIN && window.atlasPointCloud) {
            group.addLayer(window.atlasPointCloud(points, received));
        } else {
            others = features;
            index = features.map(function (_, i) { return i; });
        }
        if (others.length) {
            var options = {};
            if (others.length >= CANVAS_MIN) { options.renderer = canvas = canvas || L.canvas({padding: 0.3}); }
            var layer = window.atlasLayer({type: "FeatureCollection", features: others}, options), byFeature = [];
            var k = 0;
            layer.eachLayer(function (l) { byFeature.push([index[k++], l]); });
            group.addLayer(layer);
            followBands(group, st, band, byFeature);
        }
        if (window.performance && performance.mark) {
            performance.mark("atlas-layer-built");
            if (window.requestAnimationFrame) {
                requestAnimationFrame(function () { performance.mark("atlas-layer-drawn"); });
            }
        }
        return group;
    };
})();
