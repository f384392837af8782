// Sales staff's accounts page: search, view, edit, suspend, reactivate and erase accounts.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const text = CE.account.messages();
  const search = $("search-form");
  const edit = $("edit-form");
  const suspendForm = $("suspend-form");
  let cursor = null;
  let current = null;

  function problem(error) {
    if (error.status === 401) $("staff-signin").hidden = false;
    if (error.status === 401 && !error.problem.type) return;
    const alert = $("staff-alert");
    const code = (error.problem.type || "").split("/").pop();
    const own = { "role-not-allowed": text.salesOnly, "self-suspension": text.selfChange,
      "self-deletion": text.selfChange };
    alert.textContent = own[code] || CE.account.explain(error);
    alert.hidden = false;
  }

  function status(account) {
    if (!account.suspended) return text.active;
    const until = account.suspended_until
      ? CE.account.fill(text.until, { date: CE.account.formatDate(account.suspended_until) })
      : text.indefinitely;
    return `${text.suspendedBadge} (${until})`;
  }

  function row(account) {
    const tr = document.createElement("tr");
    tr.dataset.accountId = account.id;
    for (const value of [account.name, account.email, text["role_" + account.role] || account.role]) {
      const td = document.createElement("td");
      td.textContent = value || "—";
      tr.appendChild(td);
    }
    const state = document.createElement("td");
    const badge = document.createElement("span");
    badge.className = account.suspended ? "badge badge-danger" : "badge";
    badge.textContent = account.suspended ? text.suspendedBadge : text.active;
    state.appendChild(badge);
    const open = document.createElement("button");
    open.type = "button";
    open.className = "btn";
    open.textContent = "→";
    open.setAttribute("aria-label", account.name || account.email || account.id);
    open.addEventListener("click", () => select(account));
    const action = document.createElement("td");
    action.appendChild(open);
    tr.append(state, action);
    return tr;
  }

  async function load(more = false) {
    const params = new URLSearchParams({ limit: "20" });
    if (search.elements.q.value.trim()) params.set("q", search.elements.q.value.trim());
    if (search.elements.role.value) params.set("role", search.elements.role.value);
    if (more && cursor) params.set("cursor", cursor);
    try {
      const page = await CE.api("/admin/accounts?" + params);
      if (!more) $("accounts").replaceChildren();
      $("accounts").append(...page.items.map(row));
      cursor = page.next_cursor;
      $("more-accounts").hidden = !cursor;
      $("no-accounts").textContent = text.noResults;
      $("no-accounts").hidden = $("accounts").children.length > 0;
      $("staff").hidden = false;
    } catch (error) {
      problem(error);
    }
  }

  function select(account) {
    current = account;
    $("detail-title").textContent = account.name || account.email;
    $("detail-role").textContent = text["role_" + account.role] || account.role;
    $("detail-status").textContent = status(account);
    edit.elements.name.value = account.name || "";
    edit.elements.email.value = account.email || "";
    edit.elements.phone.value = account.phone || "";
    suspendForm.hidden = account.suspended;
    $("reactivate-box").hidden = !account.suspended;
    $("account-detail").hidden = false;
    $("account-detail").scrollIntoView({ block: "nearest" });
  }

  async function change(body, message) {
    try {
      const account = await CE.api(`/admin/accounts/${current.id}`, { method: "PATCH", body });
      select(account);
      const old = document.querySelector(`tr[data-account-id="${account.id}"]`);
      if (old) old.replaceWith(row(account));
      CE.toast(message, "ok");
      return true;
    } catch (error) {
      problem(error);
      return false;
    }
  }

  function suspension() {
    const reason = suspendForm.elements.reason.value.trim();
    if (suspendForm.elements.duration.value === "indefinitely") return { reason, until: null };
    const until = suspendForm.elements.until.value;
    return until ? { reason, until: new Date(until).toISOString() } : null;
  }

  search.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  $("more-accounts").addEventListener("click", () => load(true));
  edit.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!edit.reportValidity()) return;
    change({ name: edit.elements.name.value.trim(), email: edit.elements.email.value.trim(),
      phone: edit.elements.phone.value.trim() || null }, text.saved);
  });
  suspendForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!suspendForm.reportValidity()) return;
    const suspend = suspension();
    if (!suspend) { CE.toast(text.pickDate, "error"); return; }
    if (await change({ suspend }, text.suspended)) suspendForm.reset();
  });
  $("reactivate").addEventListener("click", () => change({ reactivate: true }, text.reactivated));
  $("erase-account").addEventListener("click", () => {
    $("erase-dialog").returnValue = "";
    $("erase-dialog").showModal();
  });
  $("erase-dialog").addEventListener("close", async () => {
    if ($("erase-dialog").returnValue !== "confirm") return;
    try {
      await CE.api(`/admin/accounts/${current.id}`, { method: "DELETE" });
      document.querySelector(`tr[data-account-id="${current.id}"]`)?.remove();
      $("account-detail").hidden = true;
      CE.toast(text.deleted, "ok");
    } catch (error) {
      problem(error);
    }
  });
  load();
})();
