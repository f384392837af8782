// A printable receipt: what was bought at what price, and every movement of the money.
(function () {
  "use strict";
  const { t, el, euros, dateTime, statusLabel, lineItem, breakdown, showAlert } = CE.orders;
  const root = document.getElementById("receipt");

  async function load() {
    try {
      const receipt = await CE.api("/orders/" + root.dataset.orderId + "/receipt");
      const order = receipt.order;
      document.getElementById("receipt-ref").textContent = order.ref;
      document.getElementById("receipt-restaurant").textContent = order.restaurant.name + " — " + receipt.restaurant_address;
      document.getElementById("receipt-dates").textContent = dateTime(order.placed_at) + " · " + statusLabel(order.status);
      document.getElementById("receipt-lines").replaceChildren(...order.lines.map(lineItem));
      breakdown(document.getElementById("receipt-price"), order);
      document.getElementById("receipt-payments").replaceChildren(...receipt.payments.map((p) =>
        el("li", { "data-operation": p.operation,
          text: t(p.operation) + " : " + euros(p.amount_cents) + " — " + dateTime(p.at) })));
    } catch (error) {
      showAlert(document.getElementById("receipt-alert"), error.status === 404 ? { message: t("notFound") } : error);
    }
  }
  load();
})();
