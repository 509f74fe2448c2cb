// Trust directories in JS (issue 23; wasm/pkg-formats-node): `TrustStore`
// loads the real ICAO master list, PathCheck registry and signed VCI
// snapshot with the report the command line prints (`trust check --json`,
// the same words and numbers), refuses what it refuses, and
// `Verifier.fromStore` gives the native verdicts for real passes
// (`verify --trust …`).
//
// Usage: node wasm/tests/node-trust-store.mjs PATH/TO/healthpass
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const require = createRequire(import.meta.url);
const { TrustStore, Verifier } = require("../pkg-formats-node/healthpass_wasm.js");
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = process.argv[2];
const bytes = (p) => new Uint8Array(readFileSync(join(REPO, p)));
const text = (p) => readFileSync(join(REPO, p), "utf8").trim();
function fail(msg) { console.error(msg); process.exit(1); }
let checks = 0;
function same(what, got, want) {
  checks++;
  if (!isDeepStrictEqual(got, want)) {
    fail(`${what}:\n  js     ${JSON.stringify(got).slice(0, 400)}\n  native ${JSON.stringify(want).slice(0, 400)}`);
  }
}
function throws(what, f) {
  checks++;
  try { f(); } catch { return; }
  fail(`${what}: did not throw`);
}
const cli = (args) => {
  try {
    return JSON.parse(execFileSync(CLI, args,
      { cwd: REPO, encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "ignore"] }));
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout);
    throw e;
  }
};

const DIR = "tests/data/directories";
const ICAO = `${DIR}/icao-health-cscas.pem`;
const REGISTRY = `${DIR}/pathcheck/registry.json`;
const VCI = `${DIR}/vci/vci_snapshot`;
const SNAPSHOT_AT = "2026-12-01T00:00:00Z";
const seconds = (iso) => Date.parse(iso) / 1000;

// Each directory alone: the JS report is the native one.
const store = new TrustStore();
const icao = store.load(bytes(ICAO), { source: ICAO });
same("icao report", icao, cli(["trust", "check", "--json", ICAO]));
same("icao counts", [icao.accepted, icao.frameworks.icao, icao.refused.length], [216, 213, 38]);
const vci = store.loadSigned(bytes(`${VCI}.json`), bytes(`${VCI}.sig`), bytes(`${VCI}.crt`),
  seconds(SNAPSHOT_AT), { source: `${VCI}.json` });
same("vci report", vci, cli(["trust", "check", "--json", "--at", SNAPSHOT_AT,
  "--vci-cert", `${VCI}.crt`, `${VCI}.json`]));
same("vci counts", [vci.frameworks.shc, vci.refused.length], [594, 2]);
const registry = new TrustStore().load(bytes(REGISTRY), { source: REGISTRY });
same("registry report", registry, cli(["trust", "check", "--json", REGISTRY]));
same("registry counts", [registry.frameworks.hcert, registry.frameworks.shc, registry.frameworks.icao,
  registry.refused.length], [827, 596, 213, 82]);
store.load(bytes(REGISTRY), { source: REGISTRY });
same("store counts", [store.cscaCount, store.signerCount > 800], [213, true]);

// What the store refuses, it refuses whole.
throws("strict", () => new TrustStore().load(bytes(ICAO), { strict: true }));
throws("a misspelt option", () => new TrustStore().load(bytes(ICAO), { strickt: true }));
throws("a jwk set without its issuer", () => new TrustStore().load(bytes("tests/data/shc/example-issuer.jwks.json")));
throws("an http issuer", () => new TrustStore().load(bytes("tests/data/shc/example-issuer.jwks.json"), { issuer: "http://x" }));
const changed = bytes(`${VCI}.json`);
changed[1000] ^= 1;
const untouched = new TrustStore();
throws("a changed snapshot", () => untouched.loadSigned(changed, bytes(`${VCI}.sig`), bytes(`${VCI}.crt`), seconds(SNAPSHOT_AT)));
throws("not a directory", () => untouched.load(new TextEncoder().encode("QR1:not a directory")));
same("nothing added", [untouched.signerCount, untouched.cscaCount], [0, 0]);
const bound = new TrustStore().load(bytes("tests/data/shc/example-issuer.jwks.json"),
  { issuer: "https://spec.smarthealth.cards/examples/issuer" });
same("a bound jwk set", bound.frameworks.shc, 2);

// Verdicts from the store: those of `verify --trust` with the same files.
const v = Verifier.fromStore(store);
// (The command line checks the snapshot's certificate at --at: it joins
// for the passes of its own time.)
const trustArgs = (at) => ["--trust", ICAO, "--trust", REGISTRY,
  ...(at === SNAPSHOT_AT ? ["--trust", `${VCI}.json`, "--vci-cert", `${VCI}.crt`] : [])];
for (const [pass, at] of [
  ["tests/data/icao/ICAOJPQR1Contents.txt", "2022-06-01T00:00:00Z"],
  ["tests/data/gdhcn/samples/EUQR1Contents.txt", "2021-07-01T00:00:00Z"],
  ["tests/data/gdhcn/samples/EUIndonesiaContents.txt", "2022-08-01T00:00:00Z"],
  ["tests/data/shc/SHCWAVaxContents.txt", SNAPSHOT_AT],
  ["tests/data/shc/SHCSenegalContents.txt", SNAPSHOT_AT],
  ["demo/valid.txt", SNAPSHOT_AT],
]) {
  const js = v.verify(text(pass), seconds(at));
  const native = cli(["verify", "--json", "--at", at, ...trustArgs(at), text(pass)]);
  same(`${pass}: valid`, js.valid, native.valid);
  same(`${pass}: class`, js.errorKind, native.error_kind ?? null);
  same(`${pass}: reason`, js.reason, native.reason ?? null);
}
const id = v.verify(text("tests/data/gdhcn/samples/EUIndonesiaContents.txt"), seconds("2022-08-01T00:00:00Z"));
// The reason names the file that withdrew the signer, as the load named it.
same("a withdrawn signer", [id.errorKind, id.reason],
  ["untrusted", `the signer was withdrawn by its directory ${REGISTRY} (terminated)`]);
console.log(`trust store: ${checks} checks, the reports and verdicts of the command line`);
