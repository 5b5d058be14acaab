// Scanning a resident's check-in QR code with the device's camera (jsQR decodes each video frame in the browser; no
// image leaves the device). The code found is put in the form and submitted, as if typed. Without a camera, or
// without script, the page works as before: type the code, or find the person by name or phone.
(() => {
  const start = document.getElementById('scan-start');
  const panel = document.getElementById('scanner');
  const video = document.getElementById('scan-video');
  const status = document.getElementById('scan-status');
  const form = document.getElementById('check-in-form');
  const input = document.getElementById('code');
  if (!start || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof jsQR !== 'function') return;
  start.hidden = false;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stream = null;

  // Decodes one image (a video frame or any drawable) and submits the code it holds. Returns the code, or null.
  const decode = (source, width, height) => {
    if (!width || !height) return null;
    canvas.width = width;
    canvas.height = height;
    context.drawImage(source, 0, 0, width, height);
    const found = jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' });
    const code = found && found.data ? found.data.trim() : '';
    if (!/^[0-9A-Za-z]{4,16}$/.test(code)) return null;
    stop();
    input.value = code;
    form.requestSubmit();
    return code;
  };
  window.engagementCheckInDecode = decode;

  const stop = () => {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    panel.hidden = true;
    start.hidden = false;
  };

  const tick = () => {
    if (!stream) return;
    if (video.readyState >= 2 && decode(video, video.videoWidth, video.videoHeight)) return;
    requestAnimationFrame(tick);
  };

  start.addEventListener('click', async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (error) {
      status.textContent = start.dataset.denied || error.message;
      panel.hidden = false;
      return;
    }
    video.srcObject = stream;
    panel.hidden = false;
    start.hidden = true;
    await video.play();
    requestAnimationFrame(tick);
  });
  document.getElementById('scan-stop').addEventListener('click', stop);
})();
