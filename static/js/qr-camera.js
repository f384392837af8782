// Reading a QR code with the camera: BarcodeDetector where the browser has it, jsQR elsewhere.
(function () {
  "use strict";
  let stream = null, frame = null, shown = null;

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

  // Films into `video` until a QR code is read, then stops and calls onText(text).
  // Rejects when there is no camera or it is refused.
  async function start(video, onText) {
    stop();
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    shown = video;
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const read = await detector();
    const look = async () => {
      if (!stream) return;
      const text = await read(video).catch(() => null);
      if (text) { stop(); onText(text); return; }
      frame = requestAnimationFrame(look);
    };
    look();
  }

  function stop() {
    if (frame) cancelAnimationFrame(frame);
    frame = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    if (shown) shown.hidden = true;
  }

  window.CE = window.CE || {};
  CE.qrCamera = { start, stop, active: () => !!stream };
})();
