// Shared by the order pages: texts, money, lines and price breakdowns, the live feed.
(function () {
  "use strict";
  const node = document.getElementById("page-messages");
  const texts = node ? JSON.parse(node.textContent) : {};
  const locale = CE.lang === "en" ? "en-GB" : "fr-FR";
  const money = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" });

  function t(key, values) {
    let text = texts[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => { text = text.replace("{" + name + "}", value); });
    return text;
  }

  function el(tag, attrs, ...children) {
    const item = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value === false || value == null) return;
      if (name === "class") item.className = value;
      else if (name === "text") item.textContent = value;
      else if (name.startsWith("on")) item.addEventListener(name.slice(2), value);
      else item.setAttribute(name, value === true ? "" : value);
    });
    children.flat().forEach((child) => child != null && item.append(child));
    return item;
  }

  const euros = (cents) => money.format(cents / 100);
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

  // Live order events. `onEvent(payload)` gets {seq, type, data, at, id}; `onState(up)` says
  // whether the socket is connected; `onResume()` runs after every (re)connection.
  function connect(handlers) {
    if (window.CE.live && window.CE.live.connect) return window.CE.live.connect(handlers);
    if (typeof io !== "function" || !CE.tokens.access) return null;
    const socket = io({ transports: ["websocket", "polling"], auth: (cb) => cb({ token: CE.tokens.access }) });
    const deliver = (payload) => handlers.onEvent && handlers.onEvent(payload);
    socket.on("order.updated", deliver);
    socket.on("order.created", deliver);
    socket.on("notification", (note) => note && CE.toast(note.title + " — " + note.body));
    socket.on("connect", () => { handlers.onState && handlers.onState(true); handlers.onResume && handlers.onResume(socket); });
    socket.on("disconnect", () => handlers.onState && handlers.onState(false));
    CE.orders.socket = socket;  // one per page: the tests drop its transport to simulate a network cut
    socket.on("connect_error", async (error) => {
      handlers.onState && handlers.onState(false);
      // A refusal by the server is not retried by the client: refresh an expired access token
      // through the API client (it knows how), then connect again.
      if (error && error.message && error.message.startsWith("token")) {
        await CE.api("/me").catch(() => null);
        setTimeout(() => socket.connected || socket.connect(), 1000);
      }
    });
    return socket;
  }

  CE.orders = { t, el, euros, clock, dateTime, statusLabel, lineItem, breakdown, explain, showAlert, connect, texts };
})();
