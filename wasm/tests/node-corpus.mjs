// The built Node package (wasm/pkg-formats-node) on the EU corpus: every pass with a
// signer certificate and a clock is verified in WASM and by the native
// command line, and the whole verdicts must be equal, field for field (the
// JS keys are the command line's, camelCased). Then the time of one verify
// of corpus pass AT/1 in Node.
//
// Usage: node wasm/tests/node-corpus.mjs PATH/TO/healthpass
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
// The formats package: like the command line (built with every format), it takes CA
// certificates in the trust list as ICAO seal CSCAs (the default package refuses them).
const { Verifier } = require("../pkg-formats-node/healthpass_wasm.js");
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = process.argv[2];
const CORPUS = join(REPO, "tests/data/dgc-testdata");

function rawFiles(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) rawFiles(p, out);
    else if (/\/2DCode\/[Rr]aw\/[^/]+\.json$/.test(p)) out.push(p);
  }
  return out;
}

// Corpus clocks come as `Z`, `+hhmm`, `+hh:mm` or without a zone (UTC).
function seconds(clock) {
  let c = clock.trim().replace(/([+-]\d\d)(\d\d)$/, "$1:$2");
  if (!/(Z|[+-]\d\d:\d\d)$/.test(c)) c += "Z";
  const ms = Date.parse(c);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

// camelCase keys back to the command line's snake_case, all the way down.
function snake(v) {
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()), snake(x)]));
}
function sorted(v) {
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
}

const tmp = mkdtempSync(join(tmpdir(), "hp-node-"));
let agreed = 0, disagreed = 0, valid = 0;
for (const file of rawFiles(CORPUS)) {
  let doc;
  try { doc = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, "")); } catch { continue; }
  const text = doc.PREFIX, cert = doc.TESTCTX?.CERTIFICATE, clock = doc.TESTCTX?.VALIDATIONCLOCK;
  if (!text || !cert || !clock || seconds(clock) === null) continue;
  const t = seconds(clock);
  let wasm;
  try {
    wasm = new Verifier([cert]).verify(text, t);
  } catch {
    wasm = { valid: false, errorKind: "bad_certificate" };
  }
  if (wasm.errorKind === "bad_certificate") wasm = { valid: false, errorKind: "bad_certificate" };
  const certFile = join(tmp, "cert.b64");
  writeFileSync(certFile, cert);
  let native;
  try {
    const at = new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const out = execFileSync(CLI, ["verify", "--trust", certFile, "--at", at, "--json", text],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    native = JSON.parse(out);
  } catch (e) {
    native = e.status === 1 ? JSON.parse(e.stdout) : { valid: false, error_kind: "bad_certificate" };
  }
  const same = JSON.stringify(sorted(snake(wasm))) === JSON.stringify(sorted(native));
  if (same) agreed++; else { disagreed++; console.log(`DIFFERS ${file.slice(CORPUS.length + 1)}: wasm ${JSON.stringify(wasm)} native ${JSON.stringify(native)}`); }
  if (wasm.valid) valid++;
}
console.log(`corpus: ${agreed} verdicts agree with native (${valid} valid), ${disagreed} differ`);

// The chained mode, in JS as in the command line: the same pass, the same
// verdict, and the same refusal of a signer its CSCA did not issue.
{
  const chains = (f) => join(REPO, "tests/data/chains", f);
  const read = (f) => readFileSync(chains(f), "utf8");
  const pass = read("p256-pass.txt").trim();
  const at = "2026-04-01T00:00:00Z";
  const js = Verifier.chained([read("dsc-p256.pem")], [read("csca-xa.pem")]).verify(pass, seconds(at));
  const native = JSON.parse(execFileSync(CLI, ["verify", "--trust", chains("dsc-p256.pem"), "--csca",
    chains("csca-xa.pem"), "--at", at, "--json", pass], { encoding: "utf8" }));
  if (!js.valid || JSON.stringify(sorted(snake(js))) !== JSON.stringify(sorted(native))) {
    throw new Error(`chained verdicts differ: wasm ${JSON.stringify(js)} native ${JSON.stringify(native)}`);
  }
  let refused = false;
  try { Verifier.chained([read("dsc-other-country.pem")], [read("csca-xa.pem")]); } catch (e) {
    refused = /country is not its csca's/.test(String(e.message));
  }
  if (!refused) throw new Error("a signer of another country must be refused under the XA CSCA");
  console.log("chained: the same verdict as native; a signer of another country refused");

  // A signed trust list (the demo signer, 2026-11-26 for 30 days): valid in
  // its life, untrusted after, in JS as in the command line.
  const list = readFileSync(chains("trust-list.cose"));
  const valid = readFileSync(join(REPO, "demo/valid.txt"), "utf8").trim();
  for (const when of ["2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"]) {
    const js = Verifier.fromTrustList(list, [read("dsc-p384.pem")], seconds("2026-11-26T12:00:00Z"))
      .verify(valid, seconds(when));
    let native;
    try {
      native = JSON.parse(execFileSync(CLI, ["verify", "--trust-list", chains("trust-list.cose"),
        "--trust-anchor", chains("dsc-p384.pem"), "--at", when, "--json", valid], { encoding: "utf8" }));
    } catch (e) { native = JSON.parse(e.stdout); }
    const same = JSON.stringify(sorted(snake(js))) === JSON.stringify(sorted(native));
    if (!same) throw new Error(`trust-list verdicts differ at ${when}: wasm ${JSON.stringify(js)} native ${JSON.stringify(native)}`);
  }
  console.log("signed trust list: the same verdicts as native, valid in its life and untrusted after");
}

// Time: AT/1, the pass the native benchmark uses.
const at1 = JSON.parse(readFileSync(join(CORPUS, "AT/2DCode/raw/1.json"), "utf8"));
const v = new Verifier([at1.TESTCTX.CERTIFICATE]);
const t = seconds(at1.TESTCTX.VALIDATIONCLOCK);
for (let i = 0; i < 50; i++) v.verify(at1.PREFIX, t);
const n = 500, start = process.hrtime.bigint();
for (let i = 0; i < n; i++) if (!v.verify(at1.PREFIX, t).valid) throw new Error("AT/1 must verify");
const us = Number(process.hrtime.bigint() - start) / 1000 / n;
console.log(`node verify of AT/1: ${us.toFixed(1)} µs per pass (${n} runs, Node ${process.version})`);
process.exit(disagreed || !agreed ? 1 : 0);
