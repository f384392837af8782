// The order page's courier map: the courier's marker moves as `courier.location` arrives,
// with the ETA; the delivery code for the courier is shown to the customer. It follows the
// order through CE.live, the page's one socket.
(function () {
  "use strict";
  const root = document.getElementById("order-tracking");
  if (!root) return;
  const orderId = root.dataset.orderId;
  const $ = (id) => document.getElementById(id);
  const ON_THE_WAY = ["accepted", "preparing", "ready", "picked_up"];
  const OVER = ["delivered", "refused", "cancelled"];
  const locale = (window.CE && CE.lang === "en") ? "en-GB" : "fr-FR";
  let map = null, shownCode = false, leave = [];

  function fill(template, values) {
    return Object.entries(values).reduce((text, [k, v]) => text.replace("{" + k + "}", v), template);
  }

  async function ensureMap() {
    if (map) return map;
    $("tracking-card").hidden = false;
    map = CE.courierMap.create($("tracking-map"));
    const delivery = await CE.api("/orders/" + orderId + "/delivery").catch(() => null);
    if (delivery) map.place("restaurant", delivery.restaurant.position);
    const order = await CE.api("/orders/" + orderId).catch(() => null);
    if (order && order.delivery.position) map.place("customer", order.delivery.position);
    map.refresh();
    return map;
  }

  async function showCourier(where) {
    const shown = await ensureMap();
    const first = !root.dataset.courier;
    shown.place("courier", where);
    root.dataset.courier = where.lat.toFixed(6) + "," + where.lng.toFixed(6);
    if (first) shown.fit();
    const eta = $("tracking-eta");
    $("tracking-title").textContent = where.phase === "to_restaurant" ? root.dataset.toRestaurant : root.dataset.heading;
    if (where.eta) {
      const time = new Date(where.eta.arrives_at).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
      eta.textContent = fill(root.dataset.eta, { time, min: Math.max(1, Math.round(where.eta.to_customer_s / 60)) });
    }
  }

  function stop() {
    $("tracking-card").hidden = true;
    $("delivery-code-card").hidden = true;
    leave.forEach((off) => off());
    leave = [];
  }

  async function showCode() {
    if (shownCode) return;
    const code = await CE.api("/orders/" + orderId + "/delivery-code").catch(() => null);
    if (!code) return;
    shownCode = true;
    $("delivery-code").textContent = code.code;
    $("delivery-qr").innerHTML = code.qr_svg;  // SVG drawn by our server from the digits alone
    $("delivery-code-card").hidden = false;
  }

  // The order's stream (shared with the order page's timeline) brings its status changes in
  // order; positions and the delivery's steps arrive in the order's room beside it.
  function follow(order) {
    leave = [
      CE.live.subscribe("order", orderId, (payload) => {
        const status = payload && payload.data && payload.data.status;
        if (OVER.includes(status)) stop();
        else if (ON_THE_WAY.includes(status)) showCode();
      }, order.seq),
      CE.live.on("courier.location", (payload) => payload.data.order_id === orderId && showCourier(payload.data)),
      CE.live.on("delivery.updated", (payload) => {
        if (!payload.data || payload.data.order_id !== orderId) return;
        if (payload.data.status === "delivered") stop();
        else showCode();
      }),
    ];
  }

  async function start() {
    if (!window.CE || !CE.tokens.access || !CE.live || !CE.live.socket) return;
    const order = await CE.api("/orders/" + orderId).catch(() => null);
    if (!order || OVER.includes(order.status)) return;
    if (ON_THE_WAY.includes(order.status)) showCode();
    const where = await CE.api("/orders/" + orderId + "/tracking").catch(() => null);
    if (where) showCourier(where);
    follow(order);
  }

  start();
})();
