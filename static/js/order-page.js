// One order, followed live: its status timeline, its preparation ETA, cancelling, rating.
(function () {
  "use strict";
  const { t, el, clock, dateTime, statusLabel, lineItem, breakdown, showAlert } = CE.orders;
  const root = document.getElementById("order-page");
  const orderId = root.dataset.orderId;
  const alertBox = document.getElementById("order-alert");
  const HAPPY_PATH = ["placed", "accepted", "preparing", "ready", "picked_up", "delivered"];
  const BADGES = { refused: "badge-danger", cancelled: "badge-danger", placed: "badge-warn" };
  let order = null;

  function renderTimeline(view) {
    const reached = Object.fromEntries(view.timeline.map((step) => [step.status, step.at]));
    const exit = view.timeline.find((step) => step.status === "refused" || step.status === "cancelled");
    const shown = exit ? view.timeline.map((step) => step.status) : HAPPY_PATH;
    document.getElementById("timeline").replaceChildren(...shown.map((status) => el("li", {
      class: "timeline-step" + (reached[status] ? " done" : "") + (status === view.status ? " current" : ""),
      "data-status": status, "aria-current": status === view.status ? "step" : null },
      el("span", { class: "timeline-label", text: statusLabel(status) }),
      reached[status] ? el("time", { datetime: reached[status], text: clock(reached[status]) }) : null)));
  }

  function render(view) {
    order = view;
    document.getElementById("order-ref").textContent = view.ref;
    const status = document.getElementById("order-status");
    status.textContent = statusLabel(view.status);
    status.className = "badge " + (BADGES[view.status] || "");
    status.dataset.status = view.status;
    document.getElementById("order-restaurant").textContent = view.restaurant.name + " · " + dateTime(view.placed_at);
    renderTimeline(view);
    const eta = document.getElementById("order-eta");
    eta.hidden = !view.ready_eta || ["delivered", "refused", "cancelled", "picked_up"].includes(view.status);
    if (view.ready_eta) eta.textContent = t("readyAround", { time: clock(view.ready_eta) });
    const reason = document.getElementById("order-reason");
    reason.hidden = !view.reason;
    reason.textContent = view.reason || "";
    document.getElementById("cancel-order").hidden = !view.actions.includes("cancel");
    document.getElementById("order-lines").replaceChildren(...view.lines.map(lineItem));
    breakdown(document.getElementById("order-price"), view);
    document.getElementById("order-delivery").textContent = view.delivery.address + (view.note ? " — " + view.note : "");
    renderRating(view);
  }

  function renderRating(view) {
    const form = document.getElementById("rating-form");
    const given = document.getElementById("rating-given");
    form.hidden = view.status !== "delivered" || !!view.rating;
    document.getElementById("rate-courier-field").hidden = !view.courier_id;
    given.hidden = !view.rating;
    if (view.rating) given.textContent = "★ " + view.rating.restaurant_score + "/5" + (view.rating.comment ? " — " + view.rating.comment : "");
  }

  async function reload() {
    try {
      render(await CE.api("/orders/" + orderId));
      showAlert(alertBox, null);
    } catch (error) {
      showAlert(alertBox, error.status === 404 ? { message: t("notFound") } : error);
    }
  }

  // Each event comes once and in order (live.js resumes from the last seq after a cut);
  // the order is read again, so the page shows exactly what the server holds.
  function onEvent(payload, refusal) {
    if (refusal) return showAlert(alertBox, { message: refusal.detail || refusal.error });
    if (payload && order && payload.seq > order.seq) reload();
  }

  document.getElementById("cancel-order").addEventListener("click", async () => {
    try {
      render(await CE.api("/orders/" + orderId + "/cancel", { method: "POST", body: {} }));
      CE.toast(t("cancelled"), "ok");
    } catch (error) { showAlert(alertBox, error); }
  });

  document.getElementById("rating-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { restaurant_score: Number(document.getElementById("rate-restaurant").value),
      comment: document.getElementById("rate-comment").value };
    if (order.courier_id) body.courier_score = Number(document.getElementById("rate-courier").value);
    try {
      await CE.api("/orders/" + orderId + "/rating", { method: "POST", body });
      CE.toast(t("rated"), "ok");
      reload();
    } catch (error) { showAlert(alertBox, error); }
  });

  reload().then(() => {
    const marker = CE.orders.liveMarker(document.getElementById("live-state"));
    if (order && CE.orders.connect({ onState: marker })) CE.live.subscribe("order", orderId, onEvent, order.seq);
  });
})();
