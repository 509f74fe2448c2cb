// One scan, any pass, in JS (wasm/pkg-node): SMART Health Cards and ICAO
// seals give the same verdicts as the native command line for the same
// inputs and trust (pinned seal signer, issuer JWK set, revocation list),
// and a changed byte is refused.
//
// Usage: node wasm/tests/node-formats.mjs PATH/TO/healthpass
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { Verifier } = require("../pkg-formats-node/healthpass_wasm.js");
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = process.argv[2];
const read = (p) => readFileSync(join(REPO, p), "utf8");

function fail(msg) { console.error(msg); process.exit(1); }

const snake = (o) => Object.fromEntries(Object.entries(o).map(([k, x]) =>
  [k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()), x && typeof x === "object" && !Array.isArray(x) ? snake(x) : x]));
const sorted = (o) => o && typeof o === "object" && !Array.isArray(o)
  ? Object.fromEntries(Object.keys(o).sort().map((k) => [k, sorted(o[k])])) : o;

const AT = "2026-11-29T00:00:00Z";
const T = Date.parse(AT) / 1000;
const JP = "tests/data/icao/JP-seal-signer.pem";
const JWKS = "tests/data/shc/example-issuer.jwks.json";
const CRL = "tests/data/shc/example-issuer.crl-3Kfdg.json";
const ISS = "https://spec.smarthealth.cards/examples/issuer"; // the example issuer: its keys are bound to it (issue 23)

function native(args, text) {
  try {
    return JSON.parse(execFileSync(CLI, ["verify", "--at", AT, "--json", ...args, text],
      { cwd: REPO, encoding: "utf8" }));
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout);
    throw e;
  }
}

// JS verifiers mirroring the native flags.
function jsVerifier({ trust = [], jwks = false, crl = false }) {
  let v = new Verifier(trust.map(read));
  if (jwks) v = v.withShcJwks(read(JWKS), ISS);
  if (crl) v = v.withShcRevocationList(read(CRL));
  return v;
}
function nativeArgs({ trust = [], jwks = false, crl = false }) {
  const args = [];
  for (const t of trust) args.push("--trust", t);
  if (jwks) args.push("--shc-jwks", `${JWKS}=${ISS}`);
  if (crl) args.push("--shc-crl", CRL);
  if (args.length === 0) args.push("--trust", "demo/trust.pem");
  return args;
}

const seal = read("tests/data/icao/ICAOJPQR1Contents.txt").trim();
const card = read("tests/data/shc/example-card.txt").trim();
const revoked = read("tests/data/shc/example-card-revoked.txt").trim();
const flipped = card.slice(0, 900) + (card[900] === "0" ? "1" : "0") + card.slice(901);
const real = ["SHCSenegalContents.txt", "SHCTestResultsContents.txt", "SHCWAVaxContents.txt"]
  .map((f) => read(`tests/data/shc/${f}`).trim());

const cases = [
  ["seal, signer pinned", { trust: [JP] }, seal, "icao-vacc"],
  ["seal, nothing pinned", { trust: ["demo/trust.pem"] }, seal, "untrusted"],
  ["card, jwks and crl", { jwks: true, crl: true }, card, "shc"],
  // The example key announces a revocation list (crlVersion): without it,
  // untrusted (fail closed, issue 22.12).
  ["card, jwks without its crl", { jwks: true }, card, "untrusted"],
  ["card, no jwks", {}, card, "untrusted"],
  ["card, a changed digit", { jwks: true, crl: true }, flipped, null],
  ["revoked card, jwks without its crl", { jwks: true }, revoked, "untrusted"],
  ["revoked card, jwks and crl", { jwks: true, crl: true }, revoked, "revoked"],
  ...real.map((text, i) => [`real card ${i + 1}`, { jwks: true }, text, "untrusted"]),
  ["unknown format", {}, "QR1:nothing", "unsupported"],
];
let n = 0;
for (const [name, trust, text, want] of cases) {
  const js = snake(jsVerifier(trust).verify(text, T));
  const cli = native(nativeArgs(trust), text);
  if (JSON.stringify(sorted(js)) !== JSON.stringify(sorted(cli))) {
    fail(`${name}: JS and native differ:\n${JSON.stringify(js)}\n${JSON.stringify(cli)}`);
  }
  const got = js.valid ? js.form : js.error_kind;
  if (want !== null && got !== want) fail(`${name}: ${got}, want ${want}`);
  if (want === null && js.valid) fail(`${name}: a changed card verified`);
  n++;
}
// A valid card names its issuer; a seal names none.
if (jsVerifier({ jwks: true, crl: true }).verify(card, T).issuer !== ISS) fail("a card's verdict does not name its issuer");
if ("issuer" in jsVerifier({ trust: [JP] }).verify(seal, T)) fail("a seal's verdict names an issuer");
// Health data only on request, and then the bundle / the seal's msg.
const v = jsVerifier({ trust: [JP], jwks: true, crl: true });
if (v.payload(card, T).resourceType !== "Bundle") fail("card payload is not the FHIR bundle");
if (v.payload(seal, T).pid.n !== "NIHON HANAKO") fail("seal payload is not its msg");
if (JSON.stringify(v.verify(card, T)).includes("Immunization")) fail("health data in a verdict");
let threw = false;
try { v.withShcJwks(read("tests/data/shc/example-issuer.jwks.private.json"), ISS); } catch { threw = true; }
if (!threw) fail("a private JWK set was accepted");
// Deriving leaves the verifier it came from as it was.
const base = new Verifier([read("demo/trust.pem")]);
const withKeys = base.withShcJwks(read(JWKS), ISS).withShcRevocationList(read(CRL));
if (base.shcKeyCount !== 0 || withKeys.shcKeyCount !== 2) fail(`derived: ${base.shcKeyCount}, ${withKeys.shcKeyCount}`);
if (base.verify(card, T).errorKind !== "untrusted" || !withKeys.verify(card, T).valid) fail("a derived verifier changed its base");
console.log(`node-formats: ${n} verdicts equal to native (shc, icao, unknown), payloads on request`);

// The default package reads HCERT only: the other formats are "unsupported", said so.
const plain = require("../pkg-node/healthpass_wasm.js");
const pv = new plain.Verifier([read("demo/trust.pem")]);
for (const text of [card, seal]) {
  const v = pv.verify(text, T);
  if (v.errorKind !== "unsupported" || !/feature/.test(v.reason)) fail(`default package: ${JSON.stringify(v)}`);
}
if (typeof pv.withShcJwks !== "undefined") fail("the default package has withShcJwks");
console.log("node-formats: the default package refuses shc and icao as unsupported");
