// Caches the page and its package so that it works offline once loaded.
const CACHE = "healthpass-v3";
const FILES = ["./", "index.html", "style.css", "app.js", "manifest.webmanifest", "demo-trust.pem",
               "pkg/healthpass_wasm.js", "pkg/healthpass_wasm_bg.wasm"];
self.addEventListener("install", (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES))));
self.addEventListener("activate", (e) => e.waitUntil(
  caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))));
self.addEventListener("fetch", (e) => {
  if (e.request.method !== "GET") return;
  e.respondWith(caches.match(e.request).then((hit) => hit || fetch(e.request)));
});
