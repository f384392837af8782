// Cart and checkout: the server's price breakdown, the delivery address, the sandbox card form.
(function () {
  "use strict";
  const { t, el, euros, lineItem, breakdown, showAlert } = CE.orders;
  const DELIVERY = "ce.delivery";
  const form = document.getElementById("checkout-form");
  const lines = document.getElementById("cart-lines");
  const price = document.getElementById("price");
  const priceAlert = document.getElementById("price-alert");
  const payAlert = document.getElementById("pay-alert");
  const pay = document.getElementById("pay");
  // Test cards of the sandbox, exchanged for tokens here: the number never leaves the page.
  const TEST_TOKENS = {
    "4242424242424242": "tok_sandbox_ok",
    "4000000000000002": "tok_sandbox_declined",
    "4000000000009995": "tok_sandbox_insufficient_funds",
  };
  let attempt = null;  // {body, key}: a retry of the same payment reuses its Idempotency-Key

  function delivery() {
    const f = form.elements;
    if (!f.address.value.trim() || f.lat.value === "" || f.lng.value === "") return null;
    return { address: f.address.value.trim(), position: { lat: Number(f.lat.value), lng: Number(f.lng.value) } };
  }

  function renderLines(cart) {
    document.getElementById("cart-empty").hidden = !!cart;
    document.getElementById("cart-restaurant").textContent = cart ? "— " + cart.restaurant.name : "";
    pay.disabled = !cart;
    lines.replaceChildren(...(cart ? cart.lines : []).map((line, index) => el("li", { class: "cart-line" },
      el("span", { class: "cart-name", text: line.name }),
      el("span", { class: "row" },
        el("button", { type: "button", class: "btn", "aria-label": "−", text: "−", onclick: () => CE.cart.setQuantity(index, line.quantity - 1) }),
        el("span", { class: "cart-qty", text: String(line.quantity) }),
        el("button", { type: "button", class: "btn", "aria-label": "+", text: "+", onclick: () => CE.cart.setQuantity(index, line.quantity + 1) })))));
  }

  async function requote() {
    const cart = CE.cart.load();
    renderLines(cart);
    const where = delivery();
    price.hidden = true;
    if (!cart || !where) return showAlert(priceAlert, null);
    try {
      const quote = await CE.api("/orders/quote", { method: "POST",
        body: { restaurant_id: cart.restaurant.id, lines: CE.cart.apiLines(cart), delivery: where } });
      lines.replaceChildren(...quote.lines.map(lineItem).map((item, index) => {
        item.append(el("button", { type: "button", class: "btn btn-ghost", text: t("remove"),
          onclick: () => CE.cart.setQuantity(index, 0) }));
        return item;
      }));
      breakdown(price, quote);
      price.hidden = false;
      showAlert(priceAlert, null);
    } catch (error) {
      showAlert(priceAlert, error);
    }
  }

  function token() {
    const number = document.getElementById("card-number").value.replace(/[\s-]/g, "");
    if (!number) return null;
    return TEST_TOKENS[number] || "tok_sandbox_unknown_card";
  }

  async function submit(event) {
    event.preventDefault();
    const cart = CE.cart.load(), where = delivery(), card = token();
    if (!cart) return showAlert(payAlert, { message: t("empty") });
    if (!form.reportValidity() || !where) return;
    if (!card) return showAlert(payAlert, { message: t("cardNumber") });
    localStorage.setItem(DELIVERY, JSON.stringify(where));
    const body = { restaurant_id: cart.restaurant.id, lines: CE.cart.apiLines(cart), delivery: where,
      note: form.elements.note.value.trim(), payment_token: card };
    const same = attempt && JSON.stringify(attempt.body) === JSON.stringify(body);
    attempt = same ? attempt : { body, key: crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random() };
    pay.disabled = true;
    showAlert(payAlert, null);
    try {
      const order = await CE.api("/orders", { method: "POST", body, headers: { "Idempotency-Key": attempt.key } });
      CE.cart.clear();
      window.location.assign("/orders/" + order.id);
    } catch (error) {
      if (error.status && error.status < 500) attempt = null;  // refused: the next try is a new payment
      showAlert(payAlert, error.status === 402 ? { message: t("declined") + " " + error.message } : error);
      pay.disabled = false;
    }
  }

  function locate() {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition((position) => {
      form.elements.lat.value = position.coords.latitude.toFixed(6);
      form.elements.lng.value = position.coords.longitude.toFixed(6);
      requote();
    });
  }

  const remembered = JSON.parse(localStorage.getItem(DELIVERY) || "null");
  if (remembered) {
    form.elements.address.value = remembered.address;
    form.elements.lat.value = remembered.position.lat;
    form.elements.lng.value = remembered.position.lng;
  }
  let timer = null;
  ["address", "lat", "lng"].forEach((name) => form.elements[name].addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(requote, 400);
  }));
  document.getElementById("locate-me").addEventListener("click", locate);
  document.addEventListener("cart:changed", requote);
  form.addEventListener("submit", submit);
  requote();
})();
