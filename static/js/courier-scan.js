// Confirming a delivery: the customer's code typed, or their QR code scanned with the camera.
(function () {
  "use strict";
  const app = CE.courierApp;
  const $ = (id) => document.getElementById(id);

  async function deliver(body) {
    const job = app.current();
    if (!job) return;
    try {
      await CE.api("/deliveries/" + job.id + "/deliver", { method: "POST", body });
      CE.qrCamera.stop();
      $("deliver-code").value = "";
      app.alertBox(null);
      CE.toast(app.t("delivered"), "ok");
      await app.refreshJob();
    } catch (error) {
      const problem = error.problem || {};
      if (problem.attempts_left !== undefined) app.alertBox(app.t("wrongCode", { n: problem.attempts_left }));
      else if (error.status === 409 && String(problem.type).endsWith("code-locked")) app.alertBox(app.t("locked"));
      else app.alertBox(error.message || app.t("failed"));
    }
  }

  async function scan() {
    if (CE.qrCamera.active()) { CE.qrCamera.stop(); return; }
    try {
      await CE.qrCamera.start($("scan-video"), (text) => deliver({ qr: text }));
    } catch (error) { app.alertBox(app.t("noCamera")); }
  }

  $("deliver-form").addEventListener("submit", (event) => {
    event.preventDefault();
    deliver({ code: $("deliver-code").value });
  });
  $("scan-button").addEventListener("click", scan);
  CE.courierScan = { stop: () => CE.qrCamera.stop() };
})();
