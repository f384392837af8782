// The menu editor's menus: a name, a price and slots, each slot offering some of the articles.
(function () {
  "use strict";
  const { t, el, euros, cents, showError } = CE.catalogue;
  const id = document.getElementById("menu-editor").dataset.restaurantId;
  const base = "/restaurants/" + id + "/menus";
  const form = document.getElementById("menu-form");
  const slots = document.getElementById("menu-slots");
  const state = { menus: [], editing: null };
  const articles = () => CE.menuEditor.state.articles;

  function slotBox(slot) {
    const picked = new Set(slot.article_ids || []);
    const box = el("div", { class: "card menu-slot", "data-slot-id": slot.id || "" },
      el("div", { class: "row" },
        el("input", { class: "slot-name", "aria-label": t("slot"), placeholder: t("slot"), value: slot.name || "" }),
        el("input", { class: "slot-min", type: "number", min: 0, "aria-label": t("min"), value: slot.min_choices ?? 1 }),
        el("input", { class: "slot-max", type: "number", min: 1, "aria-label": t("max"), value: slot.max_choices ?? 1 })),
      el("div", { class: "slot-articles", role: "group", "aria-label": t("choices") }, articles().map((article) =>
        el("label", { class: "check" },
          el("input", { type: "checkbox", value: article.id, checked: picked.has(article.id) }), " " + article.name))));
    box.append(el("button", { type: "button", class: "btn btn-ghost", text: t("remove"), onclick: () => box.remove() }));
    return box;
  }

  function body() {
    return {
      name: form.elements.name.value.trim(), price_cents: cents(form.elements.price.value),
      description: form.elements.description.value,
      slots: [...slots.querySelectorAll(".menu-slot")].map((box) => ({
        ...(box.dataset.slotId ? { id: box.dataset.slotId } : {}),
        name: box.querySelector(".slot-name").value.trim(),
        min_choices: Number(box.querySelector(".slot-min").value), max_choices: Number(box.querySelector(".slot-max").value),
        article_ids: [...box.querySelectorAll(".slot-articles input:checked")].map((i) => i.value) })),
    };
  }

  function edit(menu) {
    state.editing = menu;
    form.elements.name.value = menu.name;
    form.elements.price.value = (menu.price_cents / 100).toFixed(2);
    form.elements.description.value = menu.description;
    slots.replaceChildren(...menu.slots.map(slotBox));
    form.elements.name.focus();
  }

  async function call(path, options, box) {
    try {
      return await CE.api(path, options);
    } catch (error) {
      showError(box || document.getElementById("menus-alert"), error);
      return undefined;
    }
  }

  function row(menu) {
    return el("li", { class: "card article-row", "data-menu-id": menu.id },
      el("div", { class: "stack-tight grow" },
        el("strong", { class: "name", text: menu.name }),
        el("span", { class: "muted", text: euros(menu.price_cents) + " · " + menu.slots.map((s) =>
          s.name + " (" + s.choices.map((c) => c.name).join(", ") + ")").join(" · ") })),
      el("label", { class: "check switch" },
        el("input", { type: "checkbox", role: "switch", checked: menu.available, onchange: async (event) => {
          if (await call(base + "/" + menu.id, { method: "PATCH", body: { available: event.target.checked } })) reload();
        } }), " " + t("available")),
      el("button", { type: "button", class: "btn", text: t("edit"), onclick: () => edit(menu) }),
      el("button", { type: "button", class: "btn btn-ghost", text: t("delete"), onclick: async () => {
        if (window.confirm(t("confirmDelete")) && await call(base + "/" + menu.id, { method: "DELETE" }) !== undefined) reload();
      } }));
  }

  async function reload() {
    const page = await call(base + "?limit=500");
    if (!page) return;
    state.menus = page.items;
    document.getElementById("menu-list").replaceChildren(...(page.items.length ? page.items.map(row)
      : [el("li", { class: "muted", text: t("noMenus") })]));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("menu-alert");
    box.hidden = true;
    const editing = state.editing;
    const saved = await call(editing ? base + "/" + editing.id : base,
      { method: editing ? "PATCH" : "POST", body: body() }, box);
    if (!saved) return;
    CE.toast(t("saved"), "ok");
    form.reset();
    reload();
  });
  form.addEventListener("reset", () => { state.editing = null; slots.replaceChildren(); });
  document.getElementById("add-slot").addEventListener("click", () => slots.append(slotBox({})));
  // Slots list the articles: rebuild the open slot boxes' choices when the articles change.
  document.addEventListener("articles:changed", () => {
    const current = body().slots;
    slots.replaceChildren(...current.map(slotBox));
    reload();
  });
})();
