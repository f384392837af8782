// The cart, kept in this browser until it is placed; the server prices it, never this code.
// On a restaurant page, every [data-article-id] and [data-menu-id] gets an "add to cart" button.
(function () {
  "use strict";
  const KEY = "ce.cart";
  // translated labels come on the script tag: data-add, data-added
  const labels = (document.currentScript || {}).dataset || {};
  const label = (name, fallback) => labels[name.toLowerCase()] || fallback;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || null; } catch (error) { return null; }
  }

  function save(cart) {
    if (cart && cart.lines.length) localStorage.setItem(KEY, JSON.stringify(cart));
    else localStorage.removeItem(KEY);
    badge();
    document.dispatchEvent(new CustomEvent("cart:changed"));
  }

  const same = (a, b) => a.kind === b.kind && a.item_id === b.item_id &&
    JSON.stringify(a.option_ids || []) === JSON.stringify(b.option_ids || []) &&
    JSON.stringify(a.choices || {}) === JSON.stringify(b.choices || {});

  // A cart holds one restaurant's dishes: adding from another one starts a new cart.
  function add(restaurant, line) {
    let cart = load();
    if (!cart || cart.restaurant.id !== restaurant.id) cart = { restaurant, lines: [] };
    const found = cart.lines.find((held) => same(held, line));
    if (found) found.quantity = Math.min(50, found.quantity + (line.quantity || 1));
    else cart.lines.push(Object.assign({ quantity: 1, option_ids: [], choices: {} }, line));
    save(cart);
    return cart;
  }

  function setQuantity(index, quantity) {
    const cart = load();
    if (!cart || !cart.lines[index]) return;
    if (quantity <= 0) cart.lines.splice(index, 1);
    else cart.lines[index].quantity = Math.min(50, quantity);
    save(cart);
  }

  // What the API takes: no names, no prices.
  const apiLines = (cart) => cart.lines.map(({ kind, item_id, quantity, option_ids, choices }) =>
    kind === "menu" ? { kind, item_id, quantity, choices } : { kind, item_id, quantity, option_ids });

  function badge() {
    const count = (load() || { lines: [] }).lines.reduce((sum, line) => sum + line.quantity, 0);
    document.querySelectorAll("[data-cart-count]").forEach((item) => {
      item.textContent = count ? String(count) : "";
      item.hidden = !count;
    });
  }

  // Restaurant page: /restaurants/<id>
  const match = window.location.pathname.match(/^\/restaurants\/([0-9a-fA-F-]{36})$/);
  let menuPage = null;

  async function details() {
    menuPage = menuPage || await fetch("/api/v1/restaurants/" + match[1] + "/menu").then((r) => r.json());
    return menuPage;
  }

  function nameOf(host) {
    const heading = host.querySelector("h2, h3, h4, .name, [data-name]");
    return host.dataset.name || (heading ? heading.textContent.trim() : "");
  }

  // The option and menu pickers load only when a dish needs one.
  function picker() {
    if (window.CE.cartChoices) return Promise.resolve(window.CE.cartChoices);
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/static/js/cart-choices.js";
      script.onload = () => resolve(window.CE.cartChoices);
      script.onerror = reject;
      document.head.append(script);
    });
  }

  async function onAdd(host) {
    const data = await details();
    const restaurant = { id: match[1], name: (data.restaurant || {}).name || "" };
    const articleId = host.dataset.articleId;
    if (articleId) {
      const article = data.categories.flatMap((c) => c.articles).find((a) => a.id === articleId);
      const groups = article ? article.option_groups : [];
      const option_ids = groups.length ? await (await picker()).options(article) : [];
      if (option_ids === null) return;
      add(restaurant, { kind: "article", item_id: articleId, name: (article && article.name) || nameOf(host), option_ids });
    } else {
      const menu = data.menus.find((m) => m.id === host.dataset.menuId);
      const choices = await (await picker()).slots(menu);
      if (choices === null) return;
      add(restaurant, { kind: "menu", item_id: menu.id, name: menu.name, choices });
    }
    CE.toast(label("Added", "Ajouté au panier") + " : " + ((load().lines.slice(-1)[0] || {}).name || ""), "ok");
  }

  function enhance(root) {
    if (!match) return;
    root.querySelectorAll("[data-article-id], [data-menu-id]").forEach((host) => {
      if (host.querySelector("[data-add-to-cart]") || host.dataset.available === "false") return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-primary add-to-cart";
      button.dataset.addToCart = "";
      button.textContent = label("Add", "Ajouter au panier");
      button.addEventListener("click", () => onAdd(host).catch((error) => CE.toast(error.message, "error")));
      host.append(button);
    });
  }

  if (match) {
    enhance(document);
    new MutationObserver(() => enhance(document)).observe(document.body, { childList: true, subtree: true });
  }
  badge();
  window.addEventListener("storage", (event) => event.key === KEY && badge());
  CE.cart = { load, save, add, setQuantity, apiLines, clear: () => save(null), addLabel: label("Add", "Ajouter au panier") };
})();
