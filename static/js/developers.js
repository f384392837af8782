// Developer portal: create an API key (shown once), list and revoke keys.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const messages = $("dev-messages").dataset;
  const when = (iso) => (iso ? new Date(iso).toLocaleString(CE.lang) : messages.never);

  function renderKeys(keys) {
    const body = $("keys");
    body.replaceChildren();
    for (const key of keys) {
      const row = $("key-row").content.firstElementChild.cloneNode(true);
      row.dataset.keyId = key.id;
      row.querySelector('[data-field="name"]').textContent = key.name;
      row.querySelector('[data-field="prefix"]').textContent = key.prefix + "_…";
      row.querySelector('[data-field="scopes"]').textContent = key.scopes.join(", ");
      row.querySelector('[data-field="created_at"]').textContent = when(key.created_at);
      row.querySelector('[data-field="last_used_at"]').textContent = when(key.last_used_at);
      row.querySelector('[data-action="revoke"]').addEventListener("click", () => revoke(key));
      body.appendChild(row);
    }
    $("no-keys").hidden = keys.length > 0;
    $("keys-table").hidden = keys.length === 0;
  }

  async function loadKeys() {
    try {
      renderKeys(await CE.api("/api-keys"));
      $("api-keys").hidden = false;
    } catch (error) {
      if (error.status === 401) $("dev-signin").hidden = false;
      else if (error.status === 403) $("dev-not-developer").hidden = false;
      else CE.toast(error.message, "error");
    }
  }

  async function createKey(event) {
    event.preventDefault();
    const form = event.target;
    const scopes = [...form.querySelectorAll('input[name="scopes"]:checked')].map((box) => box.value);
    const error = $("new-key-error");
    error.hidden = true;
    if (scopes.length === 0) {
      error.textContent = messages.pickScope;
      error.hidden = false;
      return;
    }
    try {
      // a retried click must not make two keys
      const headers = { "Idempotency-Key": crypto.randomUUID ? crypto.randomUUID()
        : Date.now() + "-" + Math.random().toString(36).slice(2) };
      const created = await CE.api("/api-keys", { method: "POST", headers,
        body: { name: form.elements.name.value, scopes } });
      $("new-key-value").textContent = created.key;
      $("new-key").hidden = false;
      form.reset();
      await loadKeys();
    } catch (problem) {
      error.textContent = problem.message;
      error.hidden = false;
    }
  }

  async function revoke(key) {
    if (!window.confirm(messages.confirm)) return;
    try {
      await CE.api("/api-keys/" + key.id, { method: "DELETE" });
      CE.toast(messages.revoked, "ok");
      await loadKeys();
    } catch (error) {
      CE.toast(error.message, "error");
    }
  }

  $("copy-key").addEventListener("click", async () => {
    await navigator.clipboard.writeText($("new-key-value").textContent);
    CE.toast(messages.copied, "ok");
  });
  $("new-key-form").addEventListener("submit", createKey);
  if (CE.tokens.access) loadKeys();
  else $("dev-signin").hidden = false;
})();
