// The customer's restaurant list: restaurants delivering to a position, nearest first.
(function () {
  "use strict";
  const { t, el, opening, showError } = CE.catalogue;
  const form = document.getElementById("search-restaurants");
  const list = document.getElementById("restaurant-results");
  const more = document.getElementById("find-more");
  const empty = document.getElementById("find-empty");
  const alertBox = document.getElementById("find-alert");
  const field = (name) => form.elements[name];
  const KEY = "ce.position";
  let next = null;

  function card(place) {
    const km = (place.distance_m / 1000).toLocaleString(CE.lang, { maximumFractionDigits: 1 });
    const photo = place.photo ? el("img", { src: place.photo.thumb, alt: "", class: "restaurant-thumb", loading: "lazy" }) : null;
    return el("li", { class: "card restaurant-card", "data-restaurant-id": place.id }, photo,
      el("div", { class: "stack-tight" },
        el("h3", {}, el("a", { href: "/restaurants/" + place.id, text: place.name })),
        el("p", { class: "muted", text: place.cuisines.join(" · ") }),
        el("p", { class: "row" }, opening(place), el("span", { text: t("away", { km }) }),
          el("span", { class: "muted", text: t("minutes", { n: place.avg_prep_minutes }) }))));
  }

  function query() {
    const params = new URLSearchParams({ lat: field("lat").value, lng: field("lng").value });
    ["q", "cuisine"].forEach((name) => field(name).value.trim() && params.set(name, field(name).value.trim()));
    if (field("open_now").checked) params.set("open_now", "true");
    return params;
  }

  async function search(append) {
    alertBox.hidden = true;
    if (!field("lat").value || !field("lng").value) {
      showError(alertBox, { message: t("noPosition") });
      return;
    }
    const params = query();
    if (append && next) params.set("cursor", next);
    localStorage.setItem(KEY, JSON.stringify({ address: field("address").value, lat: field("lat").value, lng: field("lng").value }));
    try {
      const page = await CE.api("/restaurants?" + params.toString());
      if (!append) list.replaceChildren();
      page.items.forEach((place) => list.append(card(place)));
      next = page.next_cursor;
      more.hidden = !next;
      empty.textContent = t("noneNearby");
      empty.hidden = list.children.length > 0;
    } catch (error) {
      showError(alertBox, error);
    }
  }

  function locate() {
    if (!navigator.geolocation) return showError(alertBox, { message: t("noGeolocation") });
    navigator.geolocation.getCurrentPosition((position) => {
      field("lat").value = position.coords.latitude.toFixed(6);
      field("lng").value = position.coords.longitude.toFixed(6);
      search(false);
    }, () => showError(alertBox, { message: t("noGeolocation") }), { timeout: 10000 });
  }

  // A link may carry the position (?lat=&lng=); else the last one searched from here.
  function prefill() {
    const url = new URLSearchParams(window.location.search);
    let saved = {};
    try { saved = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (error) { saved = {}; }
    ["address", "lat", "lng", "q", "cuisine"].forEach((name) => {
      const value = url.get(name) || (["address", "lat", "lng"].includes(name) ? saved[name] : "");
      if (value) field(name).value = value;
    });
    if (field("lat").value && field("lng").value) search(false);
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); search(false); });
  more.addEventListener("click", () => search(true));
  document.getElementById("find-locate").addEventListener("click", locate);
  prefill();
})();
