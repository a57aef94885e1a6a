/* CPEC Atlas map links: the map's position and the open feature, kept in the page's address.
 *
 * The map runs in the streamlit-folium component's iframe, which is served by the app itself
 * (same origin), so it can rewrite the app page's address with history.replaceState: no
 * message reaches the server and the app does not rerun as the reader pans. Streamlit rewrites
 * the address from its own copy when a widget changes, so the map puts view= and feature= back
 * (on every move, popup and a short poll). Only active in the app (atlasSetup gets `links`);
 * an exported HTML file has no app address to write to.
 */
(function () {
    "use strict";
    var T = null;           // the English strings of components/links.py (POPUP_TEXT)
    var map = null;
    var state = {view: null, feature: null};
    var path = null;        // the app page this map belongs to: never write onto another page
    var explicitView = false;
    var opened = false;

    function host() {
        try {
            var w = window.parent;
            if (w === window) { return null; }
            void w.location.href;  // throws when the parent is not the same origin
            return w;
        } catch (e) {
            return null;
        }
    }

    function viewOf(m) {
        var c = m.getCenter();
        return c.lat.toFixed(4) + "," + c.lng.toFixed(4) + "," + m.getZoom();
    }

    function query(search) {
        return new URLSearchParams(search).toString().replace(/%2C/g, ",");
    }

    function withLink(search, feature) {
        var q = new URLSearchParams(search);
        if (state.view) { q.set("view", state.view); }
        if (feature) { q.set("feature", feature); } else { q.delete("feature"); }
        return q.toString().replace(/%2C/g, ",");
    }

    function sync() {
        var w = host();
        if (!w || w.location.pathname !== path) { return; }
        var before = query(w.location.search), after = withLink(w.location.search, state.feature);
        if (after !== before) {
            w.history.replaceState(w.history.state, "", w.location.pathname + (after ? "?" + after : "") + w.location.hash);
        }
    }

    /** The page's address as it stands (filters included), on this map's view, with feature=id. */
    function linkTo(id) {
        var w = host(), q = new URLSearchParams(withLink(w.location.search, id));
        q.set("view", viewOf(map));
        return w.location.origin + w.location.pathname + "?" + q.toString().replace(/%2C/g, ",");
    }

    function featureId(layer) {
        var p = layer && (layer.atlasProperties || (layer.feature && layer.feature.properties));
        return p && p.id && !p.imp ? String(p.id) : null;
    }

    function copy(box, id) {
        var url = linkTo(id);
        var input = box.querySelector("input"), status = box.querySelector(".atlas-copy-status");
        input.value = url;
        input.hidden = false;
        function fallback() {
            status.textContent = T.copy_fallback;
            input.focus();
            input.select();
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(url).then(function () { status.textContent = T.copied; }, fallback);
        } else {
            fallback();
        }
    }

    function onOpen(e) {
        var id = featureId(e.popup._source);
        if (!id) { return; }
        state.feature = id;
        sync();
        var box = e.popup.getElement() && e.popup.getElement().querySelector(".atlas-share");
        if (box) {
            box.querySelector("button").addEventListener("click", function () { copy(box, id); });
        }
    }

    function onClose(e) {
        var source = e.popup._source;
        // a popup also closes when the filters swap the layers (its layer is already off the
        // map then): the reader did not close it
        if (source && map.hasLayer(source) && featureId(source) === state.feature) {
            state.feature = null;
            sync();
        }
    }

    /** The "copy link" part of a popup (empty outside the app and for imported features). */
    window.atlasShareHtml = function (p, esc) {
        if (!T || !p.id || p.imp) { return ""; }
        return '<p class="atlas-share"><button type="button" class="atlas-copy">' + esc(T.copy) + "</button>" +
            ' <span class="atlas-copy-status" role="status"></span>' +
            '<input class="atlas-copy-url" type="text" readonly hidden aria-label="' + esc(T.copy) + '"></p>';
    };

    /** Called with the app's map: reads the address once and starts keeping it. */
    window.atlasLinksInit = function (m, text) {
        var w = host();
        if (!text || !w) { return; }
        T = text;
        map = m;
        path = w.location.pathname;
        var q = new URLSearchParams(w.location.search);
        state.feature = q.get("feature");
        explicitView = q.has("view");
        map.on("moveend", function () { state.view = viewOf(map); sync(); });
        map.on("popupopen", onOpen);
        map.on("popupclose", onClose);
        window.setInterval(sync, 400);
    };

    // Streamlit sizes the component's frame and loads the stylesheets after the map is made; a
    // popup laid out before then measures itself as wide as the map and is placed off its anchor.
    function ready() {
        var box = map.getContainer(), pane = box.querySelector(".leaflet-pane");
        return box.clientWidth > 150 && box.clientHeight > 150 && document.readyState === "complete" &&
            pane && window.getComputedStyle(pane).position === "absolute";
    }

    function whenSized(fn, tries) {
        if (ready() || tries > 100) {
            map.invalidateSize({pan: false});
            fn();
        } else {
            window.setTimeout(function () { whenSized(fn, (tries || 0) + 1); }, 100);
        }
    }

    /** Called when a layer of features is added: opens the popup of the linked feature. */
    window.atlasLinksAdded = function (geo) {
        if (!map || !state.feature) { return; }
        whenSized(function () { openLinked(geo); });
    };

    function openLinked(geo) {
        if (!geo._map) { return; }  // swapped out again meanwhile
        geo.eachLayer(function (layer) {
            if (featureId(layer) !== state.feature || !layer.getPopup()) { return; }
            var popup = layer.getPopup(), pan = popup.options.autoPan;
            // the first time, a link without view= lets the popup pan into sight; afterwards
            // (the filters swapped the layers) the map stays where the reader left it
            popup.options.autoPan = !opened && !explicitView;
            layer.openPopup();
            popup.options.autoPan = pan;
            opened = true;
        });
    }
})();
