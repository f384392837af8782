// An owner's restaurants, with links to each one's settings, menu and figures, and a new one.
(function () {
  "use strict";
  const { t, el, opening, showError, signedIn } = CE.catalogue;
  const list = document.getElementById("my-restaurants");
  const form = document.getElementById("new-restaurant");
  const empty = document.getElementById("mine-empty");

  function card(place) {
    const base = "/kitchen/restaurants/" + place.id;
    return el("li", { class: "card restaurant-card", "data-restaurant-id": place.id },
      el("div", { class: "stack-tight" },
        el("h3", { text: place.name }),
        el("p", { class: "muted", text: place.address }),
        el("p", { class: "row" }, opening(place)),
        el("p", { class: "row" },
          el("a", { class: "btn", href: base, text: t("settings") }),
          el("a", { class: "btn", href: base + "/menu", text: t("menu") }),
          el("a", { class: "btn", href: base + "/stats", text: t("stats") }),
          el("a", { class: "btn btn-ghost", href: "/restaurants/" + place.id, text: t("page") }))));
  }

  async function load() {
    if (!signedIn()) {
      empty.textContent = t("signIn");
      empty.hidden = false;
      form.hidden = true;
      return;
    }
    try {
      const page = await CE.api("/restaurants/mine?limit=500");
      list.replaceChildren(...page.items.map(card));
      empty.textContent = t("noRestaurants");
      empty.hidden = page.items.length > 0;
    } catch (error) {
      showError(document.getElementById("mine-alert"), error);
    }
  }

  function body() {
    const value = (name) => form.elements[name].value.trim();
    const data = {
      name: value("name"), address: value("address"),
      cuisines: value("cuisines").split(",").map((c) => c.trim()).filter(Boolean),
      delivery_radius_m: Number(value("delivery_radius_m")), avg_prep_minutes: Number(value("avg_prep_minutes")),
    };
    if (value("lat") || value("lng")) data.position = { lat: Number(value("lat")), lng: Number(value("lng")) };
    return data;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const created = await CE.api("/restaurants", { method: "POST", body: body() });
      CE.toast(t("created"), "ok");
      window.location.assign("/kitchen/restaurants/" + created.id);
    } catch (error) {
      showError(document.getElementById("new-alert"), error);
    }
  });
  load();
})();
