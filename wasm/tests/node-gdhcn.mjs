// The GDHCN package (wasm/pkg-gdhcn-node): a WHO GDHCN DID trust list loaded
// in JS gives the same signers and the same verdicts as the native command
// line (`verify --gdhcn-list … --domain DCC`); another signer or a changed
// byte is refused; the default package has no fromGdhcn at all.
//
// Usage: node wasm/tests/node-gdhcn.mjs PATH/TO/healthpass
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { Verifier, TrustStore } = require("../pkg-gdhcn-node/healthpass_wasm.js");
const plain = require("../pkg-node/healthpass_wasm.js");
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = process.argv[2];
const G = join(REPO, "tests/data/gdhcn");
const list = readFileSync(join(G, "trustlists/dev-v2-root.did.json"), "utf8");
const dev = readFileSync(join(G, "signers/who-signing-dev.did.json"), "utf8");
const uat = readFileSync(join(G, "signers/who-signing-uat.did.json"), "utf8");

function fail(msg) { console.error(msg); process.exit(1); }

const start = process.hrtime.bigint();
const v = Verifier.fromGdhcn(list, dev, ["DCC"]);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
if (v.certificateCount !== 37 || v.gdhcnLeftOut !== 1) {
  fail(`DCC: ${v.certificateCount} signers, ${v.gdhcnLeftOut} left out (want 37 and 1, as native)`);
}
const snake = (o) => Object.fromEntries(Object.entries(o).map(([k, x]) =>
  [k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()), x && typeof x === "object" && !Array.isArray(x) ? snake(x) : x]));
const sorted = (o) => o && typeof o === "object" && !Array.isArray(o)
  ? Object.fromEntries(Object.keys(o).sort().map((k) => [k, sorted(o[k])])) : o;
for (const sample of ["DVCTestQR.txt", "EUQR1Contents.txt"]) {
  const text = readFileSync(join(G, "samples", sample), "utf8").trim();
  const at = "2026-11-28T00:00:00Z";
  const js = snake(v.verify(text, Date.parse(at) / 1000));
  let native;
  try {
    native = JSON.parse(execFileSync(CLI, ["verify", "--gdhcn-list", join(G, "trustlists/dev-v2-root.did.json"),
      "--gdhcn-signer", join(G, "signers/who-signing-dev.did.json"), "--domain", "DCC", "--at", at, "--json", text],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  } catch (e) { native = JSON.parse(e.stdout); }
  if (JSON.stringify(sorted(js)) !== JSON.stringify(sorted(native))) fail(`${sample}: wasm ${JSON.stringify(js)} native ${JSON.stringify(native)}`);
}
for (const [what, doc, signer] of [
  ["another environment's signer", list, uat],
  ["a changed byte", list.replace("MIIC", "MIID"), dev],
]) {
  let threw = false;
  try { Verifier.fromGdhcn(doc, signer); } catch { threw = true; }
  if (!threw) fail(`${what} must be refused`);
}
// Into a trust store beside other directories (issue 23): the report of
// `verify --gdhcn-list … --trust …` on stderr, in the report's words.
const store = new TrustStore();
store.load(readFileSync(join(REPO, "demo/trust.pem")));
const report = store.loadGdhcn(list, dev, ["DCC"]);
if (report.frameworks.hcert !== 37 || report.refused.length !== 1 || !report.refused[0].entry.endsWith("#ABCDEFGH")) {
  fail(`store: ${JSON.stringify(report)}`);
}
let threw = false;
try { store.loadGdhcn(list, uat, ["DCC"]); } catch { threw = true; }
if (!threw || store.signerCount !== 38) fail(`store: another signer loaded (${store.signerCount})`);
const both = Verifier.fromStore(store);
if (!both.verify(readFileSync(join(REPO, "demo/valid.txt"), "utf8"), Date.parse("2026-12-01T00:00:00Z") / 1000).valid) fail("store: the demo pass beside the gdhcn list");
if (typeof plain.Verifier.fromGdhcn !== "undefined") fail("the default package must not carry the GDHCN code");
console.log(`gdhcn package: dev list proof verified and 37 DCC signers chained in ${ms.toFixed(0)} ms (Node ${process.version}); verdicts equal to native; another signer and a changed byte refused`);
