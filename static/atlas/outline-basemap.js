/* CPEC Atlas offline outline basemap: land and sea, borders, disputed areas, rivers, lakes
 * and labelled places, drawn from window.atlasOutlineData (outline-basemap-data.js, built by
 * scripts/build_basemap.py), with no tile server.
 *
 * atlasOutline(options) is a base layer for the layer control ("Atlas outline (offline)",
 * light or dark). atlasOutlineFallback(map, light, dark) watches the tile basemaps: when
 * tiles fail to load (no network, blocked provider) it swaps in the outline and shows a
 * short note; while tiles load, nothing changes. atlasOutlineMinimap(control) does the same
 * for the mini-map.
 *
 * Labels are placed greedily, most important first (rank, then the order of the data),
 * each at the first of four positions around its place that overlaps no label already
 * placed; the rest are left out. They are re-placed after every move and zoom.
 */
(function () {
    "use strict";
    var STYLES = {
        light: {sea: "#d4e4ef", land: "#ecebe4", focus: "#f8f7f2", coast: "#8aa3b5", border: "#6f6f6f",
                water: "#b9d3e6", river: "#7ba7c9", disputed: "#b5651d", text: "#2b2b2b", halo: "#ffffff",
                region: "#8a7f73"},
        dark: {sea: "#1c2530", land: "#2f3237", focus: "#3a3d43", coast: "#5d7384", border: "#9a9a9a",
               water: "#2c4356", river: "#3f6a8a", disputed: "#e0a060", text: "#e8e8e8", halo: "#15181c",
               region: "#a39a8f"}
    };
    var DASH = {international: null, indefinite: "6 3", disputed: "5 3", line_of_control: "8 3 2 3", claim: "2 3",
                province: "3 3", territory: "3 3"};
    /* Colour and width of each kind of line: province and territory lines are thin, the
     * territories' (Gilgit-Baltistan, Azad Jammu and Kashmir) in the disputed colour. */
    function lineStyle(kind, s) {
        if (kind === "province") { return {color: s.region, weight: 0.9}; }
        if (kind === "territory") { return {color: s.disputed, weight: 0.9}; }
        var plain = kind === "international" || kind === "indefinite";
        return {color: plain ? s.border : s.disputed, weight: plain ? 1.1 : 1.3};
    }
    var decoded = null;

    function ring(a, s) {
        var out = [], x = 0, y = 0;
        for (var i = 0; i < a.length; i += 2) {
            x += a[i]; y += a[i + 1];
            out.push([y / s, x / s]);
        }
        return out;
    }

    function decode() {
        if (decoded) { return decoded; }
        var D = window.atlasOutlineData;
        if (!D) { return null; }
        decoded = {};
        Object.keys(D.layers).forEach(function (name) {
            var layer = D.layers[name];
            decoded[name] = layer.g.map(function (g, i) {
                var props = {};
                layer.f.forEach(function (f, k) { props[f] = layer.p[i][k]; });
                var geom = typeof g[0] === "number" ? [g[1] / D.scale, g[0] / D.scale] :
                    g.map(function (r) { return ring(r, D.scale); });
                return {p: props, g: geom};
            });
        });
        decoded.rankMinZoom = D.rankMinZoom;
        return decoded;
    }

    var measure = null;
    function textWidth(text, font) {
        measure = measure || document.createElement("canvas").getContext("2d");
        measure.font = font;
        return measure.measureText(text).width;
    }

    function overlaps(a, list) {
        for (var i = 0; i < list.length; i++) {
            var b = list[i];
            if (a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1]) { return true; }
        }
        return false;
    }

    var Outline = L.Layer.extend({
        initialize: function (options) {
            L.setOptions(this, options);
            this._style = STYLES[this.options.style] || STYLES.light;
        },

        onAdd: function (map) {
            var data = decode(), s = this._style;
            if (!map.getPane("atlasOutline")) {
                map.createPane("atlasOutline").style.zIndex = 190;
                map.createPane("atlasOutlineLabels").style.zIndex = 380;
                map.getPane("atlasOutlineLabels").style.pointerEvents = "none";
            }
            this._sea = map.getContainer().style.background;
            map.getContainer().style.background = s.sea;
            map.getContainer().classList.add("atlas-outline-" + this.options.style);
            this._renderer = L.svg({pane: "atlasOutline", padding: 0.5});
            this._group = L.layerGroup();
            this._labels = L.layerGroup();
            if (data) { this._build(data, s); }
            this._group.addTo(map);
            this._labels.addTo(map);
            this._hatch(s);
            if (this.options.labels !== false) {
                map.on("zoomend moveend resize", this._place, this);
                this._place();
            }
        },

        onRemove: function (map) {
            map.off("zoomend moveend resize", this._place, this);
            map.removeLayer(this._group);
            map.removeLayer(this._labels);
            map.getContainer().style.background = this._sea || "";
            map.getContainer().classList.remove("atlas-outline-" + this.options.style);
        },

        _path: function (geom, options, line) {
            var o = L.extend({renderer: this._renderer, interactive: false, className: "atlas-outline"}, options);
            var shape = line ? L.polyline(geom, o) : L.polygon(geom, o);
            shape.addTo(this._group);
        },

        _build: function (data, s) {
            var self = this;
            data.land.forEach(function (f) {
                self._path(f.g, {stroke: true, color: s.coast, weight: 0.8, fillColor: s.land, fillOpacity: 1,
                                 className: "atlas-outline atlas-outline-land"});
            });
            data.countries.forEach(function (f) {
                self._path(f.g, {stroke: false, fillColor: s.focus, fillOpacity: 1,
                                 className: "atlas-outline atlas-outline-focus"});
            });
            data.lakes.forEach(function (f) {
                self._path(f.g, {color: s.river, weight: 0.6, fillColor: s.water, fillOpacity: 1,
                                 className: "atlas-outline atlas-outline-lake"});
            });
            data.rivers.forEach(function (f) {
                self._path(f.g, {color: s.river, weight: Math.max(0.6, 2 - 0.15 * f.p.rank), opacity: 0.9,
                                 className: "atlas-outline atlas-outline-river"}, true);
            });
            data.disputed.forEach(function (f) {
                self._path(f.g, {stroke: false, fillColor: "url(#atlas-hatch-" + self.options.style + ")",
                                 fillOpacity: 1, className: "atlas-outline atlas-outline-disputed"});
            });
            data.boundaries.forEach(function (f) {
                var kind = f.p.kind;
                self._path(f.g, L.extend(lineStyle(kind, s), {dashArray: DASH[kind], opacity: 0.95,
                                 className: "atlas-outline atlas-outline-boundary atlas-outline-" + kind}), true);
            });
        },

        _hatch: function (s) {
            var svg = this._renderer._container;
            if (!svg || svg.querySelector("#atlas-hatch-" + this.options.style)) { return; }
            var ns = "http://www.w3.org/2000/svg";
            var defs = document.createElementNS(ns, "defs");
            var pattern = document.createElementNS(ns, "pattern");
            pattern.setAttribute("id", "atlas-hatch-" + this.options.style);
            pattern.setAttribute("patternUnits", "userSpaceOnUse");
            pattern.setAttribute("width", "8");
            pattern.setAttribute("height", "8");
            pattern.setAttribute("patternTransform", "rotate(45)");
            var line = document.createElementNS(ns, "line");
            line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
            line.setAttribute("x2", "0"); line.setAttribute("y2", "8");
            line.setAttribute("stroke", s.disputed);
            line.setAttribute("stroke-width", "1.5");
            line.setAttribute("stroke-opacity", "0.55");
            pattern.appendChild(line);
            defs.appendChild(pattern);
            svg.insertBefore(defs, svg.firstChild);
        },

        _candidates: function (data) {
            var zoom = this._map.getZoom(), minZoom = data.rankMinZoom, out = [];
            data.disputed.forEach(function (f) {
                if (zoom >= (f.p.label_rank <= 2 ? 5 : 7) && f.p.label_lat !== null) {
                    out.push({name: f.p.name + " (disputed)", note: f.p.note, at: [f.p.label_lat, f.p.label_lon],
                              kind: "disputed", rank: f.p.label_rank});
                }
            });
            data.places.forEach(function (f) {
                var min = minZoom[f.p.rank] || 99;
                if (f.p.kind === "region") { min = f.p.rank <= 2 ? 5 : 6; }
                if (zoom >= min) { out.push({name: f.p.name, at: f.g, kind: f.p.kind, rank: f.p.rank}); }
            });
            out.sort(function (a, b) { return a.rank - b.rank; });
            return out;
        },

        _place: function () {
            var data = decode(), map = this._map;
            if (!data || !map) { return; }
            this._labels.clearLayers();
            var size = map.getSize(), placed = [], s = this._style, self = this;
            var bounds = map.getBounds().pad(0.05);
            this._candidates(data).forEach(function (c) {
                if (!bounds.contains(c.at)) { return; }
                var p = map.latLngToContainerPoint(c.at);
                var region = c.kind === "region" || c.kind === "disputed";
                var fontSize = region ? 11 : (c.rank <= 2 ? 13 : (c.rank <= 4 ? 12 : 11));
                var font = (region ? "italic " : (c.rank <= 3 ? "600 " : "")) + fontSize + "px system-ui, sans-serif";
                var w = textWidth(c.name, font) + 4, h = fontSize + 4;
                var options = region ? [[-w / 2, -h / 2]] :
                    [[6, -h / 2], [-w - 6, -h / 2], [-w / 2, -h - 5], [-w / 2, 5]];
                for (var i = 0; i < options.length; i++) {
                    var x = p.x + options[i][0], y = p.y + options[i][1];
                    var box = [x, y, x + w, y + h];
                    if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) { continue; }
                    var dot = region ? null : [p.x - 3, p.y - 3, p.x + 3, p.y + 3];
                    if (overlaps(box, placed) || (dot && overlaps(dot, placed))) { continue; }
                    placed.push(box);
                    if (dot) { placed.push(dot); }
                    self._label(c, options[i], w, h, font, s, region);
                    return;
                }
            });
        },

        _label: function (c, offset, w, h, font, s, region) {
            var div = document.createElement("div");
            div.className = "atlas-outline-label atlas-outline-label-" + c.kind;
            div.style.cssText = "width:" + Math.ceil(w) + "px;height:" + h + "px;font:" + font + ";color:" +
                (region ? (c.kind === "disputed" ? s.disputed : s.region) : s.text) +
                ";text-shadow:0 0 2px " + s.halo + ",0 0 2px " + s.halo + ",0 0 3px " + s.halo + ";";
            div.textContent = c.name;
            if (c.note) { div.title = c.note; }
            var dot = region ? "" : '<span class="atlas-outline-dot" style="left:' + (-offset[0] - 3) + "px;top:" +
                (-offset[1] - 3) + "px;background:" + s.text + ";border-color:" + s.halo + '"></span>';
            var icon = L.divIcon({className: "atlas-outline-label-icon", html: dot + div.outerHTML,
                                  iconSize: [0, 0], iconAnchor: [-offset[0], -offset[1]]});
            L.marker(c.at, {icon: icon, interactive: false, keyboard: false, pane: "atlasOutlineLabels"})
                .addTo(this._labels);
        }
    });

    window.atlasOutline = function (options) { return new Outline(options); };

    /* Call failed() once when a tile layer on ``map`` cannot load: three errors before any tile
     * loads, most tiles failing, or nothing at all within 12 s (a network that swallows
     * requests); loaded() runs on every tile that loads. */
    function watchTiles(layer, map, failed, loaded) {
        if (layer._atlasWatched) { return; }
        layer._atlasWatched = true;
        var loads = 0, errors = 0, timer = null;
        function start() {
            loads = 0; errors = 0;
            clearTimeout(timer);
            timer = setTimeout(function () { if (loads === 0) { failed(); } }, 12000);
        }
        layer.on("add", start);
        layer.on("remove", function () { clearTimeout(timer); });
        layer.on("tileload", function () {
            loads++;
            if (loaded) { loaded(); }
        });
        layer.on("tileerror", function () {
            errors++;
            if ((loads === 0 && errors >= 3) || (errors >= 12 && loads * 4 < errors)) {
                clearTimeout(timer);
                failed();
            }
        });
        if (map.hasLayer(layer)) { start(); }
    }

    /* The mini-map (Leaflet-MiniMap control) swaps its tiles for the outline, without labels,
     * when they cannot be loaded, and zooms in one step so that more of the outline's region
     * shows (four steps below the main map: the view's frame stays about half the mini-map's
     * width on a 900 px map; three steps would make it fill the mini-map). */
    window.atlasOutlineMinimap = function (control) {
        var layer = control._layer, mini = control._miniMap;
        if (!layer || !mini) { return; }
        watchTiles(layer, mini, function () {
            if (control._layer !== layer) { return; }
            control.changeLayer(new Outline({style: "light", labels: false}));
            control.options.zoomLevelOffset = Math.max(control.options.zoomLevelOffset, -4);
            mini.setView(control._mainMap.getCenter(), control._decideZoom(true));
        });
    };

    /* Swap in the outline when the tile basemap cannot be loaded. */
    window.atlasOutlineFallback = function (map, light, dark, text) {
        var note = null, active = null;

        function showNote(show) {
            if (show && !note) {
                note = L.control({position: "topright"});
                note.onAdd = function () {
                    var div = L.DomUtil.create("div", "atlas-basemap-note");
                    div.textContent = text;
                    return div;
                };
                note.addTo(map);
            } else if (!show && note) {
                note.remove();
                note = null;
            }
        }

        function fallback(layer) {
            if (!map.hasLayer(layer)) { return; }
            var url = (layer._url || "").toLowerCase();
            var outline = url.indexOf("dark") >= 0 ? dark : light;
            map.removeLayer(layer);
            if (!map.hasLayer(light) && !map.hasLayer(dark)) { map.addLayer(outline); }
            showNote(true);
        }

        function watch(layer) {
            if (!(layer instanceof L.TileLayer)) { return; }
            watchTiles(layer, map, function () { fallback(layer); }, function () {
                if (layer === active) { showNote(false); }
            });
        }

        map.eachLayer(watch);
        map.on("layeradd", function (e) {
            watch(e.layer);
            if (e.layer instanceof L.TileLayer && !e.layer.options.atlasMinimap) { active = e.layer; }
        });
        map.on("baselayerchange", function (e) {
            if (e.layer === light || e.layer === dark) { showNote(false); }
        });
    };
})();
