// The kitchen's hand-over: the courier's pickup code scanned or typed, checked by the server.
(function () {
  "use strict";
  const root = document.getElementById("pickup-page");
  const $ = (id) => document.getElementById(id);
  const say = (key, n) => (root.dataset[key] || "").replace("{n}", n);

  function alertBox(message) { $("pickup-alert").textContent = message || ""; $("pickup-alert").hidden = !message; }

  async function handOver(deliveryId, body) {
    try {
      await CE.api("/deliveries/" + deliveryId + "/pickup", { method: "POST", body });
      alertBox(null);
      CE.toast(say("done"), "ok");
      await load();
    } catch (error) {
      const problem = error.problem || {};
      if (problem.attempts_left !== undefined) alertBox(say("wrong", problem.attempts_left));
      else if (String(problem.type).endsWith("code-locked")) alertBox(say("locked"));
      else if (String(problem.type).endsWith("illegal-transition")) alertBox(say("notReady"));
      else alertBox(error.message || say("failed"));
    }
  }

  // A scanned code names its order: cesieats:pickup:<order id>:<code>.
  async function scanned(text) {
    const orderId = String(text).split(":")[2] || "";
    try {
      const delivery = await CE.api("/orders/" + orderId + "/delivery");
      await handOver(delivery.id, { qr: text });
    } catch (error) { alertBox(error.message || say("failed")); }
  }

  function row(order, delivery) {
    const item = $("pickup-row").content.firstElementChild.cloneNode(true);
    item.dataset.orderId = order.id;
    item.querySelector(".pickup-ref").textContent = order.ref + " · " + order.lines.map((l) => l.quantity + "× " + l.name).join(", ");
    item.querySelector(".pickup-status").textContent = order.status;
    item.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      handOver(delivery.id, { code: item.querySelector(".pickup-code").value });
    });
    return item;
  }

  async function load() {
    const page = await CE.api("/orders?status=accepted,preparing,ready&limit=50");
    const coming = page.items.filter((order) => order.courier_id);
    const deliveries = await Promise.all(coming.map((order) => CE.api("/orders/" + order.id + "/delivery").catch(() => null)));
    const rows = coming.map((order, i) => deliveries[i] && deliveries[i].status === "assigned" ? row(order, deliveries[i]) : null).filter(Boolean);
    // a live update re-draws the list: a code being typed must survive it
    const typed = {};
    $("pickup-list").querySelectorAll("[data-order-id]").forEach((el) => { typed[el.dataset.orderId] = el.querySelector(".pickup-code").value; });
    rows.forEach((el) => { if (typed[el.dataset.orderId]) el.querySelector(".pickup-code").value = typed[el.dataset.orderId]; });
    $("pickup-list").replaceChildren(...rows);
    $("pickup-empty").hidden = rows.length > 0;
  }

  $("pickup-scan").addEventListener("click", async () => {
    if (CE.qrCamera.active()) { CE.qrCamera.stop(); return; }
    try { await CE.qrCamera.start($("pickup-video"), scanned); } catch (error) { alertBox(say("noCamera")); }
  });

  if (!CE.tokens.access) { alertBox(say("signIn")); return; }
  load().catch((error) => alertBox(error.status === 403 ? say("signIn") : error.message));
  // The restaurants' rooms, heard on CE.live (the page's one socket); after a reconnection the
  // list is read again, as changes may have been missed meanwhile.
  if (CE.live) {
    const reload = () => load().catch(() => null);
    CE.live.on("delivery.updated", reload);
    CE.live.on("order.updated", reload);
    CE.live.on("live.connected", reload);
  }
})();
