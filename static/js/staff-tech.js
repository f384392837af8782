// Technical dashboard: nodes and stores every 2 s, connection logs, component downloads.
(function () {
  "use strict";
  const { texts, guard, number, bytes, time, row, badge } = CE.staff;
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 2000;
  const NODE_FIELDS = ["node", "status", "version", "requests", "latency", "sockets", "messages",
    "lag", "cpu", "memory", "pool", "started"];

  function nodeRow(node) {
    const status = badge(texts[node.status] || node.status, node.status === "up" ? "" : "warn");
    const lat = node.latency_ms;
    const tr = row([node.node_id, status, node.version, number(node.requests_per_s, 2),
      `${number(lat.p50, 1)} / ${number(lat.p95, 1)} / ${number(lat.p99, 1)}`, number(node.sockets),
      `${number(node.messages_in_per_s, 1)} / ${number(node.messages_out_per_s, 1)}`,
      number(node.loop_lag_ms, 1), number(node.cpu_percent, 1) + " %", bytes(node.memory_bytes),
      `${node.db_pool.size - node.db_pool.idle} / ${node.db_pool.max}`, time(node.started_at)], NODE_FIELDS);
    tr.dataset.node = node.node_id;
    tr.dataset.seq = node.seq;
    return tr;
  }

  function store(id, health, clients) {
    const box = $(id);
    box.querySelector("[data-field=status]").replaceChildren(
      badge(health.ok ? texts.ok : texts.down, health.ok ? "" : "danger"));
    box.querySelector("[data-field=ping]").textContent = number(health.ping_ms, 2);
    box.querySelector(clients ? "[data-field=clients]" : "[data-field=connections]").textContent =
      clients ? number(health.connected_clients) : `${number(health.connections)} / ${number(health.max_connections)}`;
    box.querySelector("[data-field=detail]").textContent = health.error
      || (clients ? `${bytes(health.used_memory_bytes)} · Redis ${health.server_version}`
        : `PostgreSQL ${health.server_version}`);
  }

  async function refreshNodes() {
    try {
      const seen = await CE.api("/admin/nodes");
      $("nodes").replaceChildren(...seen.nodes.map(nodeRow));
      $("gone-nodes").replaceChildren(...seen.gone.map((node) => {
        const item = document.createElement("li");
        item.dataset.node = node.node_id;
        item.textContent = `${node.node_id} — ${texts.gone} (${time(node.last_seen)})`;
        return item;
      }));
      store("postgres-health", seen.postgres, false);
      store("redis-health", seen.redis, true);
      $("nodes-updated").textContent = time(seen.at);
    } catch (error) {
      $("nodes-updated").textContent = texts.failed;
    }
    setTimeout(refreshNodes, REFRESH_MS);
  }

  // Connection logs: cursors of the pages seen so far give "previous" without a server cursor.
  const logs = { cursors: [null], page: 0, next: null };

  function logQuery() {
    const form = $("logs-form").elements;
    const params = new URLSearchParams({ limit: "20" });
    if (form.email.value.trim()) params.set("email", form.email.value.trim());
    if (form.success.value) params.set("success", form.success.value);
    if (form.from.value) params.set("from", new Date(form.from.value + "T00:00:00").toISOString());
    if (form.to.value) params.set("to", new Date(form.to.value + "T23:59:59.999").toISOString());
    const cursor = logs.cursors[logs.page];
    if (cursor) params.set("cursor", cursor);
    return params;
  }

  async function loadLogs() {
    try {
      const page = await CE.api("/admin/connection-logs?" + logQuery());
      $("logs").replaceChildren(...page.items.map((entry) => row([time(entry.at), entry.email || "—",
        badge(entry.success ? texts.success : texts.failure, entry.success ? "" : "danger"),
        entry.ip || "—", entry.user_agent || "—"], ["at", "email", "result", "ip", "agent"])));
      logs.next = page.next_cursor;
      $("logs-empty").textContent = texts.noLogs;
      $("logs-empty").hidden = page.items.length > 0;
    } catch (error) {
      $("logs-empty").textContent = error.status === 404 ? texts.notYet : error.message;
      $("logs-empty").hidden = false;
      logs.next = null;
    }
    $("logs-next").disabled = !logs.next;
    $("logs-previous").disabled = logs.page === 0;
  }

  async function loadDownloads() {
    try {
      const page = await CE.api("/admin/component-downloads?limit=20");
      $("downloads").replaceChildren(...page.items.map((item) => row([time(item.at),
        item.component || item.name, item.version, item.user_email || item.by || "—"])));
      $("downloads-empty").textContent = texts.noDownloads;
      $("downloads-empty").hidden = page.items.length > 0;
    } catch (error) {
      $("downloads-empty").textContent = texts.notYet;
      $("downloads-empty").hidden = false;
    }
  }

  function bind() {
    $("logs-form").addEventListener("submit", (event) => {
      event.preventDefault();
      logs.cursors = [null];
      logs.page = 0;
      loadLogs();
    });
    $("logs-next").addEventListener("click", () => {
      logs.cursors[++logs.page] = logs.next;
      loadLogs();
    });
    $("logs-previous").addEventListener("click", () => { logs.page -= 1; loadLogs(); });
  }

  guard(["tech"], texts.techOnly).then(() => {
    $("dashboard").hidden = false;
    bind();
    refreshNodes();
    loadLogs();
    loadDownloads();
  }, () => null);
})();
