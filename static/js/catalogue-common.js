// Shared by the restaurant pages: texts, elements, money, opening state, errors of a form.
(function () {
  "use strict";
  const node = document.getElementById("page-messages");
  const texts = node ? JSON.parse(node.textContent) : {};
  const locale = CE.lang === "en" ? "en-GB" : "fr-FR";
  const money = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" });

  function t(key, values) {
    let text = texts[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => { text = text.replace("{" + name + "}", value); });
    return text;
  }

  function el(tag, attrs, ...children) {
    const item = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value === false || value == null) return;
      if (name === "class") item.className = value;
      else if (name === "text") item.textContent = value;
      else if (name.startsWith("on")) item.addEventListener(name.slice(2), value);
      else item.setAttribute(name, value === true ? "" : value);
    });
    children.flat().forEach((child) => child != null && item.append(child));
    return item;
  }

  const euros = (cents) => money.format(cents / 100);
  // "12,50" or "12.50" euros -> 1250 cents; NaN when it is not a number.
  const cents = (text) => Math.round(parseFloat(String(text).replace(",", ".")) * 100);
  const category = (name) => (texts.categories || {})[name] || name;

  function opening(place) {
    if (place.open_now) return el("span", { class: "badge", text: t("openNow") });
    if (!place.next_opening_at) return el("span", { class: "badge badge-danger", text: t("closed") });
    const when = new Date(place.next_opening_at).toLocaleString(locale, { weekday: "short", hour: "2-digit", minute: "2-digit" });
    return el("span", { class: "badge badge-warn", text: t("opensAt", { when }) });
  }

  // Shows a refusal in the form's alert box: the detail, then each field's problem.
  function showError(box, error) {
    const problem = error.problem || {};
    const lines = (problem.errors || []).map((e) => e.field + " : " + e.message);
    box.replaceChildren(el("strong", { text: problem.detail || error.message || t("failed") }),
      ...lines.map((line) => el("div", { text: line })));
    box.hidden = false;
  }

  const signedIn = () => Boolean(CE.tokens.access || CE.tokens.refresh);

  CE.catalogue = { t, el, euros, cents, category, opening, showError, signedIn, texts };
})();
