// Shared by the restaurant pages: texts, elements, money, opening state, errors of a form.
(function () {
  "use strict";
  const { texts, locale, t, el, euros } = CE.page;
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
