// The verifier page: everything happens here, in the browser.
import init, { Verifier, decodeQrFrame, decodeQrImage } from "./pkg/healthpass_wasm.js";

const $ = (id) => document.getElementById(id);
const certs = [];
let verifier = null;
let lastText = null;

const FORM = {
  full: "Health certificate", light: "Light pass (no health data)", exemption: "Medical exemption",
  "ddcc-vaccination": "WHO DDCC: vaccination", "ddcc-test": "WHO DDCC: test result",
  dvc: "Digital Vaccination Certificate (ICVP)",
};
const REASON = {
  malformed: "Not a readable pass", unsupported: "Unsupported pass", untrusted: "Signer not trusted",
  bad_signature: "Signature does not match: the pass was altered or forged", not_yet_valid: "Not valid yet",
  expired: "Expired", revoked: "Revoked", internal: "Internal error",
  rejected_by_rules: "Not admitted under these entry rules",
};

function now() { return Math.floor(Date.now() / 1000); }

let ruleFile = null; // the text of a loaded rule file

function rebuild() {
  verifier = new Verifier(certs);
  const choice = $("rules").value;
  if (choice === "file" && ruleFile !== null) verifier = verifier.withRules(ruleFile);
  else if (choice && choice !== "file") verifier = verifier.withPreset(choice);
  $("trust-status").textContent = `${verifier.certificateCount} trusted certificate(s).`;
}

// The country of arrival, for rule files with countries' rules.
function policy() {
  const country = $("country").value.trim().toUpperCase();
  return country ? { country } : undefined;
}

function show(verdict) {
  const box = $("verdict");
  box.className = "verdict " + (verdict.valid ? "valid" : "invalid");
  $("verdict-title").textContent = verdict.valid ? "Valid" : "Invalid";
  $("verdict-details").hidden = !verdict.valid;
  $("verdict-reason").hidden = verdict.valid;
  $("show-health").hidden = !verdict.valid || verdict.form === "light";
  $("health").hidden = true;
  if (verdict.valid) {
    // textContent: text from the pass is never markup.
    $("v-name").textContent = verdict.holder.name || "—";
    $("v-dob").textContent = verdict.holder.dateOfBirth || "—";
    $("v-until").textContent = verdict.validUntil ? new Date(verdict.validUntil).toLocaleString() : "no expiry";
    $("v-kind").textContent = FORM[verdict.form] ?? verdict.form;
  } else {
    const failed = verdict.admission?.failedRules ?? [];
    $("verdict-reason").textContent = (REASON[verdict.errorKind] ?? verdict.errorKind)
      + (failed.length ? ` (failed: ${failed.join(", ")})` : "");
  }
}

function check(text) {
  lastText = text.trim();
  show(verifier.verify(lastText, now(), policy()));
}

function showError(message) {
  show({ valid: false, errorKind: message });
}

async function readFile(input) {
  const file = input.files[0];
  return file ? new Uint8Array(await file.arrayBuffer()) : null;
}

async function main() {
  await init();
  try {
    certs.push(await (await fetch("demo-trust.pem")).text());
  } catch (_) { /* offline without the demo signer */ }
  rebuild();

  $("verify-text").addEventListener("click", () => check($("pass-text").value));
  $("rules").addEventListener("change", () => {
    rebuild();
    if (lastText) check(lastText);
  });
  $("country").addEventListener("change", () => { if (lastText) check(lastText); });
  $("rules-file").addEventListener("change", async (e) => {
    const bytes = await readFile(e.target);
    if (!bytes) return;
    const text = new TextDecoder().decode(bytes);
    try {
      const probe = new Verifier(certs).withRules(text); // throws for a file that fails the rule schema
      ruleFile = text;
      $("rules").querySelector("option[value=file]").disabled = false;
      $("rules").value = "file";
      $("rules-status").textContent = `${probe.ruleCount} rule(s) loaded.`;
      rebuild();
      if (lastText) check(lastText);
    } catch (err) {
      $("rules-status").textContent = "Not a rule file: " + err.message;
    }
  });
  $("qr-file").addEventListener("change", async (e) => {
    const bytes = await readFile(e.target);
    if (!bytes) return;
    try {
      const text = decodeQrImage(bytes);
      $("pass-text").value = text;
      check(text);
    } catch (err) {
      showError("No readable QR code in the image");
    }
  });
  $("trust-file").addEventListener("change", async (e) => {
    const bytes = await readFile(e.target);
    if (!bytes) return;
    const text = new TextDecoder().decode(bytes);
    try {
      new Verifier([text]);
      certs.push(text);
      rebuild();
    } catch (err) {
      $("trust-status").textContent = "Not a certificate file: " + err.message;
    }
  });
  $("show-health").addEventListener("click", () => {
    const payload = verifier.payload(lastText, now());
    $("health").textContent = JSON.stringify(payload, null, 2);
    $("health").hidden = false;
  });
  $("camera").addEventListener("click", startCamera);
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  }
  document.body.dataset.ready = "true";
}

async function startCamera() {
  if (!navigator.mediaDevices?.getUserMedia) {
    showError("No camera available in this browser");
    return;
  }
  const video = $("video");
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  // The canvas's pixels go to the decoder as they are (no image file in
  // between); the loop stops on the first code that is a pass, and keeps the frame rate it measures in data-fps (for the e2e test).
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let frames = 0;
  const started = performance.now();
  const scan = () => {
    if (video.hidden) return;
    if (video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      frames++;
      video.dataset.fps = (frames / ((performance.now() - started) / 1000)).toFixed(1);
      let text = null;
      try {
        text = decodeQrFrame(context.getImageData(0, 0, canvas.width, canvas.height));
      } catch (_) {
        // No code in this frame: the next one.
      }
      // A code that is a pass (valid or not) ends the scan; any other
      // code (a menu, a URL) is passed over.
      const verdict = text === null ? null : verifier.verify(text, now(), policy());
      if (verdict && (verdict.valid || !["malformed", "unsupported"].includes(verdict.errorKind))) {
        stream.getTracks().forEach((t) => t.stop());
        video.hidden = true;
        $("pass-text").value = text;
        check(text);
        return;
      }
    }
    requestAnimationFrame(scan);
  };
  requestAnimationFrame(scan);
}

main();
