// Sales dashboard: today's KPIs and charts from the live `kpi` stream; period statistics and CSV.
(function () {
  "use strict";
  const { texts, guard, number, cents, row } = CE.staff;
  const $ = (id) => document.getElementById(id);
  const FUNNEL = ["placed", "accepted", "assigned", "delivered", "cancelled"];
  const MONEY = new Set(["volume_in_progress_cents", "volume_day_cents"]);
  const charts = {};
  let latest = null;  // the last `kpi` heard, kept until the charts exist

  function makeCharts() {
    charts.funnel = new Chart($("funnel-chart"), {
      type: "bar",
      data: { labels: FUNNEL.map((key) => texts[key]), datasets: [{ label: texts.orders, data: FUNNEL.map(() => 0) }] },
      options: { animation: { duration: 300 }, plugins: { legend: { display: false } } },
    });
    charts.volume = new Chart($("volume-chart"), {
      type: "line",
      data: { labels: [], datasets: [{ label: texts.revenue, data: [], tension: 0.2 }] },
      options: { animation: false, scales: { y: { beginAtZero: true } } },
    });
    charts.period = new Chart($("period-chart"), {
      type: "bar",
      data: { labels: [], datasets: [{ label: texts.revenue, data: [] }, { label: texts.orders, data: [], yAxisID: "orders" }] },
      options: { scales: { orders: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } } },
    });
  }

  // One `kpi` payload: {seq, type, data: {placed, accepted, ...}, at}.
  function showKpi(payload) {
    const kpi = payload.data || payload;
    for (const card of document.querySelectorAll("[data-kpi]")) {
      const value = kpi[card.dataset.kpi];
      card.querySelector("strong").textContent = MONEY.has(card.dataset.kpi) ? cents(value) : number(value);
    }
    $("kpi-day").textContent = kpi.day || "";
    charts.funnel.data.datasets[0].data = FUNNEL.map((key) => kpi[key] || 0);
    charts.funnel.update();
    const volume = charts.volume.data;
    volume.labels.push(new Date(payload.at || Date.now()).toLocaleTimeString());
    volume.datasets[0].data.push((kpi.volume_day_cents || 0) / 100);
    if (volume.labels.length > 120) { volume.labels.shift(); volume.datasets[0].data.shift(); }
    charts.volume.update();
  }

  // The page's one socket (CE.live) is open before the person is checked: the node's first `kpi`,
  // sent on connecting, may come before the charts exist, so the last one is kept.
  function hearKpi() {
    if (CE.live) CE.live.on("kpi", (payload) => { latest = payload; if (charts.funnel) showKpi(payload); });
  }

  function connectLive() {
    const state = $("live-state");
    let seen = false;
    if (latest) showKpi(latest);
    if (!CE.live) return;
    CE.live.onState((up) => {
      seen = seen || up;
      if (!seen) return;
      state.textContent = up ? texts.live : texts.offline;
      state.className = up ? "badge" : "badge badge-warn";
    });
  }

  function statsParams(format) {
    const form = $("stats-form").elements;
    return new URLSearchParams({ from: form.from.value, to: form.to.value, by: form.by.value, format });
  }

  async function loadStats() {
    try {
      const stats = await CE.api("/admin/stats?" + statsParams("json"));
      $("stats-key").textContent = $("stats-by").selectedOptions[0].textContent;
      $("stats-rows").replaceChildren(...stats.rows.map((item) => row([item.label, number(item.orders),
        number(item.delivered), number(item.cancelled), cents(item.revenue_cents),
        cents(item.average_basket_cents)], ["label", "orders", "delivered", "cancelled", "revenue", "basket"])));
      $("stats-empty").textContent = texts.noRows;
      $("stats-empty").hidden = stats.rows.length > 0;
      charts.period.data.labels = stats.rows.map((item) => item.label);
      charts.period.data.datasets[0].data = stats.rows.map((item) => item.revenue_cents / 100);
      charts.period.data.datasets[1].data = stats.rows.map((item) => item.orders);
      charts.period.update();
    } catch (error) {
      CE.toast(error.message, "error");
    }
  }

  async function exportCsv() {
    try {
      const text = await CE.api("/admin/stats?" + statsParams("csv"));
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
      const form = $("stats-form").elements;
      link.download = `cesi-eats-${form.by.value}-${form.from.value}-${form.to.value}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
    } catch (error) {
      CE.toast(error.message, "error");
    }
  }

  function start() {
    const form = $("stats-form").elements;
    const today = new Date();
    const iso = (day) => new Date(day.getTime() - day.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
    form.to.value = iso(today);
    form.from.value = iso(new Date(today.getTime() - 6 * 86400000));
    $("stats-form").addEventListener("submit", (event) => { event.preventDefault(); loadStats(); });
    $("stats-csv").addEventListener("click", exportCsv);
    $("dashboard").hidden = false;
    makeCharts();
    connectLive();
    loadStats();
  }

  hearKpi();
  guard(["sales"], texts.salesOnly).then(start, () => null);
})();
