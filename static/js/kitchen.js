// The kitchen screen: live orders of the owner's restaurants, a beep for each new one, the
// kitchen's decisions, ages and deadlines; it reloads what it holds after every reconnection.
(function () {
  "use strict";
  const { t, el, clock, lineItem, showAlert } = CE.orders;
  const ACTIVE = ["placed", "accepted", "preparing", "ready"];
  const alertBox = document.getElementById("kitchen-alert");
  const orders = new Map();
  let audio = null;

  function beep() {
    if (!audio) return;
    const tone = audio.createOscillator(), gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  }

  // Browsers only let a page make sound after the person touched it.
  function enableSound() {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    audio.resume();
    const button = document.getElementById("sound-toggle");
    button.setAttribute("aria-pressed", "true");
    button.hidden = true;
  }

  const minutesSince = (iso) => Math.max(0, Math.floor((Date.now() - new Date(iso)) / 60000));
  function countdown(iso) {
    const left = Math.max(0, Math.round((new Date(iso) - Date.now()) / 1000));
    return Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }

  function decisions(order) {
    const act = (action, body) => () => send(order, action, body());
    if (order.status === "placed") {
      const minutes = el("input", { type: "number", min: 1, max: 180, value: 15, class: "prep-input", "aria-label": t("prepMinutes") });
      const reason = el("input", { type: "text", maxlength: 500, class: "reason-input", placeholder: t("reason"), "aria-label": t("reason") });
      return [el("div", { class: "row" }, minutes, el("button", { type: "button", class: "btn btn-primary", text: t("accept"),
        onclick: act("accept", () => ({ prep_minutes: Number(minutes.value) })) })),
      el("div", { class: "row" }, reason, el("button", { type: "button", class: "btn btn-danger", text: t("refuse"),
        onclick: act("refuse", () => ({ reason: reason.value })) }))];
    }
    const next = { accepted: ["start_preparing", "preparing"], preparing: ["mark_ready", "ready"] }[order.status];
    return next ? [el("button", { type: "button", class: "btn btn-primary", text: t(next[0]), onclick: act(next[1], () => ({})) })] : [];
  }

  function card(order) {
    return el("article", { class: "card kitchen-order", "data-order-id": order.id, "data-status": order.status },
      el("header", { class: "row" }, el("strong", { class: "order-ref", text: order.ref }),
        el("span", { class: "muted", text: order.restaurant.name }),
        el("span", { class: "order-age", "data-since": order.placed_at }),
        order.status === "placed" ? el("span", { class: "badge badge-warn order-deadline", "data-until": order.deadline_at }) : null,
        order.ready_eta ? el("span", { class: "badge", text: t("readyAround", { time: clock(order.ready_eta) }) }) : null),
      el("ul", { class: "cart-lines" }, order.lines.map(lineItem)),
      order.note ? el("p", { class: "order-note", text: order.note }) : null,
      el("div", { class: "stack" }, decisions(order)));
  }

  function render() {
    ACTIVE.forEach((status) => {
      const list = [...orders.values()].filter((o) => o.status === status)
        .sort((a, b) => new Date(a.placed_at) - new Date(b.placed_at));
      document.getElementById("orders-" + status).replaceChildren(...list.map(card));
    });
    document.getElementById("kitchen-empty").hidden = orders.size > 0;
    tick();
  }

  function tick() {
    document.querySelectorAll("[data-since]").forEach((item) => { item.textContent = t("minutesAgo", { n: minutesSince(item.dataset.since) }); });
    document.querySelectorAll("[data-until]").forEach((item) => { item.textContent = t("deadlineIn", { time: countdown(item.dataset.until) }); });
  }

  function upsert(order) {
    if (ACTIVE.includes(order.status)) orders.set(order.id, order);
    else orders.delete(order.id);
    render();
  }

  async function send(order, action, body) {
    try {
      upsert(await CE.api("/orders/" + order.id + "/" + action, { method: "POST", body }));
      showAlert(alertBox, null);
    } catch (error) {
      showAlert(alertBox, error);
      if (error.status === 409) refresh(order.id);
    }
  }

  async function refresh(orderId) {
    try { upsert(await CE.api("/orders/" + orderId)); } catch (error) { showAlert(alertBox, error); }
  }

  async function loadAll() {
    try {
      const found = await CE.api("/orders?limit=100&status=" + ACTIVE.join(","));
      orders.clear();
      found.items.forEach((order) => orders.set(order.id, order));
      render();
      showAlert(alertBox, null);
    } catch (error) { showAlert(alertBox, error); }
  }

  // The restaurant's room: order.created for a new order (with a beep; the notification
  // centre shows its pop-up), order.updated for any later change of its orders.
  function onEvent(payload) {
    if (!payload || payload.aggregate !== "order" || !payload.id) return;
    const known = orders.get(payload.id);
    if (known && payload.seq <= known.seq) return;
    if (payload.type === "order.created") beep();
    refresh(payload.id);
  }

  document.getElementById("sound-toggle").addEventListener("click", enableSound);
  document.addEventListener("click", () => { if (!audio) enableSound(); }, { once: true });
  setInterval(tick, 1000);
  const live = CE.orders.connect({ on: { "order.created": onEvent, "order.updated": onEvent },
    onState: CE.orders.liveMarker(document.getElementById("live-state")), onResume: loadAll });
  if (!live) loadAll();
})();
