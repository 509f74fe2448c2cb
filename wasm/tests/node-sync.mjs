// sync.mjs (wasm/pkg-formats-node) against the native store, step by step:
// a static server (ETag, 304, 404) serves this crate's signed trust and
// revocation lists as `healthpass store export` lays them out; at each step
// the JS sync and `healthpass sync --json` report the same words and
// numbers, and the JS verdict equals `healthpass verify --store --json`.
// Also: the JS side fetches only `.seq` when nothing changed, walks deltas,
// refuses a replayed sequence with the native sentence, and fails closed
// on outdated data unless `staleOk`.
//
// Usage: node wasm/tests/node-sync.mjs PATH/TO/healthpass
import { createRequire } from "node:module";
import { execFile, execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const require = createRequire(import.meta.url);
const hp = require("../pkg-formats-node/healthpass_wasm.js");
const { syncLists, memoryCache } = await import("../pkg-formats-node/sync.mjs");
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = process.argv[2];
const tmp = mkdtempSync(join(tmpdir(), "hp-js-sync-"));
const KEY = join(REPO, "tests/data/chains/dsc-p384.key.pem");
const CERT = join(REPO, "tests/data/chains/dsc-p384.pem");
const ANCHOR = readFileSync(CERT, "utf8");
const PASS = readFileSync(join(REPO, "demo/valid.txt"), "utf8").trim();

let checks = 0;
function fail(msg) { console.error(msg); rmSync(tmp, { recursive: true, force: true }); process.exit(1); }
function same(what, got, want) {
  checks++;
  if (!isDeepStrictEqual(got, want)) fail(`${what}:\n  js     ${JSON.stringify(got)}\n  native ${JSON.stringify(want)}`);
}
const run = (args) => {
  try {
    return execFileSync(CLI, args, { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    if (e.status === 1) return e.stdout;
    fail(`healthpass ${args.join(" ")}: exit ${e.status}: ${e.stderr}`);
  }
};
// The native side runs while this process serves the lists: not blocking.
const runAsync = (args) => new Promise((resolve) => {
  execFile(CLI, args, { cwd: REPO, encoding: "utf8" }, (e, stdout, stderr) => {
    if (e && e.code !== 1) fail(`healthpass ${args.join(" ")}: exit ${e.code}: ${stderr}`);
    resolve(stdout);
  });
});
const file = (name) => join(tmp, name);
const iso = (secs) => new Date(secs * 1000).toISOString().replace(".000Z", "Z");

// The lists, made by the command line.
const meta = ["--sign", KEY, "--cert", CERT, "--iat", "2026-11-20T00:00:00Z", "--valid-for", "30d"];
run(["trust", "build", "--in", "demo/trust.pem", "--out", file("tl1"), "--list-id", "fleet", "--sequence", "1", ...meta]);
const demoDer = new X509Certificate(readFileSync(join(REPO, "demo/trust.pem"))).raw;
const demoKid = createHash("sha256").update(demoDer).digest().subarray(0, 8).toString("base64");
run(["trust", "build", "--delta-on", "1", "--remove", demoKid, "--out", file("tl-d1"), "--list-id", "fleet", "--sequence", "2", ...meta]);
const other = "00".repeat(32);
require("node:fs").writeFileSync(file("hashes1"), `${other}\n`);
require("node:fs").writeFileSync(file("hashes2"), `${other}\n${PASS}\n`);
run(["revocation", "build", "--hash-type", "uci", "--in", file("hashes1"), "--out", file("rv1"), "--list-id", "fleet-revoked", "--sequence", "1", ...meta]);
run(["revocation", "build", "--hash-type", "uci", "--in", file("hashes2"), "--out", file("rv2"), "--list-id", "fleet-revoked", "--sequence", "2", ...meta]);

// The static server.
const files = new Map();
const log = [];
const server = createServer((req, res) => {
  log.push(req.url);
  const body = files.get(req.url);
  if (!body) { res.writeHead(404); res.end("<html>not found</html>"); return; }
  const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
  if (req.headers["if-none-match"] === etag) { res.writeHead(304, { ETag: etag }); res.end(); return; }
  res.writeHead(200, { ETag: etag, "Content-Length": body.length });
  res.end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;
const put = (path, text) => files.set(path, Buffer.from(text));
const putFile = (path, name) => files.set(path, readFileSync(file(name)));

const cache = memoryCache();
const store = file("store");
const T0 = Date.parse("2026-11-26T00:00:00Z") / 1000;
const sources = {
  trustList: { url: `${base}/trust-list.cbor`, anchors: [ANCHOR] },
  revocation: { url: `${base}/revocation.cbor`, anchors: [ANCHOR] },
};
const snake = (v) => (v && typeof v === "object" && !Array.isArray(v))
  ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (m) => "_" + m.toLowerCase()), snake(x)]))
  : v;

/** One step: JS sync and native sync at `t`; their reports must agree. */
async function step(what, t, extra = {}) {
  log.length = 0;
  const js = await syncLists(hp, { ...sources, cache, now: t, ...extra });
  const jsLog = [...log];
  const native = (await runAsync(["sync", "--store", store, "--trust-list", sources.trustList.url, "--trust-anchor", CERT,
    "--revocation", sources.revocation.url, "--revocation-trust", CERT, "--at", iso(t), "--json"]))
    .trim().split("\n").map((l) => JSON.parse(l));
  same(`${what}: reports`, js.reports, native);
  return { ...js, log: jsLog };
}

/** The JS verdict and the native `verify --store` one at `t`. */
function verdicts(what, verifier, t, flags = []) {
  const js = snake(verifier.verify(PASS, t));
  const native = JSON.parse(run(["verify", "--store", store, "--at", iso(t), "--json", ...flags, "@demo/valid.txt"]));
  delete native.trust_as_of;
  delete native.trust_age_secs;
  same(`${what}: verdict`, js, native);
  return js;
}

// 1. The first sync: both lists in full.
putFile("/trust-list.cbor", "tl1");
putFile("/revocation.cbor", "rv1");
let r = await step("first sync", T0);
same("first sync: what travelled", r.log, ["/trust-list.cbor", "/revocation.cbor"]);
same("first sync: valid", verdicts("first sync", r.verifier, T0 + 60).valid, true);

// 2. Nothing new, `.seq` published: one small request per list.
put("/trust-list.cbor.seq", "1\n");
put("/revocation.cbor.seq", "1\n");
const T1 = T0 + 3600;
r = await step("nothing new", T1);
same("nothing new: what travelled", r.log, ["/trust-list.cbor.seq", "/revocation.cbor.seq"]);
same("nothing new: counts", r.reports.map((x) => x.unchanged), [1, 1]);
// Fail closed 72 h on, as the native verifier; accept with the explicit policy.
const late = T1 + 73 * 3600;
const outdated = verdicts("72 h on", r.verifier, late);
same("72 h on: untrusted", [outdated.error_kind, outdated.reason], ["untrusted", `trust data outdated since ${iso(T1 + 72 * 3600)}`]);
const stale = await step("nothing new, stale ok", T1, { staleOk: true });
const accepted = verdicts("72 h on, stale ok", stale.verifier, late, ["--stale-ok"]);
same("72 h on, stale ok", [accepted.valid, accepted.trust_outdated_since], [true, iso(T1 + 72 * 3600)]);

// 3. A new revocation list, no delta: `.seq`, the delta asked for, the list.
putFile("/revocation.cbor", "rv2");
put("/revocation.cbor.seq", "2");
const T2 = T1 + 3600;
r = await step("revoked", T2);
same("revoked: what travelled", r.log, ["/trust-list.cbor.seq", "/revocation.cbor.seq", "/revocation.cbor.delta-1", "/revocation.cbor"]);
same("revoked", verdicts("revoked", r.verifier, T2 + 60).error_kind, "revoked");

// 4. A trust list delta removes the signer: only `.seq` and the delta.
putFile("/trust-list.cbor.delta-1", "tl-d1");
put("/trust-list.cbor.seq", "2");
const T3 = T2 + 3600;
r = await step("signer removed", T3);
same("signer removed: what travelled", r.log.slice(0, 2), ["/trust-list.cbor.seq", "/trust-list.cbor.delta-1"]);
same("signer removed: counts", [r.reports[0].removed, r.reports[0].unchanged], [1, 0]);
same("signer removed", verdicts("signer removed", r.verifier, T3 + 60).error_kind, "untrusted");

// 5. A replayed sequence: refused with the native sentence, the lists kept.
put("/trust-list.cbor.seq", "1");
r = await step("replay", T3 + 60);
same("replay", r.reports[0].error, "rejected: trust-list: the server offers sequence 1, older than the 2 held");
same("replay: lists kept", r.verifier.lists.trustList.sequence, 2);

// 6. A tampered delta: refused, nothing applied.
const tampered = readFileSync(file("tl-d1"));
tampered[tampered.length - 1] ^= 1;
files.set("/trust-list.cbor.delta-2", tampered);
put("/trust-list.cbor.seq", "3");
r = await step("tampered delta", T3 + 120);
same("tampered delta: refused", r.reports[0].ok, false);
same("tampered delta: lists kept", r.verifier.lists.trustList.sequence, 2);

server.close();
rmSync(tmp, { recursive: true, force: true });
console.log(`js sync: ${checks} checks against the native store (trust list and revocation list: full, .seq, deltas, replay, tampering, age)`);
