// End to end in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): serve wasm/www, verify a valid and a tampered pass as
// text and a pass from a QR image, assert the verdicts shown, and save
// screenshots under target/.
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const SHOTS = join(REPO, "target", "wasm-e2e");
mkdirSync(SHOTS, { recursive: true });
const demo = (f) => readFileSync(join(REPO, "demo", f), "utf8").trim();

let passed = 0, failed = 0;
function check(name, ok, detail = "") {
  if (ok) { passed++; console.log(`ok      ${name}`); } else { failed++; console.log(`FAILED  ${name} ${detail}`); }
}

// A fake camera: a Y4M video (one 1280x720 frame, looped) showing the demo
// pass's QR code (demo/valid.png, an 8-bit grey PNG decoded here) small in
// a cluttered grey frame, for Chromium's --use-file-for-fake-video-capture.
function greyPng(bytes) {
  let pos = 8, w = 0, h = 0;
  const idat = [];
  while (pos < bytes.length) {
    const n = bytes.readUInt32BE(pos), kind = bytes.toString("latin1", pos + 4, pos + 8);
    if (kind === "IHDR") { w = bytes.readUInt32BE(pos + 8); h = bytes.readUInt32BE(pos + 12); }
    if (kind === "IDAT") idat.push(bytes.subarray(pos + 8, pos + 8 + n));
    pos += 12 + n;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (w + 1)];
    for (let x = 0; x < w; x++) {
      const a = x ? out[y * w + x - 1] : 0, b = y ? out[(y - 1) * w + x] : 0, c = x && y ? out[(y - 1) * w + x - 1] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      out[y * w + x] = (raw[y * (w + 1) + 1 + x] + pred) & 255;
    }
  }
  return { w, h, pixels: out };
}
const camera = join(mkdtempSync(join(tmpdir(), "hp-camera-")), "pass.y4m");
{
  const W = 1280, H = 720, code = greyPng(readFileSync(join(REPO, "demo", "valid.png")));
  const y = new Uint8Array(W * H).map((_, i) => 120 + ((i * 7919) % 23));
  for (let r = 0; r < code.h && 70 + r < H; r++) {
    for (let c = 0; c < code.w && 350 + c < W; c++) y[(70 + r) * W + 350 + c] = code.pixels[r * code.w + c];
  }
  const chroma = new Uint8Array((W / 2) * (H / 2)).fill(128);
  writeFileSync(camera, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, chroma, chroma]));
}

const server = await serve(0);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "hp-chromium-")), {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
         `--use-file-for-fake-video-capture=${camera}`],
});
try {
  const page = await browser.newPage();
  // The demo light pass lives a week (2026-11-25T10:00Z to 2026-12-02T10:00Z):
  // the page's clock is set inside it.
  await page.clock.setFixedTime(new Date("2026-11-26T12:00:00Z"));
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  check("page loads and trusts the demo signer", (await page.textContent("#trust-status")).startsWith("1 trusted"));

  async function verifyText(text) {
    await page.fill("#pass-text", text);
    await page.click("#verify-text");
    return page.textContent("#verdict-title");
  }

  check("valid pass shows Valid", (await verifyText(demo("valid.txt"))) === "Valid");
  check("valid pass shows the name", (await page.textContent("#v-name")) === "Gabriele Musterfrau-Gößinger");
  check("valid pass shows the date of birth", (await page.textContent("#v-dob")) === "1964-08-12");
  check("valid pass shows no health data", !(await page.textContent("body")).includes("840539006")
        && await page.isHidden("#health"));
  check("green", (await page.getAttribute("#verdict", "class")).includes("valid"));
  await page.screenshot({ path: join(SHOTS, "valid.png"), fullPage: true });

  await page.click("#show-health");
  check("health details only on request", (await page.textContent("#health")).includes("840539006"));

  check("tampered pass shows Invalid", (await verifyText(demo("tampered.txt"))) === "Invalid");
  check("tampered pass says why", (await page.textContent("#verdict-reason")).startsWith("Signature does not match"));
  check("red", (await page.getAttribute("#verdict", "class")).includes("invalid"));
  check("no name on an invalid pass", await page.isHidden("#verdict-details"));
  await page.screenshot({ path: join(SHOTS, "tampered.png"), fullPage: true });

  check("light pass", (await verifyText(demo("light.txt"))) === "Valid"
        && (await page.textContent("#v-kind")).startsWith("Light pass"));

  // Entry rules: a test result is authentic, but not admitted under 2G.
  check("test pass without rules", (await verifyText(demo("valid-test.txt"))) === "Valid");
  await page.selectOption("#rules", "2g");
  check("test pass under 2G is refused", (await page.textContent("#verdict-title")) === "Invalid"
        && (await page.textContent("#verdict-reason")) === "Not admitted under these entry rules"
        && await page.isHidden("#verdict-details"));
  await page.screenshot({ path: join(SHOTS, "rules-2g.png"), fullPage: true });
  check("vaccination under 2G is admitted", (await verifyText(demo("valid.txt"))) === "Valid");
  // A rule file with one country's rule, and the country of arrival.
  const ruleFile = join(SHOTS, "xx-rules.json");
  writeFileSync(ruleFile, JSON.stringify({
    Identifier: "VR-XX-0002", Type: "Acceptance", Country: "XX", Version: "1.0.0", SchemaVersion: "1.0.0",
    Engine: "CERTLOGIC", EngineVersion: "0.7.5", CertificateType: "Vaccination",
    ValidFrom: "2026-01-01T00:00:00Z", ValidTo: "2030-01-01T00:00:00Z", AffectedFields: ["v.0.dn"],
    Description: [{ lang: "en", desc: "the dose number must be below zero" }],
    Logic: { "<": [{ var: "payload.v.0.dn" }, 0] },
  }));
  await page.setInputFiles("#rules-file", ruleFile);
  await page.waitForFunction(() => document.querySelector("#rules-status").textContent.startsWith("1 rule"));
  await page.fill("#country", "xx");
  check("a country's failed rule is named", (await verifyText(demo("valid.txt"))) === "Invalid"
        && (await page.textContent("#verdict-reason")) === "Not admitted under these entry rules (failed: VR-XX-0002)");
  await page.screenshot({ path: join(SHOTS, "rules-file.png"), fullPage: true });
  await page.fill("#country", "");
  await page.selectOption("#rules", "");

  check("a DVC shows its form and no end from exp", (await verifyText(demo("dvc.txt"))) === "Valid"
        && (await page.textContent("#v-kind")) === "Digital Vaccination Certificate (ICVP)"
        && (await page.textContent("#v-name")) === "Amina Okafor");
  await page.screenshot({ path: join(SHOTS, "dvc.png"), fullPage: true });

  await page.fill("#pass-text", "");
  await page.setInputFiles("#qr-file", join(REPO, "demo", "valid.png"));
  await page.waitForFunction(() => document.querySelector("#pass-text").value.startsWith("HC1:"));
  check("QR image decodes and verifies", (await page.textContent("#verdict-title")) === "Valid"
        && (await page.inputValue("#pass-text")) === demo("valid.txt"));
  await page.screenshot({ path: join(SHOTS, "qr-image.png"), fullPage: true });

  // The camera: frames straight from the canvas to decodeQrFrame.
  await page.fill("#pass-text", "");
  await page.click("#camera");
  await page.waitForFunction(() => document.querySelector("#pass-text").value.startsWith("HC1:"), null, { timeout: 30000 });
  const fps = Number(await page.getAttribute("#video", "data-fps"));
  check("the camera reads the pass from its frames and verifies it", (await page.textContent("#verdict-title")) === "Valid"
        && (await page.inputValue("#pass-text")) === demo("valid.txt") && await page.isHidden("#video"), `fps ${fps}`);
  console.log(`camera loop: ${fps} frames a second (1280x720, headless, until the first pass)`);
  await page.screenshot({ path: join(SHOTS, "camera.png"), fullPage: true });

  const offsite = requests.filter((r) => !r.startsWith(url));
  check("nothing leaves 127.0.0.1", offsite.length === 0, offsite.join(" "));

  // Offline once loaded: the service worker serves the page and package.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  await browser.setOffline(true);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  check("works offline once loaded", (await verifyText(demo("valid.txt"))) === "Valid");
  await page.screenshot({ path: join(SHOTS, "offline.png"), fullPage: true });
  await browser.setOffline(false);
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
console.log(`${passed} passed, ${failed} failed (screenshots in ${SHOTS})`);
process.exit(failed || !passed ? 1 : 0);
