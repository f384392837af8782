// The menu editor's articles: listed by category, added or edited with their option groups,
// switched sold out and back, given a photo, deleted.
(function () {
  "use strict";
  const { t, el, euros, cents, category, showError } = CE.catalogue;
  const id = document.getElementById("menu-editor").dataset.restaurantId;
  const base = "/restaurants/" + id + "/articles";
  const form = document.getElementById("article-form");
  const groups = document.getElementById("option-groups");
  const listAlert = document.getElementById("articles-alert");
  const state = { articles: [], editing: null };

  function optionRow(option) {
    const row = el("div", { class: "row option-row", "data-option-id": option.id || "" },
      el("input", { class: "option-name", "aria-label": t("option"), placeholder: t("option"), value: option.name || "" }),
      el("input", { class: "option-delta", "aria-label": t("priceDelta"), placeholder: t("priceDelta"), inputmode: "decimal",
        value: option.price_delta_cents ? (option.price_delta_cents / 100).toFixed(2) : "" }));
    row.append(el("button", { type: "button", class: "btn btn-ghost", text: t("remove"), onclick: () => row.remove() }));
    return row;
  }

  function groupBox(group) {
    const options = el("div", { class: "stack-tight" }, (group.options || [{}]).map(optionRow));
    const box = el("div", { class: "card option-group", "data-group-id": group.id || "" },
      el("div", { class: "row" },
        el("input", { class: "group-name", "aria-label": t("group"), placeholder: t("group"), value: group.name || "" }),
        el("input", { class: "group-min", type: "number", min: 0, "aria-label": t("min"), value: group.min_choices ?? 0 }),
        el("input", { class: "group-max", type: "number", min: 1, "aria-label": t("max"), value: group.max_choices ?? 1 })),
      options,
      el("button", { type: "button", class: "btn", text: t("addOption"), onclick: () => options.append(optionRow({})) }));
    box.append(el("button", { type: "button", class: "btn btn-ghost", text: t("remove"), onclick: () => box.remove() }));
    return box;
  }

  function readGroups() {
    return [...groups.querySelectorAll(".option-group")].map((box) => ({
      ...(box.dataset.groupId ? { id: box.dataset.groupId } : {}),
      name: box.querySelector(".group-name").value.trim(),
      min_choices: Number(box.querySelector(".group-min").value), max_choices: Number(box.querySelector(".group-max").value),
      options: [...box.querySelectorAll(".option-row")].map((row) => ({
        ...(row.dataset.optionId ? { id: row.dataset.optionId } : {}),
        name: row.querySelector(".option-name").value.trim(),
        price_delta_cents: cents(row.querySelector(".option-delta").value || "0") })),
    }));
  }

  function body() {
    return {
      name: form.elements.name.value.trim(), category: form.elements.category.value,
      price_cents: cents(form.elements.price.value), description: form.elements.description.value,
      allergens: form.elements.allergens.value.split(",").map((a) => a.trim()).filter(Boolean),
      option_groups: readGroups(), available: form.elements.available.checked,
    };
  }

  function edit(article) {
    state.editing = article;
    ["name", "category", "description"].forEach((name) => { form.elements[name].value = article[name]; });
    form.elements.price.value = (article.price_cents / 100).toFixed(2);
    form.elements.allergens.value = article.allergens.join(", ");
    form.elements.available.checked = article.available;
    groups.replaceChildren(...article.option_groups.map(groupBox));
    form.scrollIntoView({ behavior: "smooth" });
    form.elements.name.focus();
  }

  async function call(path, options, box) {
    try {
      return await CE.api(path, options);
    } catch (error) {
      showError(box || listAlert, error);
      return undefined;
    }
  }

  async function setAvailable(article, available) {
    if (await call(base + "/" + article.id, { method: "PATCH", body: { available } }) !== undefined) reload();
  }

  async function upload(article, file) {
    const data = new FormData();
    data.append("photo", file);
    if (await call(base + "/" + article.id + "/photo", { method: "PUT", body: data })) reload();
  }

  function row(article) {
    return el("li", { class: "card article-row", "data-article-id": article.id },
      article.photo ? el("img", { src: article.photo.thumb, alt: "", class: "item-thumb" }) : null,
      el("div", { class: "stack-tight grow" },
        el("strong", { class: "name", text: article.name }),
        el("span", { class: "muted", text: euros(article.price_cents) +
          (article.option_groups.length ? " · " + article.option_groups.map((g) => g.name).join(", ") : "") })),
      el("label", { class: "check switch" },
        el("input", { type: "checkbox", role: "switch", checked: article.available,
          onchange: (event) => setAvailable(article, event.target.checked) }),
        " " + t("available")),
      el("label", { class: "btn btn-ghost file-button" }, t("photo"),
        el("input", { type: "file", accept: "image/jpeg,image/png,image/webp", class: "visually-hidden",
          onchange: (event) => event.target.files[0] && upload(article, event.target.files[0]) })),
      el("button", { type: "button", class: "btn", text: t("edit"), onclick: () => edit(article) }),
      el("button", { type: "button", class: "btn btn-ghost", text: t("delete"), onclick: async () => {
        if (window.confirm(t("confirmDelete")) && await call(base + "/" + article.id, { method: "DELETE" }) !== undefined) reload();
      } }));
  }

  function render() {
    const byCategory = Object.keys(t("categories")).map((name) => [name, state.articles.filter((a) => a.category === name)]);
    const sections = byCategory.filter(([, items]) => items.length).map(([name, items]) =>
      el("section", { "data-category": name }, el("h3", { text: category(name) }),
        el("ul", { class: "stack-tight plain-list" }, items.map(row))));
    document.getElementById("article-list").replaceChildren(
      ...(sections.length ? sections : [el("p", { class: "muted", text: t("noArticles") })]));
  }

  async function reload() {
    const page = await call(base + "?limit=500");
    if (!page) return;
    state.articles = page.items;
    render();
    document.dispatchEvent(new CustomEvent("articles:changed", { detail: state.articles }));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("article-alert");
    box.hidden = true;
    const editing = state.editing;
    const saved = await call(editing ? base + "/" + editing.id : base,
      { method: editing ? "PATCH" : "POST", body: body() }, box);
    if (!saved) return;
    CE.toast(t("saved"), "ok");
    form.reset();
    await reload();
  });
  form.addEventListener("reset", () => { state.editing = null; groups.replaceChildren(); });
  document.getElementById("add-group").addEventListener("click", () => groups.append(groupBox({})));

  CE.menuEditor = { state, reload };
  CE.api("/restaurants/" + id).then((place) => {
    document.getElementById("editor-restaurant").textContent = place.name;
  }).catch(() => {});
  reload();
})();
