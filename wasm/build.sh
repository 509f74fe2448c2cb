#!/usr/bin/env bash
# Builds the npm-ready packages of healthpass-wasm:
#   wasm/pkg-web/   ES module for browsers (also copied to wasm/www/pkg/ for the page)
#   wasm/pkg-node/  CommonJS for Node
#   wasm/pkg-formats-web/, wasm/pkg-formats-node/  the same with SMART Health
#                   Cards and ICAO seals (feature formats)
#   wasm/pkg-gdhcn-web/, wasm/pkg-gdhcn-node/  every format and WHO GDHCN DID
#                   trust lists (feature gdhcn: JSON-LD makes it larger)
# with wasm-bindgen (the version pinned in Cargo.toml) and wasm-opt -Oz from
# the npm binaryen package (Debian's binaryen 108 produces broken output),
# and prints the gzipped size of the .wasm. One target directory: the three
# builds share their dependencies.
#
# `wasm/build.sh --ci` (CI): the default package as released (fat LTO,
# wasm-opt; its size is checked against the 350 KiB budget), the formats and
# GDHCN packages with the quicker `ci` profile (no LTO, no wasm-opt): the same
# code for the tests, not the released size.
set -euo pipefail
cd "$(dirname "$0")"

ci=0
if [ "${1:-}" = "--ci" ]; then ci=1; fi
BUDGET_KIB=350

WASM_BINDGEN=0.2.130
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
if ! wasm-bindgen --version 2>/dev/null | grep -q "^wasm-bindgen $WASM_BINDGEN$"; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN"
fi
[ -x node_modules/.bin/wasm-opt ] || npm ci --no-audit --no-fund

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

# package WASM PREFIX NAME DESCRIPTION [OPTIMISE [EXTRA]]: the web and Node packages of
# one build; EXTRA: js/sync.mjs ships with it (the formats and GDHCN builds).
package() {
  local wasm=$1 prefix=$2 name=$3 description=$4 optimise=${5:-1} extra=${6:-}
  local files='"healthpass_wasm.js", "healthpass_wasm.d.ts", "healthpass_wasm_bg.wasm", "healthpass_wasm_bg.wasm.d.ts"'
  if [ -n "$extra" ]; then files="$files, \"sync.mjs\""; fi
  for target in web nodejs; do
    out=$prefix-${target/nodejs/node}
    rm -rf "$out"
    wasm-bindgen --target "$target" --out-dir "$out" "$wasm"
    if [ "$optimise" = 1 ]; then
      # --converge repeats -Oz until it gains nothing (about 1 KiB gzipped
      # more than one pass, for 25 s); debug and producer sections dropped.
      # --low-memory-unused: Rust puts the stack first, so the low 1 KiB is
      # the bottom of a 1 MiB stack that bounded parsers never reach;
      # --zero-filled-memory: the module's own memory starts zeroed. 1.7 KiB
      # gzipped for the two.
      node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --zero-filled-memory --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
        "$out/healthpass_wasm_bg.wasm" -o "$out/healthpass_wasm_bg.wasm"
    fi
    if [ -n "$extra" ]; then cp js/sync.mjs "$out/"; fi
    if [ "$target" = web ]; then kind=module; else kind=commonjs; fi
    cat > "$out/package.json" <<JSON
{
  "name": "$name",
  "version": "$version",
  "description": "$description",
  "license": "MIT OR Apache-2.0",
  "type": "$kind",
  "main": "healthpass_wasm.js",
  "types": "healthpass_wasm.d.ts",
  "files": [$files],
  "sideEffects": false
}
JSON
  done
}

built=target/wasm32-unknown-unknown
cargo build --release --target wasm32-unknown-unknown
package $built/release/healthpass_wasm.wasm pkg healthpass-wasm \
  "Verify signed health passes (EU DCC format) offline, in the browser or Node"
if [ $ci = 1 ]; then profile=ci; optimise=0; else profile=release; optimise=1; fi
# The second package: the same, and SMART Health Cards and ICAO seals.
cargo build --profile $profile --target wasm32-unknown-unknown --features formats
package $built/$profile/healthpass_wasm.wasm pkg-formats healthpass-wasm-formats \
  "Verify signed health passes offline (HCERT, SMART Health Cards, ICAO seals), in the browser or Node" $optimise sync
# The third: every format, and WHO GDHCN DID trust lists (JSON-LD, URDNA2015).
cargo build --profile $profile --target wasm32-unknown-unknown --features gdhcn
package $built/$profile/healthpass_wasm.wasm pkg-gdhcn healthpass-wasm-gdhcn \
  "Verify signed health passes offline, with WHO GDHCN DID trust lists, in the browser or Node" $optimise sync

rm -rf www/pkg && cp -r pkg-web www/pkg
cp ../demo/trust.pem www/demo-trust.pem
for pkg in pkg-web pkg-formats-web pkg-gdhcn-web; do
  gz=$(gzip -9 -c $pkg/healthpass_wasm_bg.wasm | wc -c)
  note=""
  if [ $ci = 1 ] && [ $pkg != pkg-web ]; then note=" (ci profile: not the released size)"; fi
  echo "$pkg/healthpass_wasm_bg.wasm: $(wc -c < $pkg/healthpass_wasm_bg.wasm) bytes, $gz gzipped ($((gz / 1024)) KiB)$note"
done
gz=$(gzip -9 -c pkg-web/healthpass_wasm_bg.wasm | wc -c)
if [ "$gz" -gt $((BUDGET_KIB * 1024)) ]; then
  echo "the default package is $gz bytes gzipped, over its budget of $BUDGET_KIB KiB ($((BUDGET_KIB * 1024)) bytes)"; exit 1
fi
echo "the default package: $gz bytes gzipped, $((BUDGET_KIB * 1024 - gz)) under its budget of $BUDGET_KIB KiB"
