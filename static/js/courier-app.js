// The courier app: online switch, GPS streaming, offers with a countdown, the delivery in hand.
(function () {
  "use strict";
  const texts = JSON.parse(document.getElementById("page-messages").textContent);
  const $ = (id) => document.getElementById(id);
  const locale = CE.lang === "en" ? "en-GB" : "fr-FR";
  const euros = (cents) => new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(cents / 100);
  const km = (m) => (m / 1000).toLocaleString(locale, { maximumFractionDigits: 1 });
  const t = (key, values) => Object.entries(values || {}).reduce((s, [k, v]) => s.replace("{" + k + "}", v), texts[key] || key);
  const GPS_EVERY_MS = 4000;
  let offer = null, countdown = null, job = null, map = null, watch = null, lastSent = 0, here = null;

  function alertBox(message) { $("courier-alert").textContent = message || ""; $("courier-alert").hidden = !message; }
  function state(message) { $("courier-state").textContent = message; }
  function failed(error) { alertBox((error && (error.message || error.detail)) || t("failed")); }

  // A client event on the page's live connection with its ack, or the REST call when it is down.
  async function emit(name, data, fallback) {
    if (!CE.live || !CE.live.connected) return fallback();
    const ack = await CE.live.emit(name, data).catch(() => { throw new Error(t("connection")); });
    if (!ack.ok) throw Object.assign(new Error(ack.detail || ack.error), { ack });
    return ack;
  }

  function setOnline(online) {
    $("online-switch").checked = online;
    $("online-label").textContent = online ? t("online") : t("offline");
    state(online ? (job ? "" : t("waiting")) : t("paused"));
    if (online) startGps(); else stopGps();
  }

  async function toggle() {
    const online = $("online-switch").checked;
    try {
      const ack = await emit("availability", { online },
        () => CE.api("/courier/availability", { method: "PUT", body: { online } }));
      setOnline(ack.online);
      alertBox(null);
    } catch (error) { $("online-switch").checked = !online; failed(error); }
  }

  function sendFix(position) {
    const now = Date.now();
    if (now - lastSent < GPS_EVERY_MS) return;
    lastSent = now;
    const c = position.coords;
    const fix = { lat: c.latitude, lng: c.longitude, ts: position.timestamp || now,
      accuracy: c.accuracy == null ? undefined : Math.min(c.accuracy, 5000) };
    if (c.heading != null && !Number.isNaN(c.heading)) fix.heading = c.heading;
    if (c.speed != null && !Number.isNaN(c.speed)) fix.speed = Math.min(c.speed, 70);
    here = fix;
    if (map) map.place("courier", fix);
    emit("gps", fix, () => CE.api("/courier/location", { method: "POST", body: fix })).catch(() => null);
  }

  function startGps() {
    if (watch !== null) return;
    if (!navigator.geolocation) { alertBox(t("noGeolocation")); return; }
    watch = navigator.geolocation.watchPosition(sendFix, () => alertBox(t("noGeolocation")),
      { enableHighAccuracy: true, maximumAge: 2000, timeout: 20000 });
  }

  function stopGps() { if (watch !== null) navigator.geolocation.clearWatch(watch); watch = null; }

  function showOffer(next) {
    offer = next;
    clearInterval(countdown);
    $("offer").hidden = !offer;
    if (!offer) return;
    $("offer-restaurant").textContent = offer.restaurant.name + " — " + offer.restaurant.address;
    $("offer-distance").textContent = t("distance", { km: km(offer.distance_to_restaurant_m), trip: km(offer.trip_m) });
    $("offer-pay").textContent = euros(offer.pay_cents);
    const ends = new Date(offer.expires_at).getTime(), total = offer.timeout_s * 1000;
    const tick = () => {
      const left = Math.max(0, ends - Date.now());
      $("offer-countdown").value = (100 * left) / total;
      $("offer-left").textContent = t("secondsLeft", { n: Math.ceil(left / 1000) });
      if (left <= 0) showOffer(null);
    };
    tick();
    countdown = setInterval(tick, 250);
    CE.toast(t("newOffer"), "ok");
  }

  async function answer(accepting) {
    if (!offer) return;
    const id = offer.delivery_id;
    try {
      if (accepting) {
        const ack = await emit("offer.accept", { delivery_id: id },
          async () => ({ delivery: await CE.api("/deliveries/" + id + "/accept", { method: "POST", body: {} }) }));
        showJob(ack.delivery);
      } else {
        await emit("offer.decline", { delivery_id: id },
          () => CE.api("/deliveries/" + id + "/decline", { method: "POST", body: {} }));
      }
    } catch (error) { CE.toast(t("offerGone"), "error"); }
    showOffer(null);
  }

  function showJob(delivery) {
    job = delivery && ["assigned", "picked_up"].includes(delivery.status) ? delivery : null;
    $("job").hidden = !job;
    if (!job) { if (CE.courierScan) CE.courierScan.stop(); state($("online-switch").checked ? t("waiting") : t("paused")); return; }
    state("");
    const toCustomer = job.status === "picked_up";
    $("job-step").textContent = toCustomer ? t("toCustomer") : t("toRestaurant");
    $("job-place").textContent = toCustomer ? (job.customer && job.customer.address) || "" : job.restaurant.name;
    $("job-address").textContent = toCustomer ? "" : job.restaurant.address;
    $("pickup-box").hidden = toCustomer || !job.pickup_code;
    if (job.pickup_code) {
      $("pickup-code").textContent = job.pickup_code.code;
      $("pickup-qr").innerHTML = job.pickup_code.qr_svg;  // SVG made by our server from digits only
    }
    $("deliver-form").hidden = !toCustomer;
    map = map || CE.courierMap.create($("job-map"));
    map.place("restaurant", job.restaurant.position);
    map.place("customer", job.customer && job.customer.position);
    map.place("courier", here);
    map.refresh();
    map.fit();
  }

  async function refreshJob() {
    const page = await CE.api("/deliveries?status=active&limit=5");
    showJob(page.items.find((d) => d.status === "picked_up") || page.items[0] || null);
    loadHistory();
  }

  async function loadHistory() {
    const [earnings, done] = await Promise.all([CE.api("/courier/earnings"), CE.api("/deliveries?status=done&limit=10")]);
    const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Paris" });
    const day = earnings.by_day.find((p) => p.period === today);
    const week = earnings.by_week[earnings.by_week.length - 1];
    $("earnings").replaceChildren(...[[t("today"), day], [t("thisWeek"), week]].flatMap(([label, total]) => {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = label;
      dd.textContent = euros(total ? total.pay_cents : 0) + " · " + t("deliveries", { n: total ? total.deliveries : 0 });
      return [dt, dd];
    }));
    $("history").replaceChildren(...(done.items.length ? done.items : [null]).map((d) => {
      const li = document.createElement("li");
      li.textContent = d ? new Date(d.delivered_at || d.created_at).toLocaleString(locale, { dateStyle: "short", timeStyle: "short" })
        + " — " + d.restaurant.name + " — " + euros(d.pay_cents) : t("noDeliveries");
      return li;
    }));
  }

  // Offers, the delivery's changes and reconnections come through CE.live, the page's one socket;
  // its notification centre shows the notifications.
  function connect() {
    if (!CE.live) return;
    let seen = false;
    CE.live.on("delivery.offer", (payload) => showOffer(payload.data));
    CE.live.on("delivery.updated", () => refreshJob().catch(failed));
    CE.live.onState((up) => {
      seen = seen || up;
      $("courier-live").hidden = up || !seen;
      if (!up && seen) $("courier-live").textContent = t("connection");
    });
    CE.live.onConnect(() => {
      // what was pushed while the socket was away: the offer in front of us, the job's state
      CE.api("/courier/offer").then(showOffer, () => showOffer(null));
      refreshJob().catch(() => null);
    });
  }

  async function start() {
    if (!CE.tokens.access) { alertBox(t("signInFirst")); return; }
    try {
      const now = await CE.api("/courier/availability");
      $("online-switch").disabled = false;
      setOnline(now.online);
      await refreshJob();
    } catch (error) { failed(error.status === 403 ? { message: t("signInFirst") } : error); return; }
    connect();
  }

  $("online-switch").addEventListener("change", toggle);
  $("offer-accept").addEventListener("click", () => answer(true));
  $("offer-decline").addEventListener("click", () => answer(false));
  CE.courierApp = { t, alertBox, current: () => job, refreshJob, showJob };
  start();
})();
