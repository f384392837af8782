// Accounts in every page: the signed-in person in the top bar, and what account pages share.
(function () {
  "use strict";

  // Translated texts a page hands over in <script type="application/json" id="page-messages">.
  function messages() {
    const block = document.getElementById("page-messages");
    return block ? JSON.parse(block.textContent) : {};
  }

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }

  function formatDate(iso, withTime = true) {
    const options = withTime ? { dateStyle: "long", timeStyle: "short" } : { dateStyle: "long" };
    return new Date(iso).toLocaleString(CE.lang === "fr" ? "fr-FR" : "en-GB", options);
  }

  function formatCents(cents) {
    return (cents / 100).toLocaleString(CE.lang === "fr" ? "fr-FR" : "en-GB",
      { style: "currency", currency: "EUR" });
  }

  // What to tell a person about a failed call, in their language when we know the case.
  function explain(error) {
    const text = messages();
    const problem = error.problem || {};
    const code = (problem.type || "").split("/").pop();
    if (code === "account-suspended") {
      const when = problem.suspended_until
        ? fill(text.suspendedUntil, { date: formatDate(problem.suspended_until) })
        : text.suspendedIndefinitely;
      return problem.reason ? when + " " + fill(text.reason, { reason: problem.reason }) : when;
    }
    if (error.status === 429) return text.tooManyAttempts;
    const known = { "email-taken": text.emailTaken, "bad-credentials": text.badCredentials,
      "token-revoked": text.sessionEnded, "refresh-invalid": text.sessionEnded,
      "no-credentials": text.signInFirst, "role-not-allowed": text.notAllowed };
    if (known[code]) return known[code];
    if (error.status === 422) return text.checkFields || error.message;
    return error.message || text.failed;
  }

  function isSuspension(error) {
    return ((error.problem || {}).type || "").endsWith("/account-suspended");
  }

  // Mark the inputs the API named; problem.errors is [{field, message}].
  function showFieldErrors(form, error) {
    clearFieldErrors(form);
    for (const item of (error.problem || {}).errors || []) {
      const name = item.field.split(".")[0];
      const input = form.elements[name];
      if (!input || !input.closest) continue;
      input.setAttribute("aria-invalid", "true");
      const note = document.createElement("p");
      note.className = "field-error";
      note.dataset.fieldError = name;
      note.textContent = messages().checkField || item.message;
      input.closest(".field").appendChild(note);
    }
  }

  function clearFieldErrors(form) {
    form.querySelectorAll("[data-field-error]").forEach((note) => note.remove());
    form.querySelectorAll('[aria-invalid="true"]').forEach((input) => input.removeAttribute("aria-invalid"));
  }

  async function signOut() {
    const refresh = CE.tokens.refresh;
    CE.tokens.clear();
    if (refresh) {
      await fetch("/api/v1/auth/logout", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refresh }) }).catch(() => null);
    }
    window.location.assign("/");
  }

  function showPerson(person) {
    const slot = document.getElementById("account-slot");
    if (!slot) return;
    const name = document.createElement("a");
    name.href = person.role === "sales" ? "/staff/accounts" : "/profile";
    name.className = "account-name";
    name.id = "nav-account";
    name.textContent = person.name;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-ghost";
    button.id = "nav-logout";
    button.textContent = slot.dataset.signOut;
    button.addEventListener("click", signOut);
    slot.replaceChildren(name, button);
  }

  // One /me call per page, shared by the top bar and the page itself.
  const me = CE.tokens.access ? CE.api("/me") : Promise.reject(new CE.ApiError({ status: 401 }));
  me.then(showPerson, () => null);

  CE.account = { me, messages, fill, formatDate, formatCents, explain, isSuspension,
    showFieldErrors, clearFieldErrors, signOut, showPerson };
})();
