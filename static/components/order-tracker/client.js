// A small client for the CESI EATS REST API, for third-party sites and tools.
// Calls are made with an API key (X-API-Key); errors are CesiEatsError with the problem+json.

export class CesiEatsError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || "CESI EATS API error");
    this.name = "CesiEatsError";
    this.status = problem.status;
    this.problem = problem;
  }
}

export class CesiEatsClient {
  // baseUrl: the platform's origin ("" for the page's own); apiKey: ce_live_...
  constructor({ apiKey, baseUrl = "", fetch: fetcher } = {}) {
    if (!apiKey) throw new TypeError("an API key is required");
    this.apiKey = apiKey;
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.fetch = fetcher || globalThis.fetch.bind(globalThis);
  }

  async request(method, path, { body, idempotencyKey, signal } = {}) {
    const headers = { Accept: "application/json", "X-API-Key": this.apiKey };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    const response = await this.fetch(this.baseUrl + "/api/v1" + path, {
      method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({ status: response.status }));
    if (!response.ok) throw new CesiEatsError({ status: response.status, ...data });
    return data;
  }

  restaurants(params = {}) { return this.request("GET", "/restaurants" + query(params)); }
  menu(restaurantId) { return this.request("GET", `/restaurants/${enc(restaurantId)}/menu`); }
  quote(cart) { return this.request("POST", "/orders/quote", { body: cart }); }
  // a retry with the same key never places a second order
  placeOrder(order, idempotencyKey = randomKey()) {
    return this.request("POST", "/orders", { body: order, idempotencyKey });
  }
  orders(params = {}) { return this.request("GET", "/orders" + query(params)); }
  order(orderId, options) { return this.request("GET", `/orders/${enc(orderId)}`, options); }
  orderEvents(orderId, after = 0, options) {
    return this.request("GET", `/orders/${enc(orderId)}/events?after=${after}`, options);
  }

  // Yields the order's events as they happen, by asking for those after the last one seen.
  async *followOrder(orderId, { after = 0, intervalMs = 5000, signal } = {}) {
    while (!signal || !signal.aborted) {
      const page = await this.orderEvents(orderId, after, { signal });
      for (const event of page.items) {
        after = Math.max(after, event.seq);
        yield event;
      }
      await pause(intervalMs, signal);
    }
  }
}

const enc = encodeURIComponent;

function query(params) {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined && v !== null);
  return pairs.length ? "?" + new URLSearchParams(pairs).toString() : "";
}

function randomKey() {
  return globalThis.crypto && crypto.randomUUID ? crypto.randomUUID()
    : Date.now().toString(36) + Math.random().toString(36).slice(2);
}

function pause(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (signal) signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
