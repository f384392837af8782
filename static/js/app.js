// Shared browser helpers of every CESI EATS app: toasts, the API client, page texts and elements.
(function () {
  "use strict";

  function toast(message, kind) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const item = document.createElement("div");
    item.className = "toast" + (kind ? " toast-" + kind : "");
    item.setAttribute("role", kind === "error" ? "alert" : "status");
    item.textContent = message;
    box.appendChild(item);
    setTimeout(() => item.remove(), 6000);
  }

  class ApiError extends Error {
    constructor(problem) {
      super(problem.detail || problem.title || "Error");
      this.problem = problem;
      this.status = problem.status;
    }
  }

  const tokens = {
    get access() { return localStorage.getItem("access_token"); },
    get refresh() { return localStorage.getItem("refresh_token"); },
    save(pair) {
      localStorage.setItem("access_token", pair.access_token);
      localStorage.setItem("refresh_token", pair.refresh_token);
    },
    clear() { localStorage.removeItem("access_token"); localStorage.removeItem("refresh_token"); },
  };

  async function refreshTokens() {
    if (!tokens.refresh) return false;
    const response = await fetch("/api/v1/auth/refresh", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: tokens.refresh }),
    });
    if (!response.ok) { tokens.clear(); return false; }
    tokens.save(await response.json());
    return true;
  }

  // Calls made together share one refresh: a refresh token presented twice ends the session.
  let refreshing = null;
  function refreshOnce() {
    refreshing = refreshing || refreshTokens().finally(() => { refreshing = null; });
    return refreshing;
  }

  // Calls /api/v1; JSON in and out; refreshes an expired access token once.
  async function api(path, options = {}, retried = false) {
    const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    if (options.body !== undefined && !(options.body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
    }
    if (tokens.access) headers.Authorization = "Bearer " + tokens.access;
    const body = options.body === undefined || options.body instanceof FormData
      ? options.body : JSON.stringify(options.body);
    const response = await fetch("/api/v1" + path, { method: options.method || "GET", headers, body });
    if (response.status === 401 && !retried && await refreshOnce()) {
      return api(path, options, true);
    }
    if (response.status === 204) return null;
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(typeof data === "object" ? data : { status: response.status, detail: data });
    return data;
  }

  // The page's texts (JSON in #page-messages, "{name}" filled in), elements and money.
  const messages = document.getElementById("page-messages");
  const texts = messages ? JSON.parse(messages.textContent) : {};
  const lang = document.body.dataset.lang || "fr";
  const locale = lang === "en" ? "en-GB" : "fr-FR";
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

  window.CE = { toast, api, tokens, ApiError, lang, page: { texts, locale, t, el, euros } };
})();
