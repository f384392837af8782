// <cesi-order-tracker order-id="…" api-key="ce_live_…">: an order's status and timeline,
// refreshed whenever the order has a new event (checked every `interval` seconds).
import { CesiEatsClient } from "./client.js";

const STEPS = ["placed", "accepted", "preparing", "ready", "picked_up", "delivered"];
const TEXTS = {
  fr: { placed: "Commande passée", accepted: "Acceptée par le restaurant", preparing: "En préparation",
    ready: "Prête", picked_up: "En route", delivered: "Livrée", refused: "Refusée", cancelled: "Annulée",
    order: "Commande", ready_eta: "Prête vers", loading: "Chargement…", error: "Suivi indisponible" },
  en: { placed: "Order placed", accepted: "Accepted by the restaurant", preparing: "Being prepared",
    ready: "Ready", picked_up: "On its way", delivered: "Delivered", refused: "Refused", cancelled: "Cancelled",
    order: "Order", ready_eta: "Ready around", loading: "Loading…", error: "Tracking unavailable" },
};
const STYLE = `
  :host { display: block; font: 15px/1.4 system-ui, sans-serif; color: #1d1d1f; }
  .card { border: 1px solid #ddd; border-radius: 10px; padding: 14px 16px; max-width: 420px; }
  h2 { font-size: 1rem; margin: 0 0 4px; } .status { font-weight: 600; margin: 0 0 10px; }
  ol { list-style: none; margin: 0; padding: 0; } li { display: flex; gap: 8px; padding: 3px 0; color: #999; }
  li.done { color: inherit; } li.done::before { content: "●"; color: #06a77d; } li::before { content: "○"; }
  li.stop::before { content: "✕"; color: #c0392b; } time { margin-left: auto; color: #666; }
  .error { color: #c0392b; }`;

class CesiOrderTracker extends HTMLElement {
  static get observedAttributes() { return ["order-id", "api-key", "base-url", "lang", "interval"]; }

  constructor() {
    super();
    this.attachShadow({ mode: "open" }).innerHTML = `<style>${STYLE}</style><div class="card" part="card"></div>`;
    this.order = null;
  }

  connectedCallback() { this.restart(); }
  disconnectedCallback() { this.stop(); }
  attributeChangedCallback() { if (this.isConnected) this.restart(); }

  get texts() { return TEXTS[(this.getAttribute("lang") || document.documentElement.lang || "fr").slice(0, 2)] || TEXTS.fr; }

  stop() { if (this.abort) this.abort.abort(); this.abort = null; }

  restart() {
    this.stop();
    const orderId = this.getAttribute("order-id"), apiKey = this.getAttribute("api-key");
    if (!orderId || !apiKey) return;
    this.abort = new AbortController();
    this.follow(new CesiEatsClient({ apiKey, baseUrl: this.getAttribute("base-url") || "" }),
      orderId, this.abort.signal);
  }

  async follow(client, orderId, signal) {
    this.card.textContent = this.texts.loading;
    const intervalMs = Math.max(1, Number(this.getAttribute("interval")) || 5) * 1000;
    try {
      await this.refresh(client, orderId, signal);
      for await (const event of client.followOrder(orderId, { after: this.order.seq, intervalMs, signal })) {
        if (event.seq > this.order.seq) await this.refresh(client, orderId, signal);
      }
    } catch (error) {
      if (signal.aborted) return;
      this.card.innerHTML = `<p class="error" role="alert"></p>`;
      this.card.firstChild.textContent = `${this.texts.error} (${error.status || error.message})`;
    }
  }

  async refresh(client, orderId, signal) {
    this.order = await client.order(orderId, { signal });
    this.render();
    this.dispatchEvent(new CustomEvent("cesi-order-update", { detail: this.order, bubbles: true }));
  }

  get card() { return this.shadowRoot.querySelector(".card"); }

  render() {
    const { order, texts } = this;
    const reached = Object.fromEntries(order.timeline.map((step) => [step.status, step.at]));
    const stopped = order.status === "refused" || order.status === "cancelled";
    const steps = stopped ? [...STEPS.filter((s) => reached[s]), order.status] : STEPS;
    this.card.innerHTML = `<h2></h2><p class="status" role="status"></p><ol></ol>`;
    this.card.querySelector("h2").textContent = `${texts.order} ${order.ref} — ${order.restaurant.name}`;
    let status = texts[order.status] || order.status;
    if (order.ready_eta && ["accepted", "preparing"].includes(order.status)) {
      status += ` · ${texts.ready_eta} ${clock(order.ready_eta)}`;
    }
    this.card.querySelector(".status").textContent = status;
    for (const step of steps) {
      const item = document.createElement("li");
      item.dataset.step = step;
      item.className = reached[step] ? (stopped && step === order.status ? "done stop" : "done") : "";
      item.append(texts[step] || step);
      if (reached[step]) {
        const time = document.createElement("time");
        time.dateTime = reached[step];
        time.textContent = clock(reached[step]);
        item.append(time);
      }
      this.card.querySelector("ol").append(item);
    }
  }
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

if (!customElements.get("cesi-order-tracker")) customElements.define("cesi-order-tracker", CesiOrderTracker);
export { CesiOrderTracker };
