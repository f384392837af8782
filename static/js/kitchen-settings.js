// A restaurant's settings for its owner: details, position, hours, closures, switch, photo.
(function () {
  "use strict";
  const { t, el, showError } = CE.catalogue;
  const form = document.getElementById("settings-form");
  const id = form.dataset.restaurantId;
  const path = "/restaurants/" + id;
  const field = (name) => form.elements[name];
  const alertBox = document.getElementById("settings-alert");

  function rangeRow(range) {
    const row = el("div", { class: "row hours-range" },
      el("input", { type: "time", class: "range-open", value: range.open, "aria-label": "open", required: true }),
      el("span", { text: "–" }),
      el("input", { type: "time", class: "range-close", value: range.close, "aria-label": "close", required: true }));
    row.append(el("button", { type: "button", class: "btn btn-ghost", text: t("remove"), onclick: () => row.remove() }));
    return row;
  }

  function hoursEditor(days) {
    document.getElementById("hours-days").replaceChildren(...t("days").map((name, index) => {
      const ranges = el("div", { class: "stack-tight", "data-day": index }, (days[index] || []).map(rangeRow));
      return el("div", { class: "hours-day row" }, el("strong", { class: "day-name", text: name }), ranges,
        el("button", { type: "button", class: "btn", text: t("addRange"),
          onclick: () => ranges.append(rangeRow({ open: "12:00", close: "14:00" })) }));
    }));
  }

  const readHours = () => ({ days: [...document.querySelectorAll("#hours-days [data-day]")].map((day) =>
    [...day.querySelectorAll(".hours-range")].map((row) => ({
      open: row.querySelector(".range-open").value, close: row.querySelector(".range-close").value }))) });

  function closureRow(value) {
    const row = el("div", { class: "row" }, el("input", { type: "date", class: "closure-date", value: value || "" }));
    row.append(el("button", { type: "button", class: "btn btn-ghost", text: t("remove"), onclick: () => row.remove() }));
    return row;
  }

  function fill(place) {
    ["name", "description", "address", "timezone", "delivery_radius_m", "avg_prep_minutes"]
      .forEach((name) => { field(name).value = place[name]; });
    field("cuisines").value = place.cuisines.join(", ");
    field("lat").value = place.position.lat;
    field("lng").value = place.position.lng;
    field("is_open").checked = place.is_open;
    hoursEditor(place.hours.days);
    document.getElementById("closure-dates").replaceChildren(...place.closures.map(closureRow));
    showPhoto(place.photo);
    form.removeAttribute("aria-busy");
  }

  function showPhoto(photo) {
    const image = document.getElementById("settings-photo");
    if (photo) Object.assign(image, { src: photo.large, hidden: false });
  }

  function body() {
    const value = (name) => field(name).value.trim();
    return {
      name: value("name"), description: field("description").value, address: value("address"),
      cuisines: value("cuisines").split(",").map((c) => c.trim()).filter(Boolean),
      position: { lat: Number(value("lat")), lng: Number(value("lng")) }, timezone: value("timezone"),
      delivery_radius_m: Number(value("delivery_radius_m")), avg_prep_minutes: Number(value("avg_prep_minutes")),
      is_open: field("is_open").checked, hours: readHours(),
      closures: [...document.querySelectorAll(".closure-date")].map((i) => i.value).filter(Boolean),
    };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    alertBox.hidden = true;
    try {
      fill(await CE.api(path, { method: "PATCH", body: body() }));
      CE.toast(t("saved"), "ok");
    } catch (error) {
      showError(alertBox, error);
    }
  });

  document.getElementById("add-closure").addEventListener("click", () =>
    document.getElementById("closure-dates").append(closureRow("")));

  document.getElementById("photo-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const data = new FormData();
    data.append("photo", file);
    try {
      showPhoto(await CE.api(path + "/photo", { method: "PUT", body: data }));
      CE.toast(t("photoSaved"), "ok");
    } catch (error) {
      showError(document.getElementById("photo-alert"), error);
    }
  });

  document.getElementById("delete-restaurant").addEventListener("click", async () => {
    if (!window.confirm(t("confirmDelete"))) return;
    try {
      await CE.api(path, { method: "DELETE" });
      window.location.assign("/kitchen/restaurants");
    } catch (error) {
      showError(alertBox, error);
    }
  });

  CE.api(path).then(fill).catch((error) => showError(alertBox, error));
})();
