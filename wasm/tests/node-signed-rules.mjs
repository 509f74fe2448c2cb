// Signed rule sets in JS (issue 22.6): `withSignedRules` takes the set
// `healthpass rules build` signs, only from its anchors, and decides as the
// command line does (`verify --rules SET --rules-anchor CERT`); an unsigned
// file, another signer, a changed byte or an older sequence throws; past
// its expiry the set admits nobody.
//
// Usage: node wasm/tests/node-signed-rules.mjs PATH/TO/healthpass
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { Verifier } = require("../pkg-node/healthpass_wasm.js");
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = process.argv[2];
const read = (p, enc) => readFileSync(join(REPO, p), enc);
function fail(msg) { console.error(msg); process.exit(1); }

const dir = mkdtempSync(join(tmpdir(), "hp-signed-rules-"));
const set = join(dir, "2g.rules");
const ANCHOR = "tests/data/chains/dsc-p384.pem";
execFileSync(CLI, ["rules", "build", "--in", "src/rules/presets/2g.json", "--out", set,
  "--sign", "tests/data/chains/dsc-p384.key.pem", "--cert", ANCHOR, "--list-id", "gate",
  "--sequence", "2", "--iat", "2026-11-30T00:00:00Z", "--valid-for", "7d"], { cwd: REPO });
const bytes = new Uint8Array(readFileSync(set));
const anchor = read(ANCHOR, "utf8");
const base = new Verifier([read("demo/trust.pem", "utf8")]);
const DEC_1 = Date.parse("2026-12-01T12:00:00Z") / 1000;
const DEC_8 = Date.parse("2026-12-08T00:00:00Z") / 1000;

const gate = base.withSignedRules(bytes, [anchor], DEC_1, 2);
if (gate.ruleCount !== 9) fail(`ruleCount ${gate.ruleCount}`);
const native = (pass, at) => {
  try {
    return JSON.parse(execFileSync(CLI, ["verify", "--trust", "demo/trust.pem", "--rules", set,
      "--rules-anchor", ANCHOR, "--at", at, "--json", pass], { cwd: REPO, encoding: "utf8" }));
  } catch (e) {
    return JSON.parse(e.stdout);
  }
};
let n = 0;
for (const [pass, at, t, want] of [
  ["demo/valid.txt", "2026-12-01T12:00:00Z", DEC_1, true],
  ["demo/valid-test.txt", "2026-12-01T12:00:00Z", DEC_1, false],
  ["demo/valid.txt", "2026-12-08T00:00:00Z", DEC_8, false],
]) {
  const js = gate.verify(read(pass, "utf8"), t);
  const cli = native("@" + pass, at);
  if (js.valid !== want || cli.valid !== want) fail(`${pass} at ${at}: JS ${js.valid}, native ${cli.valid}`);
  if (js.errorKind !== cli.error_kind) fail(`${pass}: ${js.errorKind} vs ${cli.error_kind}`);
  n++;
}
const throws = (name, f) => {
  let threw = false;
  try { f(); } catch { threw = true; }
  if (!threw) fail(`${name}: accepted`);
  n++;
};
throws("an unsigned rule file", () => base.withSignedRules(read("src/rules/presets/2g.json"), [anchor], DEC_1));
throws("another signer", () => base.withSignedRules(bytes, [read("demo/trust.pem", "utf8")], DEC_1));
throws("an older sequence", () => base.withSignedRules(bytes, [anchor], DEC_1, 3));
const changed = bytes.slice();
changed[changed.length >> 1] ^= 1;
throws("a changed byte", () => base.withSignedRules(changed, [anchor], DEC_1));
if (base.ruleCount !== 0) fail("withSignedRules changed its base");
console.log(`node-signed-rules: ${n} checks, JS and native agree`);
