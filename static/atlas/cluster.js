/* CPEC Atlas point clouds: big point layers clustered in the browser and drawn on canvas.
 *
 * A layer of thousands of points (an imported file of up to 50,000) is indexed once with
 * supercluster; on every move only what is in view is drawn: clusters as small labelled
 * markers (their count), single points as circles on one shared canvas. Clicking a cluster
 * zooms to where it splits; a point has the atlas' escaped tooltip and popup.
 * Performance marks: atlas-cloud-indexed, atlas-cloud-drawn (first draw) and
 * atlas-cloud-redrawn (every later draw); the measure atlas-cloud-first-paint spans from the
 * layer's data reaching the map's script to the first frame painted with it.
 */
(function () {
    "use strict";
    var RADIUS = 60;      // cluster radius in screen pixels
    var MIN_ZOOM = 3;     // the atlas' maps zoom out no further
    var MAX_ZOOM = 12;    // above this zoom every point is drawn on its own
    var MIXED = "#555555";
    var PANE = "atlas-clouds";
    var clouds = [];

    function mark(name) {
        if (window.performance && performance.mark) { performance.mark(name); }
    }

    var colourCache = {};
    function colourOf(p) {  // the style's fill colour, worked out once per colour/sector/precision
        var key = (p.c || "") + "|" + (p.s || "") + "|" + (p.pr || "");
        if (!(key in colourCache)) {
            colourCache[key] = window.atlasStyle({properties: p, geometry: {type: "Point"}}).fillColor;
        }
        return colourCache[key];
    }

    function clusterIcon(count, colour) {
        var size = count < 100 ? 30 : count < 1000 ? 36 : count < 10000 ? 42 : 48;
        var label = count < 1000 ? String(count) : count < 10000 ? (count / 1000).toFixed(1) + "k" : Math.round(count / 1000) + "k";
        return L.divIcon({
            html: '<div style="background:' + colour + '"><span>' + label + "</span></div>",
            className: "atlas-cluster",
            iconSize: [size, size]
        });
    }

    var PointCloud = L.Layer.extend({
        initialize: function (features, received) {
            this._received = received;
            this._features = features;
            this._group = L.layerGroup();
            this.drawn = {clusters: 0, points: 0, features: features.length, draws: 0};
        },

        _build: function () {
            if (this._index) { return; }
            var colours = this._features.map(function (f) { return colourOf(f.properties); });
            // one colour for the clusters: the layer's, or grey when its points differ (reconciliation);
            // no per-cluster map/reduce, which would double the indexing time
            this._clusterColour = colours.every(function (c) { return c === colours[0]; }) ? colours[0] : MIXED;
            this._index = new window.Supercluster({
                radius: RADIUS,
                minZoom: MIN_ZOOM,
                maxZoom: MAX_ZOOM
            }).load(this._features.map(function (f, i) {
                return {type: "Feature", properties: {i: i}, geometry: f.geometry};
            }));
            this._colours = colours;
            mark("atlas-cloud-indexed");
        },

        onAdd: function (map) {
            this._build();
            if (!map.getPane(PANE)) {  // below the atlas' own symbols, above lines and polygons
                map.createPane(PANE).style.zIndex = 450;
            }
            this._renderer = this._renderer || L.canvas({padding: 0.2, pane: PANE});
            this._group.addTo(map);
            map.on("moveend", this._redraw, this);
            this._redraw();
            clouds.push(this);
        },

        onRemove: function (map) {
            map.off("moveend", this._redraw, this);
            this._group.remove();
            clouds = clouds.filter(function (c) { return c !== this; }, this);
        },

        getBounds: function () {
            if (!this._bounds) {
                this._bounds = L.latLngBounds(this._features.map(function (f) {
                    return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
                }));
            }
            return this._bounds;
        },

        _point: function (f, colour) {
            var p = f.properties, s = window.atlasStyle(f);
            var circle = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
                renderer: this._renderer, pane: PANE, radius: 5, color: "#ffffff", weight: 1.2, opacity: s.opacity,
                fillColor: colour, fillOpacity: 0.85 * (s.opacity / 0.9), dashArray: s.dashArray
            });
            circle.bindTooltip(function () { return window.atlasTooltip(p); }, {sticky: true});
            circle.bindPopup(function () { return window.atlasPopup(p); }, {maxWidth: 340});
            return circle;
        },

        _redraw: function () {
            var map = this._map;
            if (!map) { return; }
            var b = map.getBounds(), zoom = Math.round(map.getZoom()), self = this, index = this._index;
            var bbox = [Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()),
                        Math.min(180, b.getEast()), Math.min(85, b.getNorth())];
            var items = index.getClusters(bbox, zoom), layers = [], clusters = 0, points = 0, inView = 0;
            items.forEach(function (item) {
                var ll = [item.geometry.coordinates[1], item.geometry.coordinates[0]];
                if (item.properties.cluster) {
                    clusters++;
                    inView += item.properties.point_count;
                    var id = item.properties.cluster_id;
                    var marker = L.marker(ll, {
                        icon: clusterIcon(item.properties.point_count, self._clusterColour), pane: PANE
                    });
                    marker.on("click", function () { map.setView(ll, Math.min(index.getClusterExpansionZoom(id), 18)); });
                    layers.push(marker);
                } else {
                    points++;
                    inView++;
                    var i = item.properties.i;
                    layers.push(self._point(self._features[i], self._colours[i]));
                }
            });
            this._group.clearLayers();
            layers.forEach(function (l) { self._group.addLayer(l); });
            this.drawn = {
                clusters: clusters, points: points, inView: inView, features: this._features.length,
                draws: this.drawn.draws + 1
            };
            var container = map.getContainer();
            container.setAttribute("data-atlas-clusters", String(clusters));
            container.setAttribute("data-atlas-points", String(points));
            mark(this.drawn.draws === 1 ? "atlas-cloud-drawn" : "atlas-cloud-redrawn");
            if (this.drawn.draws === 1 && this._received !== undefined && window.requestAnimationFrame) {
                var start = this._received;
                requestAnimationFrame(function () {
                    setTimeout(function () {  // after the frame with the points has been painted
                        if (performance.measure) {
                            performance.measure("atlas-cloud-first-paint", {start: start, end: performance.now()});
                        }
                    }, 0);
                });
            }
        }
    });

    window.atlasPointCloud = function (features, received) { return new PointCloud(features, received); };
    /* What the point clouds on the page draw now: clusters, single points, features held. */
    window.atlasCloudStats = function () {
        return clouds.reduce(function (acc, c) {
            acc.clusters += c.drawn.clusters; acc.points += c.drawn.points; acc.features += c.drawn.features;
            acc.inView += c.drawn.inView || 0; acc.draws += c.drawn.draws;
            return acc;
        }, {clusters: 0, points: 0, inView: 0, features: 0, draws: 0, clouds: clouds.length});
    };
})();
