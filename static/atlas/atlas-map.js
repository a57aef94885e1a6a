/* CPEC Atlas map layer: styles, point symbols, escaped tooltips and popups.
 *
 * The Python side (components/map_builder.py) sends features as plain data with short
 * keys; everything shown is built here and every value is escaped first, so a hostile
 * name or link text is displayed as text. atlasSetup() receives the vocabularies
 * (labels, colours, shapes, dashes) from Python, so both sides draw the same symbols, and
 * every word the map shows in the interface language (C.t, from data/i18n/*.toml; C.rtl for
 * Urdu, whose popups and legend read right to left while the map itself is not mirrored).
 */
(function () {
    "use strict";
    var C = null;
    var ENT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"};

    function esc(v) {
        return String(v).replace(/[&<>"']/g, function (c) { return ENT[c]; });
    }

    function num(v, unit) {
        var d = (v % 1 !== 0 && Math.abs(v) < 100) ? 1 : 0;
        return v.toLocaleString("en-US", {minimumFractionDigits: d, maximumFractionDigits: d}) + " " + unit;
    }

    function T(key, values) {
        var text = C.t[key] === undefined ? key : C.t[key];
        Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
        return text;
    }

    function dir() { return C.rtl ? ' dir="rtl"' : ""; }

    function year(v) { return v === undefined ? T("na") : v; }

    function host(url) {
        var m = /^https?:\/\/([^\/?#]+)/i.exec(url);
        return m ? m[1] : url;
    }

    function symbol(sector, precision) {
        var s = C.sectors[sector], p = C.precision[precision];
        var dash = p[2] ? ' stroke-dasharray="' + p[2] + '"' : "";
        return '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20">' +
            '<g fill="' + s[1] + '" fill-opacity="' + p[0] + '" stroke="' + (p[1] || s[1]) + '" ' +
            'stroke-width="' + p[3] + '"' + dash + ">" + C.shapes[s[2]] + "</g></svg>";
    }

    function sectorLabel(p) { return p.s ? C.sectors[p.s][0] : T("not_mapped"); }
    function statusLabel(p) { return p.st ? C.statuses[p.st][0] : T("na"); }
    function precisionLabel(pr) { return C.t["precision_" + pr] || pr; }

    function popup(p) {
        var built = (p.y0 === undefined && p.y1 === undefined) ? T("na") : year(p.y0) + " – " + year(p.y1);
        var rows = [
            [T("sector"), sectorLabel(p) + (p.ss ? " · " + p.ss : "")],
            [T("status"), statusLabel(p)],
            [T("built"), built]
        ];
        if (p.imp) { rows.unshift([T("imported_layer"), p.imp]); }
        if (p.rc) { rows.push([T("reconciliation"), p.rc]); }
        C.figures.forEach(function (f) {
            if (p[f[0]] !== undefined) { rows.push([f[1], num(p[f[0]], f[2])]); }
        });
        rows.push([T("location"), precisionLabel(p.pr)]);
        if (p.x) { Object.keys(p.x).forEach(function (k) { rows.push([k, p.x[k]]); }); }
        var links = (p.src || []).map(function (u) {
            return '<a href="' + esc(u) + '" target="_blank" rel="noopener noreferrer">' + esc(host(u)) + "</a>";
        });
        if (p.more) { links.push(esc(T("more_sources", {n: p.more}))); }
        var aid = (p.aid || []).filter(function (i) { return /^[0-9]+$/.test(i); }).map(function (i) {
            return '<a href="https://china.aiddata.org/projects/' + esc(i) + '/" target="_blank" ' +
                'rel="noopener noreferrer">' + esc(i) + "</a>";
        });
        return '<div class="atlas-popup"' + dir() + "><h4>" + esc(p.n) + "</h4><table>" +
            rows.map(function (r) { return "<tr><th>" + esc(r[0]) + "</th><td>" + esc(r[1]) + "</td></tr>"; }).join("") +
            "</table><p><b>" + esc(T("sources")) + "</b> " + (links.join(", ") || esc(T("na"))) + "</p>" +
            (aid.length ? '<p class="atlas-aiddata"><b>' + esc(T("aiddata")) + "</b> " + aid.join(", ") + "</p>" : "") +
            window.atlasShareHtml(p, esc) + "</div>";
    }

    function style(f) {
        var p = f.properties, colour = p.c || C.sectors[p.s][1], fade = C.fade[p.pr];
        var polygon = f.geometry.type.indexOf("Polygon") >= 0;
        return {
            color: colour, weight: polygon ? 2 : p.w, opacity: 0.9 * fade, dashArray: p.st ? C.statuses[p.st][1] : null,
            fill: polygon, fillColor: colour, fillOpacity: 0.3 * fade
        };
    }

    function importedSymbol(colour) {
        return '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20">' +
            '<circle cx="10" cy="10" r="6" fill="' + colour + '" fill-opacity="0.85" stroke="#ffffff" ' +
            'stroke-width="2"/></svg>';
    }

    function row(symbolHtml, label) {
        return '<div class="row">' + symbolHtml + "<span>" + esc(label) + "</span></div>";
    }

    function lineSample(dash) {
        return '<svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" stroke="#333" stroke-width="3"' +
            (dash ? ' stroke-dasharray="' + dash + '"' : "") + "/></svg>";
    }

    // On a narrow map (a phone) the legend starts folded, so that it does not cover the map.
    var NARROW_MAP_PX = 480;

    function legendHtml(open) {
        var html = "<details class=\"atlas-legend-body\"" + (open ? " open" : "") + "><summary>" +
            esc(T("legend")) + "</summary>";
        Object.keys(C.sectors).forEach(function (id) { html += row(symbol(id, "exact"), C.sectors[id][0]); });
        html += "<details><summary>" + esc(T("legend_more")) + "</summary>";
        Object.keys(C.statuses).forEach(function (id) { html += row(lineSample(C.statuses[id][1]), C.statuses[id][0]); });
        Object.keys(C.precision).forEach(function (id) {
            html += row(symbol("port", id), T("legend_precision_" + id));
        });
        return html + "</details></details>";
    }

    // The map's text alternative: what it shows and how many features, on the map itself and
    // on the frame streamlit-folium puts it in (what a screen reader announces first).
    function describe(map) {
        var count = 0, layers = 0;
        map.eachLayer(function (l) {
            if (l.atlasFeatureCount !== undefined) { count += l.atlasFeatureCount; layers += 1; }
        });
        var text = T("map_description", {
            features: count === 1 ? T("one_feature") : T("n_features", {n: count}),
            layers: layers === 1 ? T("one_layer") : T("n_layers", {n: layers})
        });
        var box = map.getContainer();
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", text);
        try {
            if (window.frameElement) { window.frameElement.setAttribute("aria-label", text); }
        } catch (e) { /* a frame of another origin: the map's own label still holds */ }
    }

    function control(map, position, className, fill) {
        var c = L.control({position: position});
        c.onAdd = function () {
            var div = L.DomUtil.create("div", className);
            fill(div);
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        c.addTo(map);
    }

    window.atlasSetup = function (config) { C = config; };
    window.atlasControls = function (map) {
        var open = map.getSize().x > NARROW_MAP_PX, rtl = C.rtl ? " atlas-rtl" : "";
        control(map, "bottomleft", "atlas-legend" + rtl, function (div) { div.innerHTML = legendHtml(open); });
        control(map, "bottomright", "atlas-disclaimer" + rtl, function (div) { div.textContent = C.disclaimer; });
        if (C.rtl) {
            map.getContainer().classList.add("atlas-lang-rtl");
        }
        map.getContainer().setAttribute("lang", C.lang);
        // Leaflet's own buttons carry English titles: give them the interface language's words
        [[".leaflet-control-zoom-in", "zoom_in"], [".leaflet-control-zoom-out", "zoom_out"]].forEach(function (b) {
            var el = map.getContainer().querySelector(b[0]);
            if (el) { el.title = T(b[1]); el.setAttribute("aria-label", T(b[1])); }
        });
        var pending = null;
        map.on("layeradd layerremove", function () {
            if (pending === null) { pending = setTimeout(function () { pending = null; describe(map); }, 0); }
        });
        describe(map);
        // While a popup is open the page's notes on the map step aside (atlas-map.css, phones).
        map.on("popupopen", function (e) {
            map.getContainer().classList.add("atlas-popup-open");
            // a tap opens the popup and the tooltip at once; the popup says more
            var source = e.popup._source;
            if (source && source.closeTooltip) { source.closeTooltip(); }
        });
        map.on("popupclose", function () { map.getContainer().classList.remove("atlas-popup-open"); });
        window.atlasLinksInit(map, C.links);  // static/atlas/links.js: view= and feature= in the address
    };
    function tooltip(p) {
        return "<b" + dir() + ">" + esc(p.n) + "</b><br>" +
            esc(p.imp ? T("imported", {name: p.imp}) : statusLabel(p));
    }

    window.atlasSymbol = symbol;
    window.atlasPopup = popup;
    window.atlasTooltip = tooltip;
    window.atlasStyle = style;

    function icon(p, offset, className) {
        var o = offset || [0, 0];
        return L.divIcon({
            html: p.c ? importedSymbol(p.c) : symbol(p.s, p.pr),
            className: className,
            iconSize: [20, 20],
            iconAnchor: [10 - o[0], 10 - o[1]]
        });
    }

    // Popups keep clear of the zoom buttons when Leaflet pans the map to show them.
    var POPUP = {maxWidth: 340, autoPanPaddingTopLeft: [10, 50]};

    // Leaflet makes markers keyboard-focusable buttons; this gives each one its feature's name
    // (as text: setAttribute never parses HTML).
    function named(marker, p) {
        var label = (p.n === undefined ? "Unnamed feature" : p.n) + ", " + (p.imp ? "imported: " + p.imp : sectorLabel(p) + ", " + statusLabel(p));
        marker.on("add", function () {
            var el = marker.getElement();
            if (el) { el.setAttribute("aria-label", label); }
        });
        return marker;
    }

    // Below this zoom a footprint (a port terminal, a plant site) is a few pixels wide, so
    // its sector symbol is also drawn at its centre; from this zoom on the outline alone.
    var FOOTPRINT_SYMBOL_MAX_ZOOM = 12;

    // Returns the GeoJSON layer itself (its sub-layers are the features, as decode.js expects);
    // the footprints' centre symbols follow it onto and off the map.
    window.atlasLayer = function (data, options) {
        var geo = L.geoJSON(data, L.extend({
            style: style,
            pointToLayer: function (f, latlng) {
                var p = f.properties;
                return named(L.marker(latlng, {icon: icon(p, p.o,
                    p.c ? "atlas-marker atlas-imported" : "atlas-marker atlas-" + p.s + " atlas-" + p.pr)}), p);
            },
            onEachFeature: function (f, layer) {
                var p = f.properties;
                layer.bindTooltip(tooltip(p), {sticky: true});
                layer.bindPopup(function () { return popup(p); }, POPUP);
                if (layer.setStyle) {
                    var base = style(f);
                    layer.on("mouseover", function () { layer.setStyle({weight: base.weight + 3, opacity: 1}); });
                    layer.on("mouseout", function () { layer.setStyle(base); });
                }
            }
        }, options || {}));
        var centres = L.layerGroup();
        geo.eachLayer(function (layer) {
            var f = layer.feature;
            if (f.geometry.type.indexOf("Polygon") < 0) { return; }
            var p = f.properties;
            var m = named(L.marker(layer.getBounds().getCenter(), {icon: icon(p, null, "atlas-footprint atlas-" + p.s)}), p);
            m.bindTooltip(tooltip(p), {sticky: true});
            m.bindPopup(function () { return popup(p); }, POPUP);
            m.atlasProperties = p;
            centres.addLayer(m);
        });
        var map = null;
        function sync() {
            if (!map) { return; }
            if (map.getZoom() < FOOTPRINT_SYMBOL_MAX_ZOOM) { centres.addTo(map); } else { centres.remove(); }
        }
        geo.on("add", function () { map = geo._map; map.on("zoomend", sync); sync(); window.atlasLinksAdded(geo); });
        geo.on("remove", function () { if (map) { map.off("zoomend", sync); } centres.remove(); map = null; });
        return geo;
    };
})();
