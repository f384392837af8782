// Developer portal, webhooks: subscribe a URL (secret shown once), pause, rotate, delete,
// and the delivery log with its attempts and a redeliver button, refreshed while open.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const texts = $("webhook-messages").dataset;
  const when = (iso) => (iso ? new Date(iso).toLocaleString(CE.lang) : "—");
  const log = { endpoint: null, cursor: null, timer: null, extended: false };
  const REFRESH_MS = 3000;

  function state(hook) {
    if (hook.failing_since) return texts.failing + " " + when(hook.failing_since);
    return hook.active ? texts.active : texts.paused;
  }

  function renderEndpoints(hooks) {
    $("webhook-rows").replaceChildren(...hooks.map((hook) => {
      const row = $("webhook-row").content.firstElementChild.cloneNode(true);
      row.dataset.webhookId = hook.id;
      const field = (name) => row.querySelector(`[data-field="${name}"]`);
      field("url").textContent = hook.url;
      field("description").textContent = hook.description;
      field("events").textContent = hook.events.join(", ");
      field("state").textContent = state(hook);
      field("created_at").textContent = when(hook.created_at);
      const toggle = row.querySelector('[data-action="toggle"]');
      toggle.textContent = hook.active ? texts.pause : texts.resume;
      toggle.addEventListener("click", () => change(hook, { active: !hook.active }));
      row.querySelector('[data-action="rotate"]').addEventListener("click", () => rotate(hook));
      row.querySelector('[data-action="delete"]').addEventListener("click", () => remove(hook));
      row.querySelector('[data-action="log"]').addEventListener("click", () => openLog(hook));
      return row;
    }));
    $("webhooks-table").hidden = hooks.length === 0;
    $("no-webhooks").hidden = hooks.length > 0;
  }

  async function loadEndpoints() {
    try {
      renderEndpoints(await CE.api("/webhooks"));
      $("webhooks").hidden = false;
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) CE.toast(error.message, "error");
    }
  }

  async function create(event) {
    event.preventDefault();
    const form = event.target, error = $("new-webhook-error");
    const events = [...form.querySelectorAll('input[name="events"]:checked')].map((box) => box.value);
    error.hidden = true;
    if (events.length === 0) { error.textContent = texts.pickEvent; error.hidden = false; return; }
    try {
      const created = await CE.api("/webhooks", { method: "POST",
        body: { url: form.elements.url.value, description: form.elements.description.value, events } });
      showSecret(created.secret);
      form.elements.url.value = form.elements.description.value = "";
      await loadEndpoints();
    } catch (problem) {
      error.textContent = problem.message;
      error.hidden = false;
    }
  }

  function showSecret(secret) {
    $("webhook-secret-value").textContent = secret;
    $("webhook-secret").hidden = false;
  }

  async function change(hook, body) {
    try {
      const changed = await CE.api("/webhooks/" + hook.id, { method: "PATCH", body });
      if (changed.secret) showSecret(changed.secret);
      await loadEndpoints();
    } catch (error) { CE.toast(error.message, "error"); }
  }

  function rotate(hook) { if (window.confirm(texts.confirmRotate)) change(hook, { rotate_secret: true }); }

  async function remove(hook) {
    if (!window.confirm(texts.confirmDelete)) return;
    try {
      await CE.api("/webhooks/" + hook.id, { method: "DELETE" });
      if (log.endpoint && log.endpoint.id === hook.id) closeLog();
      CE.toast(texts.deleted, "ok");
      await loadEndpoints();
    } catch (error) { CE.toast(error.message, "error"); }
  }

  $("new-webhook-form").addEventListener("submit", create);
  $("copy-webhook-secret").addEventListener("click", async () => {
    await navigator.clipboard.writeText($("webhook-secret-value").textContent);
    CE.toast(texts.copied, "ok");
  });
  if (CE.tokens.access) loadEndpoints();

  // --- the delivery log ---------------------------------------------------------------
  function lastAnswer(delivery) {
    const last = delivery.attempt_log[delivery.attempt_log.length - 1];
    if (!last) return { text: "—", title: "" };
    const outcome = { interrupted: texts.interrupted, in_flight: texts.inFlight }[last.outcome];
    const text = outcome || (last.status_code !== null ? "HTTP " + last.status_code : last.error);
    return { text, title: last.response_excerpt || last.error || "", duration: last.duration_ms };
  }

  function deliveryRow(delivery) {
    const row = document.createElement("tr");
    row.dataset.deliveryId = delivery.id;
    const answer = lastAnswer(delivery);
    const status = { delivered: texts.delivered, pending: texts.pending, given_up: texts.givenUp }[delivery.status];
    const cells = [delivery.event_type, delivery.order_id.slice(0, 8).toUpperCase(), status,
      String(delivery.attempts), answer.text, answer.duration == null ? "—" : answer.duration + " ms",
      delivery.status === "pending" ? when(delivery.next_attempt_at) : "—"];
    for (const value of cells) {
      const cell = document.createElement("td");
      cell.textContent = value;
      row.appendChild(cell);
    }
    row.children[4].title = answer.title;
    const button = document.createElement("button");
    button.className = "btn";
    button.type = "button";
    button.textContent = texts.redeliver;
    button.addEventListener("click", () => redeliver(delivery));
    const cell = document.createElement("td");
    cell.appendChild(button);
    row.appendChild(cell);
    return row;
  }

  async function loadLog(more) {
    const hook = log.endpoint;
    if (!hook) return;
    const query = "?limit=20" + (more && log.cursor ? "&cursor=" + log.cursor : "");
    try {
      const page = await CE.api(`/webhooks/${hook.id}/deliveries${query}`);
      const rows = page.items.map(deliveryRow);
      if (more) $("delivery-rows").append(...rows); else $("delivery-rows").replaceChildren(...rows);
      log.cursor = page.next_cursor;
      $("deliveries-more-row").hidden = !page.next_cursor;
      $("no-deliveries").hidden = $("delivery-rows").children.length > 0;
    } catch (error) { CE.toast(error.message, "error"); }
  }

  function openLog(hook) {
    closeLog();
    log.endpoint = hook;
    $("webhook-log-url").textContent = hook.url;
    $("webhook-log").hidden = false;
    loadLog(false);
    // deliveries happen in the worker: follow them while the log is open
    log.timer = setInterval(() => { if (!log.extended) loadLog(false); }, REFRESH_MS);
  }

  function closeLog() {
    clearInterval(log.timer);
    log.endpoint = null;
    log.cursor = null;
    log.extended = false;
    $("webhook-log").hidden = true;
  }

  async function redeliver(delivery) {
    try {
      await CE.api(`/webhooks/${log.endpoint.id}/deliveries/${delivery.id}/redeliver`, { method: "POST" });
      CE.toast(texts.redelivered, "ok");
      await loadLog(false);
    } catch (error) { CE.toast(error.message, "error"); }
  }

  $("webhook-log-refresh").addEventListener("click", () => loadLog(false));
  $("webhook-log-close").addEventListener("click", closeLog);
  $("deliveries-more").addEventListener("click", () => { log.extended = true; loadLog(true); });
})();
