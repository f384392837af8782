// Profile page: edit one's details and role profile, change credentials, export, delete.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const text = CE.account.messages();
  const details = $("details-form");
  const credentials = $("credentials-form");
  let account = null;

  function problem(error) {
    if (error.status === 401) $("profile-signin").hidden = false;
    if (error.status === 401 && !error.problem.type) return;  // never signed in: no alarm
    const alert = $("profile-alert");
    alert.textContent = CE.account.explain(error);
    alert.hidden = false;
  }

  function addAddress(address = {}) {
    const row = $("address-row").content.firstElementChild.cloneNode(true);
    for (const name of ["label", "address", "lat", "lng"]) {
      row.querySelector(`[name="${name}"]`).value = address[name] ?? "";
    }
    row.querySelector('[data-action="remove"]').addEventListener("click", () => row.remove());
    $("addresses").appendChild(row);
  }

  function show(me) {
    account = me;
    details.elements.name.value = me.name || "";
    details.elements.phone.value = me.phone || "";
    details.elements.language.value = me.language;
    credentials.elements.email.value = me.email || "";
    $("profile-role").textContent = text["role_" + me.role] || me.role;
    $("profile-credit").textContent = CE.account.formatCents(me.credit_cents);
    $("vehicle-field").hidden = me.role !== "courier";
    $("addresses-field").hidden = me.role !== "customer";
    details.elements.vehicle.value = me.profile.vehicle || "";
    $("addresses").replaceChildren();
    (me.profile.addresses || []).forEach(addAddress);
    $("profile").hidden = false;
  }

  function profileBody() {
    if (account.role === "courier") return { vehicle: details.elements.vehicle.value || null };
    if (account.role !== "customer") return undefined;
    const addresses = [...$("addresses").children].map((row) => ({
      label: row.querySelector('[name="label"]').value.trim(),
      address: row.querySelector('[name="address"]').value.trim(),
      lat: Number(row.querySelector('[name="lat"]').value),
      lng: Number(row.querySelector('[name="lng"]').value),
    }));
    return { addresses };
  }

  async function saveDetails(event) {
    event.preventDefault();
    $("profile-alert").hidden = true;
    if (!details.reportValidity()) return;
    const body = { name: details.elements.name.value.trim(),
      phone: details.elements.phone.value.trim() || null, language: details.elements.language.value };
    const profile = profileBody();
    if (profile) body.profile = profile;
    try {
      const saved = await CE.api("/me", { method: "PATCH", body });
      if (saved.language !== CE.lang) {
        window.location.assign("/profile?lang=" + saved.language);
        return;
      }
      show(saved);
      CE.account.showPerson(saved);
      CE.toast(text.saved, "ok");
    } catch (error) {
      CE.account.showFieldErrors(details, error);
      problem(error);
    }
  }

  async function saveCredentials(event) {
    event.preventDefault();
    $("profile-alert").hidden = true;
    if (!credentials.reportValidity()) return;
    const form = credentials.elements;
    const body = { current_password: form.current_password.value };
    if (form.email.value.trim() !== account.email) body.email = form.email.value.trim();
    if (form.password.value) body.password = form.password.value;
    try {
      show(await CE.api("/me", { method: "PATCH", body }));
      credentials.reset();
      credentials.elements.email.value = account.email;
      if (body.password) {
        CE.tokens.clear();
        window.location.assign("/login?notice=password");
        return;
      }
      CE.toast(text.saved, "ok");
    } catch (error) {
      CE.account.showFieldErrors(credentials, error);
      problem(error);
    }
  }

  async function exportData() {
    try {
      const data = await CE.api("/me/export");
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "cesi-eats-data-" + new Date().toISOString().slice(0, 10) + ".json";
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      CE.toast(text.exported, "ok");
    } catch (error) {
      problem(error);
    }
  }

  async function deleteAccount() {
    if ($("delete-dialog").returnValue !== "confirm") return;
    try {
      await CE.api("/me", { method: "DELETE" });
      CE.tokens.clear();
      window.location.assign("/login?notice=deleted");
    } catch (error) {
      problem(error);
    }
  }

  details.addEventListener("submit", saveDetails);
  credentials.addEventListener("submit", saveCredentials);
  $("add-address").addEventListener("click", () => addAddress());
  $("export-data").addEventListener("click", exportData);
  $("delete-account").addEventListener("click", () => {
    $("delete-dialog").returnValue = "";
    $("delete-dialog").showModal();
  });
  $("delete-dialog").addEventListener("close", deleteAccount);
  CE.account.me.then(show, problem);
})();
