// The customer's orders, newest first, with links to each order and its receipt.
(function () {
  "use strict";
  const { t, el, euros, dateTime, statusLabel, showAlert } = CE.orders;
  const rows = document.getElementById("history-rows");
  const more = document.getElementById("history-more");
  let cursor = null;

  function row(order) {
    return el("tr", { "data-order-id": order.id },
      el("td", {}, el("a", { href: "/orders/" + order.id, text: order.ref })),
      el("td", { text: order.restaurant.name }),
      el("td", {}, el("time", { datetime: order.placed_at, text: dateTime(order.placed_at) })),
      el("td", {}, el("span", { class: "badge", text: statusLabel(order.status) })),
      el("td", { text: euros(order.total_cents) }),
      el("td", {}, el("a", { href: "/orders/" + order.id + "/receipt", text: t("receipt") })));
  }

  async function page() {
    more.disabled = true;
    try {
      const found = await CE.api("/orders?limit=20" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      rows.append(...found.items.map(row));
      cursor = found.next_cursor;
      more.hidden = !cursor;
      document.getElementById("history-empty").hidden = rows.children.length > 0;
    } catch (error) {
      showAlert(document.getElementById("history-alert"), error);
    }
    more.disabled = false;
  }

  more.addEventListener("click", page);
  page();
})();
