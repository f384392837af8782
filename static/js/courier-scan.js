// Confirming a delivery: the customer's code typed, or their QR code scanned with the camera.
(function () {
  "use strict";
  const app = CE.courierApp;
  const $ = (id) => document.getElementById(id);
  const video = $("scan-video");
  let stream = null, frame = null;

  async function deliver(body) {
    const job = app.current();
    if (!job) return;
    try {
      await CE.api("/deliveries/" + job.id + "/deliver", { method: "POST", body });
      stop();
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

  // BarcodeDetector where the browser has it, jsQR on canvas frames elsewhere.
  async function detector() {
    if ("BarcodeDetector" in window) {
      const native = new window.BarcodeDetector({ formats: ["qr_code"] });
      return async (source) => ((await native.detect(source))[0] || {}).rawValue || null;
    }
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async (source) => {
      if (!source.videoWidth) return null;
      canvas.width = source.videoWidth;
      canvas.height = source.videoHeight;
      context.drawImage(source, 0, 0);
      const found = window.jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
      return found ? found.data : null;
    };
  }

  async function scan() {
    if (stream) { stop(); return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) { app.alertBox(app.t("noCamera")); return; }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const read = await detector();
    const look = async () => {
      if (!stream) return;
      const text = await read(video).catch(() => null);
      if (text) { stop(); deliver({ qr: text }); return; }
      frame = requestAnimationFrame(look);
    };
    look();
  }

  function stop() {
    if (frame) cancelAnimationFrame(frame);
    frame = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
  }

  $("deliver-form").addEventListener("submit", (event) => {
    event.preventDefault();
    deliver({ code: $("deliver-code").value });
  });
  $("scan-button").addEventListener("click", scan);
  CE.courierScan = { stop };
})();
