// A small Leaflet map for deliveries: the restaurant, the customer and the courier moving.
// Tiles come from window.CE_MAP (served by /courier/map-config.js, set by the TILE_URL setting).
(function () {
  "use strict";

  function pin(kind) {
    const size = kind === "courier" ? 26 : 20;
    return L.divIcon({ className: "map-pin map-pin-" + kind, iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
  }

  function create(element) {
    const config = window.CE_MAP || { tileUrl: "/static/img/map-tile.png", credit: "" };
    const map = L.map(element, { zoomControl: true, attributionControl: !!config.credit });
    L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.credit }).addTo(map);
    map.setView([48.8566, 2.3522], 14);
    const marks = {};

    function place(kind, position) {
      if (!position) return;
      const at = [position.lat, position.lng];
      if (marks[kind]) marks[kind].setLatLng(at);
      else marks[kind] = L.marker(at, { icon: pin(kind), title: (config.labels || {})[kind] || kind, keyboard: false }).addTo(map);
      element.dataset[kind] = at[0].toFixed(6) + "," + at[1].toFixed(6);
    }

    function remove(kind) {
      if (marks[kind]) { marks[kind].remove(); delete marks[kind]; delete element.dataset[kind]; }
    }

    function fit() {
      const points = Object.values(marks).map((m) => m.getLatLng());
      if (points.length === 1) map.setView(points[0], 15);
      else if (points.length > 1) map.fitBounds(L.latLngBounds(points).pad(0.25));
    }

    return { map, place, remove, fit, refresh: () => map.invalidateSize() };
  }

  window.CE = window.CE || {};
  CE.courierMap = { create };
})();
