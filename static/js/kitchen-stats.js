// A restaurant's figures over a period: totals, revenue per day as bars, best sellers.
(function () {
  "use strict";
  const { t, el, euros, showError } = CE.catalogue;
  const form = document.getElementById("stats-form");
  const id = form.dataset.restaurantId;
  const SVG = "http://www.w3.org/2000/svg";

  function figure(label, value) {
    return el("div", { class: "card stat" }, el("span", { class: "muted", text: label }), el("strong", { text: value }));
  }

  function chart(days) {
    const width = 640, height = 180, gap = 2;
    const top = Math.max(1, ...days.map((d) => d.revenue_cents));
    const bar = Math.max(1, (width - gap * days.length) / Math.max(1, days.length));
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("role", "img");
    days.forEach((day, index) => {
      const h = Math.round((day.revenue_cents / top) * (height - 10));
      const rect = document.createElementNS(SVG, "rect");
      Object.entries({ x: index * (bar + gap), y: height - h, width: bar, height: h, class: "bar" })
        .forEach(([name, value]) => rect.setAttribute(name, value));
      const title = document.createElementNS(SVG, "title");
      title.textContent = day.date + " : " + euros(day.revenue_cents) + " · " + day.orders + " " + t("orders");
      rect.append(title);
      svg.append(rect);
    });
    return svg;
  }

  function render(stats) {
    form.elements.from.value = stats.from;
    form.elements.to.value = stats.to;
    const prep = stats.preparation;
    document.getElementById("stats-figures").replaceChildren(
      figure(t("orders"), String(stats.orders)),
      figure(t("revenue"), euros(stats.revenue_cents)),
      figure(t("basket"), stats.average_basket_cents == null ? "—" : euros(stats.average_basket_cents)),
      figure(t("refused"), String(stats.refused)),
      figure(t("prep"), prep.average_minutes == null ? "—"
        : prep.average_minutes + " (" + t("median") + " " + prep.median_minutes + ")"));
    document.getElementById("stats-chart").replaceChildren(stats.orders ? chart(stats.days)
      : el("p", { class: "muted", text: t("noSales") }));
    document.getElementById("stats-sellers").replaceChildren(...stats.best_sellers.map((s) =>
      el("tr", {}, el("td", { text: s.name }), el("td", { text: String(s.quantity) }), el("td", { text: euros(s.revenue_cents) }))));
  }

  async function load() {
    const params = new URLSearchParams();
    ["from", "to"].forEach((name) => form.elements[name].value && params.set(name, form.elements[name].value));
    try {
      render(await CE.api("/restaurants/" + id + "/stats?" + params.toString()));
    } catch (error) {
      showError(document.getElementById("stats-alert"), error);
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  CE.api("/restaurants/" + id).then((place) => {
    document.getElementById("stats-restaurant").textContent = place.name;
  }).catch(() => {});
  load();
})();
