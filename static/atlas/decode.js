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

    function geometries(band, count) {
        var steps = varints(band.c, true), structure = varints(band.s, false);
        var x = 0, y = 0, at = 0, pos = 0, out = new Array(count);
        function take(n) {
            var pts = new Array(n);
            for (var k = 0; k < n; k++) {
                x += steps[at++]; y += steps[at++];
                pts[k] = [x / SCALE, y / SCALE];
            }
            return pts;
        }
        function rings() {
            var n = structure[pos++], r = new Array(n), sizes = structure.slice(pos, pos + n);
            pos += n;
            for (var k = 0; k < n; k++) { r[k] = take(sizes[k]); }
            return r;
        }
        for (var i = 0; i < count; i++) {
            var t = typeof band.t === "string" ? band.t : TYPES[band.t[i]], coords;
            if (t === "Point") { coords = take(1)[0]; }
            else if (t === "LineString" || t === "MultiPoint") { coords = take(structure[pos++]); }
            else if (t === "MultiLineString" || t === "Polygon") { coords = rings(); }
            else {
                var parts = structure[pos++];
                coords = new Array(parts);
                for (var p = 0; p < parts; p++) { coords[p] = rings(); }
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
        if (col.l) {
            for (i = 0; i < count; i++) { out[i] = out[i] === null || out[i] === undefined ? [] : [out[i]]; }
        }
        return out;
    }

    /* GeoJSON features of a compact layer, at the finest band unless told otherwise. */
    function decode(data, bandIndex) {
        var n = data.n, keys = Object.keys(data.cols), cols = {}, features = new Array(n);
        if (!n) { return []; }
        var band = data.b[bandIndex === undefined ? data.b.length - 1 : bandIndex];
        var geoms = geometries(band, n);
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

    function bandFor(data, zoom) {
        for (var i = 0; i < data.b.length; i++) {
            if (data.b[i].z === null || zoom <= data.b[i].z) { return i; }
        }
        return data.b.length - 1;
    }

    /* Swap each line/polygon to the band of the current zoom (decoded once per band). */
    function followBands(group, data, featureLayers) {
        if (data.b.length < 2) { return; }
        var cache = {}, current = null;
        function apply(map) {
            var index = bandFor(data, map.getZoom());
            if (index === current) { return; }
            current = index;
            var geoms = cache[index] = cache[index] || geometries(data.b[index], data.n);
            featureLayers.forEach(function (entry) {
                var g = geoms[entry[0]];
                if (DEPTH[g.type] !== undefined && entry[1].setLatLngs) {
                    entry[1].setLatLngs(L.GeoJSON.coordsToLatLngs(g.coordinates, DEPTH[g.type]));
                }
            });
        }
        function onZoom(e) { apply(e.target); }
        group.on("add", function () { apply(group._map); group._map.on("zoomend", onZoom); });
        group.on("remove", function (e) { e.target._map && e.target._map.off("zoomend", onZoom); });
        group._atlasApplyBand = apply;
    }

    window.atlasDecode = decode;
    window.atlasBandFor = bandFor;

    /* The map layer for a compact layer: clustered canvas points for big point layers, the
     * atlas' own styled layer (SVG, or canvas when big) for everything else. */
    window.atlasCompactLayer = function (data) {
        var received = window.performance ? performance.now() : 0;
        if (window.performance && performance.mark) { performance.mark("atlas-layer-received"); }
        var features = decode(data, 0), group = L.featureGroup();
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
            followBands(group, data, byFeature);
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
