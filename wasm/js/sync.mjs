// sync.mjs — keeps a page's trust data current with the platform's fetch,
// from this crate's own signed lists served as static files by any web
// server or CDN, as `healthpass store export` writes them:
//
//   URL            the full list (signed)
//   URL.seq        its sequence number (a hint, not trusted)
//   URL.delta-N    a signed delta from sequence N to the next
//
// Every signature, sequence, list id and delta check runs in Rust (the
// WASM package); this file only fetches, caches bytes and counts, and
// follows the native store's rules (healthpass-sync): a held list is
// verified again on every sync, `URL.seq` equal to the sequence held means
// "unchanged" (one small request), a lower one is a replay and refused, a
// higher one is reached by deltas when they are there, else by the full
// list fetched with If-None-Match; a source that fails keeps what was held.
// The verifier it returns knows how old its trust data is and fails closed
// past `maxAgeSecs` (or the trust list's expiry), unless `staleOk`.
//
// In the formats and GDHCN packages (the default package has no room for
// the list positions and deltas it needs):
//
//   import * as hp from "healthpass-wasm-formats";   // (web: await hp.default() first)
//   import { syncLists } from "healthpass-wasm-formats/sync.mjs";
//   const { verifier, reports } = await syncLists(hp, {
//     trustList: { url: "https://cdn.example/trust-list.cbor", anchors: [pem] },
//     revocation: { url: "https://cdn.example/revocation.cbor", anchors: [pem] },
//   });

const MAX_BODY = 64 * 1024 * 1024;
const MAX_HINT_BYTES = 4096;
const MAX_HINT_DIGITS = 32;
const MAX_DELTAS = 64;
const TIMEOUT_MS = 30_000;

const shared = new Map();

/** A cache in memory (the default: one per page). Any object with `get(key)`
 * and `set(key, value)` (sync or async, values JSON-safe) will do: an
 * IndexedDB or localStorage adapter keeps the lists across reloads. */
export function memoryCache(map = new Map()) {
  return { get: (k) => map.get(k), set: (k, v) => { map.set(k, v); } };
}

class Rejected extends Error {}
class SourceError extends Error {}

function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** https, or http to a loopback address only (as the native transport). */
function checkUrl(url) {
  let u;
  try { u = new URL(url); } catch { throw new TypeError(`not a URL: ${url}`); }
  const loopback = u.hostname === "localhost" || u.hostname === "[::1]" || /^127\./.test(u.hostname);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback)) {
    throw new TypeError(`${url}: https only (plain http to loopback addresses)`);
  }
}

/** The body, refused past `max` bytes (not cut short). */
async function readBounded(response, max, url) {
  const declared = Number(response.headers.get("content-length"));
  if (declared > max) throw new Error(`transport: ${url}: body larger than ${max} bytes`);
  const reader = response.body?.getReader();
  if (!reader) {
    const b = new Uint8Array(await response.arrayBuffer());
    if (b.length > max) throw new Error(`transport: ${url}: body larger than ${max} bytes`);
    return b;
  }
  const parts = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel();
      throw new Error(`transport: ${url}: body larger than ${max} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

async function get(ctx, url, headers, expected, max) {
  let response;
  try {
    const signal = typeof AbortSignal?.timeout === "function" ? AbortSignal.timeout(TIMEOUT_MS) : undefined;
    response = await ctx.fetch(url, { headers, redirect: "error", cache: "no-store", signal });
  } catch (e) {
    throw new Error(`transport: ${url}: ${e?.message ?? e}`);
  }
  if (!expected.includes(response.status)) {
    await response.body?.cancel();
    throw new SourceError(`${url}: status ${response.status}`);
  }
  const body = response.status === 200 ? await readBounded(response, max, url) : new Uint8Array();
  if (response.status !== 200) await response.body?.cancel();
  return { status: response.status, etag: response.headers.get("etag"), body };
}

/** The kinds of list, as the verifier holds them. */
const KINDS = {
  "trust-list": {
    load: (hp, base, bytes, anchors, now, min) => hp.Verifier.fromTrustList(bytes, anchors, now, min, base.skew),
    delta: (v, bytes, anchors, now) => v.withTrustListDelta(bytes, anchors, now),
    position: (v) => {
      const t = v.lists.trustList;
      return t && { listId: t.listId, sequence: t.sequence, expires: t.expires, entries: t.kids };
    },
  },
  revocation: {
    load: (hp, base, bytes, anchors, now, min) => base.verifier.withRevocationList(bytes, anchors, now, min),
    delta: (v, bytes, anchors, now) => v.withRevocationDelta(bytes, anchors, now),
    position: (v) => {
      const r = v.lists.revocation.at(-1);
      return r && { listId: r.listId, sequence: r.sequence, expires: r.expires, entries: r.entries };
    },
  },
};

/** What changed between two positions: kids compared for a trust list; for
 * a revocation list (held in a compact store that answers membership only)
 * the change in size. */
function counts(before, after) {
  if (Array.isArray(after.entries)) {
    const old = new Set(before ? before.entries : []);
    const now = new Set(after.entries);
    const kept = [...now].filter((k) => old.has(k)).length;
    return { added: now.size - kept, removed: old.size - kept, unchanged: kept };
  }
  const b = before ? before.entries : 0;
  return { added: Math.max(0, after.entries - b), removed: Math.max(0, b - after.entries), unchanged: Math.min(b, after.entries) };
}

/** Rebuilds what the cache holds, every document verified again. */
function rebuild(hp, kind, base, held, anchors, now) {
  let v = KINDS[kind].load(hp, base, fromBase64(held.full), anchors, now, 0);
  for (const d of held.deltas) v = KINDS[kind].delta(v, fromBase64(d), anchors, now);
  return v;
}

async function syncOne(hp, ctx, kind, source, base) {
  const { url, anchors } = source;
  const key = `healthpass:${kind}:${url}`;
  const report = { source: kind, ok: true, added: 0, removed: 0, unchanged: 0, error: null };
  const cached = await ctx.cache.get(key);
  let held = null;
  let heldVerifier = null;
  if (cached) {
    try {
      heldVerifier = rebuild(hp, kind, base, cached, anchors, ctx.now);
      held = cached;
    } catch {
      // A held list the anchors no longer verify is fetched again in full.
    }
  }
  const K = KINDS[kind];
  try {
    checkUrl(url);
    const before = heldVerifier && K.position(heldVerifier);
    if (before) {
      const hint = await get(ctx, `${url}.seq`, {}, [200, 403, 404], MAX_HINT_BYTES);
      if (hint.status === 200) {
        const text = new TextDecoder().decode(hint.body).trim();
        if (text.length > MAX_HINT_DIGITS || !/^\d+$/.test(text)) throw new SourceError(`${url}.seq: not a sequence number`);
        const latest = Number(text);
        if (latest < before.sequence) {
          throw new Rejected(`${kind}: the server offers sequence ${latest}, older than the ${before.sequence} held`);
        }
        let v = heldVerifier;
        const deltas = [...held.deltas];
        while (K.position(v).sequence < latest && deltas.length < MAX_DELTAS) {
          const d = await get(ctx, `${url}.delta-${K.position(v).sequence}`, {}, [200, 403, 404], MAX_BODY);
          if (d.status !== 200) break;
          try { v = K.delta(v, d.body, anchors, ctx.now); } catch (e) { throw new Rejected(`${kind}: ${e.message}`); }
          deltas.push(toBase64(d.body));
        }
        if (K.position(v).sequence >= latest) {
          Object.assign(report, counts(before, K.position(v)));
          const changed = deltas.length !== held.deltas.length;
          const record = { ...held, deltas, etag: changed ? null : held.etag, syncedAt: ctx.now };
          await ctx.cache.set(key, record);
          return { report, verifier: v, record };
        }
      }
    }
    const headers = held?.etag ? { "If-None-Match": held.etag } : {};
    const full = await get(ctx, url, headers, held?.etag ? [200, 304] : [200], MAX_BODY);
    if (full.status === 304) {
      report.unchanged = counts(before, before).unchanged;
      const record = { ...held, syncedAt: ctx.now };
      await ctx.cache.set(key, record);
      return { report, verifier: heldVerifier, record };
    }
    let v;
    try {
      v = K.load(hp, base, full.body, anchors, ctx.now, before ? before.sequence : 0);
    } catch (e) {
      throw new Rejected(`${kind}: ${e.message}`);
    }
    const after = K.position(v);
    if (before && after && before.listId !== after.listId) {
      throw new Rejected(`${kind}: list ${after.listId} is not the list held`);
    }
    Object.assign(report, counts(before, after));
    const record = { full: toBase64(full.body), deltas: [], etag: full.etag, syncedAt: ctx.now };
    await ctx.cache.set(key, record);
    return { report, verifier: v, record };
  } catch (e) {
    report.ok = false;
    report.error = e instanceof Rejected ? `rejected: ${e.message}`
      : e instanceof SourceError ? `source: ${e.message}`
      : e instanceof TypeError ? `transport: ${e.message}`
      : e.message;
    return { report, verifier: heldVerifier, record: held };
  }
}

/**
 * Brings the signed lists up to date and returns a verifier of everything
 * held, aged: `{ verifier, reports, asOf }`. `verifier` is undefined when
 * no trust list was ever synced; `reports` has one object per source in
 * the native `sync --json` words (`source`, `ok`, `added`, `removed`,
 * `unchanged`, `error`).
 *
 * Options: `trustList: { url, anchors }` (anchors: PEM or base64 strings),
 * `revocation: { url, anchors }` (optional), `now` (Unix seconds, default
 * the platform's clock), `maxAgeSecs` (default 72 h), `staleOk` (default
 * false), `clockSkewSecs`, `cache` (default: in memory), `fetch` (default
 * the platform's).
 */
export async function syncLists(hp, options) {
  const ctx = {
    now: options.now ?? Math.floor(Date.now() / 1000),
    cache: options.cache ?? memoryCache(shared),
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
  };
  const maxAge = options.maxAgeSecs ?? 72 * 3600;
  const reports = [];
  const base = { skew: options.clockSkewSecs };
  const trust = await syncOne(hp, ctx, "trust-list", options.trustList, base);
  reports.push(trust.report);
  let verifier = trust.verifier;
  const synced = trust.record ? [trust.record.syncedAt] : [];
  if (options.revocation) {
    if (verifier) {
      const rev = await syncOne(hp, ctx, "revocation", options.revocation, { ...base, verifier });
      reports.push(rev.report);
      if (rev.verifier) {
        verifier = rev.verifier;
        synced.push(rev.record.syncedAt);
      }
    } else {
      reports.push({ source: "revocation", ok: false, added: 0, removed: 0, unchanged: 0, error: "source: no trust list held to verify passes with" });
    }
  }
  if (!verifier) return { verifier: undefined, reports, asOf: undefined };
  const asOf = Math.min(...synced);
  let allowance = maxAge;
  const expires = KINDS["trust-list"].position(verifier)?.expires;
  if (expires !== undefined) allowance = Math.max(0, Math.min(allowance, expires - asOf));
  verifier = verifier.withTrustDataAsOf(asOf, allowance, options.staleOk ?? false);
  return { verifier, reports, asOf };
}
