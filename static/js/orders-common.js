// Shared by the order pages: texts, money, lines and price breakdowns, the live feed.
(function () {
  "use strict";
  const { texts, locale, t, el, euros } = CE.page;
  const clock = (iso) => new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  const dateTime = (iso) => new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
  const statusLabel = (status) => (texts.status || {})[status] || status;

  function lineItem(line) {
    const extras = (line.options || []).map((o) => o.name).concat((line.choices || []).map((c) => c.name));
    return el("li", { class: "cart-line" },
      el("span", { class: "cart-qty", text: line.quantity + " ×" }),
      el("span", { class: "cart-name" }, line.name, extras.length ? el("small", { class: "muted", text: " " + extras.join(", ") }) : null),
      el("span", { class: "cart-amount", text: euros(line.total_cents) }));
  }

  function breakdown(list, price) {
    const rows = [["items", price.items_cents], ["delivery", price.delivery_fee_cents], ["service", price.service_fee_cents]];
    if (price.credit_cents) rows.push(["credit", -price.credit_cents]);
    rows.push(["total", price.total_cents]);
    list.replaceChildren(...rows.flatMap(([key, cents]) => [
      el("dt", { class: key === "total" ? "price-total" : null, text: t(key) }),
      el("dd", { class: key === "total" ? "price-total" : null, text: euros(cents) })]));
  }

  function explain(error) {
    if (error && error.status === 401) return t("signInFirst");
    if (error && error.problem && error.problem.errors && error.problem.errors.length) {
      return error.problem.detail + " — " + error.problem.errors.map((e) => e.field + ": " + e.message).join("; ");
    }
    return (error && error.message) || t("failed");
  }

  function showAlert(box, error) {
    if (!box) return;
    box.textContent = error ? explain(error) : "";
    box.hidden = !error;
  }

  // The page's live connection (CE.live, from live.js): `onState(up)` hears whether it is
  // connected, `onResume()` runs after every (re)connection, `on` maps socket events to handlers.
  // Returns CE.live, or null when the page has no live connection (signed out).
  function connect(handlers) {
    const live = window.CE.live;
    if (!live || !live.socket) return null;
    Object.entries(handlers.on || {}).forEach(([name, fn]) => live.on(name, fn));
    if (handlers.onState) live.onState(handlers.onState);
    if (handlers.onResume) {
      live.on("live.connected", handlers.onResume);
      if (live.socket.connected) handlers.onResume();
    }
    return live;
  }

  // The "live" marker: nothing until first connected, then live or reconnecting.
  function liveMarker(dot) {
    let seen = false;
    return (up) => {
      seen = seen || up;
      dot.hidden = !seen;
      dot.classList.toggle("live-off", !up);
      dot.textContent = up ? t("online") : t("offline");
    };
  }

  CE.orders = { t, el, euros, clock, dateTime, statusLabel, lineItem, breakdown, explain, showAlert, connect, liveMarker, texts };
})();
