// A restaurant's page for customers: its state and its menu, from one API call.
// Each article carries data-article-id and each menu data-menu-id: the cart adds its buttons there.
(function () {
  "use strict";
  const { t, el, euros, category, opening, showError } = CE.catalogue;
  const root = document.getElementById("restaurant");
  const id = root.dataset.restaurantId;
  const byId = (name) => document.getElementById("restaurant-" + name);

  function optionsText(article) {
    return article.option_groups.map((g) => g.name + " : " + g.options.map((o) =>
      o.name + (o.price_delta_cents ? " (+" + euros(o.price_delta_cents) + ")" : "")).join(", ")).join(" · ");
  }

  function articleCard(article) {
    return el("li", { class: "card item-card", "data-article-id": article.id, "data-available": String(article.available) },
      article.photo ? el("img", { src: article.photo.thumb, alt: "", class: "item-thumb", loading: "lazy" }) : null,
      el("h3", { class: "name", text: article.name }),
      article.description ? el("p", { class: "muted", text: article.description }) : null,
      article.option_groups.length ? el("p", { class: "small", text: optionsText(article) }) : null,
      article.allergens.length ? el("p", { class: "small muted", text: "⚠ " + article.allergens.join(", ") }) : null,
      el("p", { class: "price", text: euros(article.price_cents) }));
  }

  function menuCard(menu) {
    const slots = menu.slots.map((slot) => el("li", {},
      el("strong", { text: slot.name + " : " }),
      slot.choices.filter((c) => c.available).map((c) => c.name).join(", ")));
    return el("li", { class: "card item-card", "data-menu-id": menu.id, "data-available": String(menu.available) },
      el("h3", { class: "name", text: menu.name }),
      menu.description ? el("p", { class: "muted", text: menu.description }) : null,
      el("ul", { class: "slot-list" }, slots),
      el("p", { class: "price", text: euros(menu.price_cents) }));
  }

  function render(page) {
    const place = page.restaurant;
    document.title = place.name + " — CESI EATS";
    byId("name").textContent = place.name;
    byId("cuisines").textContent = place.cuisines.join(" · ");
    byId("address").textContent = place.address;
    byId("description").textContent = place.description;
    byId("state").replaceChildren(opening(page), el("span", { class: "muted", text: t("minutes", { n: place.avg_prep_minutes }) }));
    if (place.photo) Object.assign(byId("photo"), { src: place.photo.large, hidden: false });
    byId("menus").replaceChildren(...page.menus.map(menuCard));
    document.getElementById("menus-section").hidden = page.menus.length === 0;
    byId("categories").replaceChildren(...page.categories.map((group) =>
      el("section", { class: "menu-category", "data-category": group.category },
        el("h2", { text: category(group.category) }),
        el("ul", { class: "item-grid" }, group.articles.map(articleCard)))));
    byId("empty").hidden = page.menus.length + page.categories.length > 0;
  }

  CE.api("/restaurants/" + id + "/menu")
    .then(render)
    .catch((error) => showError(byId("alert"), error))
    .finally(() => root.removeAttribute("aria-busy"));
})();
