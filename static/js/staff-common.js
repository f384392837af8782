// Shared by the staff pages: texts, the signed-in person, number formats, table rows.
(function () {
  "use strict";
  const texts = JSON.parse(document.getElementById("staff-messages").textContent);
  const locale = CE.lang === "fr" ? "fr-FR" : "en-GB";

  // Resolves with the person if their role is one of `roles`, else explains and rejects.
  async function guard(roles, refusal) {
    const alert = document.getElementById("staff-alert");
    try {
      const person = await CE.account.me;
      if (roles.includes(person.role)) return person;
      alert.textContent = refusal;
    } catch (error) {
      document.getElementById("staff-signin").hidden = false;
      alert.textContent = texts.signIn;
    }
    alert.hidden = false;
    throw new Error("not allowed");
  }

  const number = (value, digits = 0) => value === null || value === undefined ? "—"
    : Number(value).toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const bytes = (value) => value === null || value === undefined ? "—" : number(value / 1048576, 1) + " MiB";
  const cents = (value) => (Number(value || 0) / 100).toLocaleString(locale, { style: "currency", currency: "EUR" });
  const time = (value) => value ? new Date(value).toLocaleString(locale) : "—";

  // A <tr> of text cells; `names` (same length) become data-field attributes for tests and styles.
  function row(values, names) {
    const tr = document.createElement("tr");
    values.forEach((value, index) => {
      const td = document.createElement("td");
      if (value instanceof Node) td.appendChild(value); else td.textContent = value;
      if (names) td.dataset.field = names[index];
      tr.appendChild(td);
    });
    return tr;
  }

  function badge(text, kind) {
    const span = document.createElement("span");
    span.className = "badge" + (kind ? " badge-" + kind : "");
    span.textContent = text;
    return span;
  }

  CE.staff = { texts, guard, number, bytes, cents, time, row, badge };
})();
