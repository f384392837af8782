// Sign-up page: create the account, then go and sign in with it.
(function () {
  "use strict";
  const form = document.getElementById("signup-form");
  const alert = document.getElementById("signup-alert");

  function body() {
    const data = { role: form.elements.role.value, name: form.elements.name.value.trim(),
      email: form.elements.email.value.trim(), password: form.elements.password.value,
      language: CE.lang };
    const phone = form.elements.phone.value.trim();
    const code = form.elements.referral_code.value.trim();
    if (phone) data.phone = phone;
    if (code) data.referral_code = code;
    return data;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    alert.hidden = true;
    CE.account.clearFieldErrors(form);
    if (!form.reportValidity()) return;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      CE.tokens.clear();
      const account = await CE.api("/auth/register", { method: "POST", body: body() });
      sessionStorage.setItem("signup_email", account.email);
      window.location.assign("/login?notice=registered");
    } catch (error) {
      CE.account.showFieldErrors(form, error);
      alert.textContent = CE.account.explain(error);
      alert.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
})();
