// Sign-in page: keep the tokens, then go where the person was heading (or to their page).
(function () {
  "use strict";
  const form = document.getElementById("login-form");
  const alert = document.getElementById("login-alert");
  const remembered = sessionStorage.getItem("signup_email");
  if (remembered) {
    form.elements.email.value = remembered;
    sessionStorage.removeItem("signup_email");
    form.elements.password.focus();
  }

  function destination(account) {
    if (form.dataset.next) return form.dataset.next;
    return account.role === "sales" ? "/staff/accounts" : "/profile";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    alert.hidden = true;
    if (!form.reportValidity()) return;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      CE.tokens.clear();
      const pair = await CE.api("/auth/login", { method: "POST",
        body: { email: form.elements.email.value.trim(), password: form.elements.password.value } });
      CE.tokens.save(pair);
      window.location.assign(destination(await CE.api("/me")));
    } catch (error) {
      alert.textContent = CE.account.explain(error);
      alert.hidden = false;
      button.disabled = false;
    }
  });
})();
