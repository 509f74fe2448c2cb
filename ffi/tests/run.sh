#!/usr/bin/env bash
# Builds the C ABI (debug: the dependencies are optimised anyway), compiles
# the C tests and the scanner example against the shared and the static
# library (gcc -std=c11 -Wall -Wextra -Werror), runs them, and runs the tests
# again under valgrind (no leaks, no errors).
# Run from anywhere; needs gcc, python3, valgrind. With HP_LIB_DIR (where
# libhealthpass_ffi.so and .a are) and HP_CLI (the command line) it uses
# those and builds nothing (CI: the artefacts of its one test build).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${HP_LIB_DIR:-}" ]; then
  cargo build -q -p healthpass-ffi -p healthpass-cli --features healthpass-cli/full
fi
lib=${HP_LIB_DIR:-target/debug}
cli=${HP_CLI:-target/debug/healthpass}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

# Test data: demo passes, a valid and an invalid corpus pass, a signed list.
cp demo/trust.pem demo/valid.txt demo/expired.txt demo/tampered.txt demo/light.txt \
   demo/valid-exemption.txt demo/valid-test.txt demo/dvc.txt demo/ddcc-vaccination.txt "$data/"
python3 - "$data" <<'PY'
import datetime, json, sys
out = sys.argv[1]
def clock(s):
    s = s.replace("Z", "+00:00")
    t = datetime.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return str(int(t.timestamp()))
for name, path, cls in [
    ("corpus-valid", "tests/data/dgc-testdata/AT/2DCode/raw/1.json", None),
    ("corpus-invalid", "tests/data/dgc-testdata/common/2DCode/raw/CO6.json", "untrusted"),
]:
    doc = json.load(open(path, encoding="utf-8-sig"))
    open(f"{out}/{name}.txt", "w").write(doc["PREFIX"])
    open(f"{out}/{name}.cert", "w").write(doc["TESTCTX"]["CERTIFICATE"])
    open(f"{out}/{name}.time", "w").write(clock(doc["TESTCTX"]["VALIDATIONCLOCK"]))
    if cls:
        open(f"{out}/{name}.class", "w").write(cls)
PY
"$cli" revocation build --hash-type uci --in demo/valid.txt --out "$data/revoked.list" \
  --sign demo/TEST-ONLY-key.pem --cert demo/trust.pem --valid-for 30d >/dev/null
"$cli" revocation build --hash-type uci --in demo/valid.txt --out "$data/revoked-week.list" \
  --sign demo/TEST-ONLY-key.pem --cert demo/trust.pem --iat 2026-11-25T12:00:00Z --valid-for 30d >/dev/null

# A signed rule set (the 2g preset), signed by the chains' dsc-p384 as a
# rule publisher.
"$cli" rules build --in src/rules/presets/2g.json --out "$data/2g.rules" \
  --sign tests/data/chains/dsc-p384.key.pem --cert tests/data/chains/dsc-p384.pem \
  --list-id gate --sequence 2 --iat 2026-11-30T00:00:00Z --valid-for 7d >/dev/null
cp src/rules/presets/2g.json "$data/2g.json"

# Chains: country signing CAs, signers under them, and passes they signed.
cp tests/data/chains/{csca-xa,csca-not-ca,csca-short,dsc-p256,dsc-other-country,dsc-short}.pem \
   tests/data/chains/{p256,short}-pass.txt tests/data/chains/{trust-list.cose,dsc-p384.pem} \
   tests/data/chains/{dsc-p384,dsc-p256}.key.pem "$data/"
cp tests/data/gdhcn/trustlists/dev-v2-root.did.json tests/data/gdhcn/signers/who-signing-{dev,uat}.did.json \
   tests/data/gdhcn/samples/DVCTestQR.txt "$data/"
# Other formats: the Japanese ICAO seal and its signer, example SMART Health Cards and their issuer.
cp tests/data/icao/{ICAOJPQR1Contents.txt,JP-seal-signer.pem} \
   tests/data/shc/{example-card.txt,example-card-revoked.txt,example-issuer.jwks.json} \
   tests/data/shc/{example-issuer.jwks.private.json,example-issuer.crl-3Kfdg.json} "$data/"
printf 'QR1:not a pass format' > "$data/unknown-format.txt"
# Trust directories as published, and real passes they vouch for.
cp tests/data/directories/icao-health-cscas.pem tests/data/directories/pathcheck/registry.json \
   tests/data/directories/vci/vci_snapshot.{json,sig,crt} tests/data/shc/SHCWAVaxContents.txt \
   tests/data/gdhcn/samples/{EUQR1Contents,EUIndonesiaContents}.txt "$data/"

# The scanner's inputs: a 100 KB line among passes (one verdict for it, and
# every later verdict with its own pass), a 2 MB trust file, and a pass whose
# name tries to forge a second line and recolour the terminal.
python3 - "$data" <<'PY'
import sys
out = sys.argv[1]
pem = open("demo/trust.pem").read()
open(f"{out}/big-trust.pem", "w").write(pem * (2_000_000 // len(pem) + 1))
lines = [open(f"demo/{n}.txt").read().strip() for n in ("valid", "expired")]
open(f"{out}/long-line.txt", "w").write(lines[0] + "\n" + "HC1:" + "A" * 100_000 + "\n" + lines[1] + "\n" + lines[0] + "\n")
PY
"$cli" keygen --alg es256 --country AT --out "$data/evil" >/dev/null
printf '%s' '{"ver":"1.3.0","nam":{"fn":"Eve\nvalid Mallory, born 2000-01-01\u001b[32m\u202e","gn":"Eva","gnt":"EVA"},"dob":"1980-02-03","t":[{"tg":"840539006","tt":"LP6464-4","sc":"2026-11-24T07:30:00Z","tr":"260415000","co":"AT","is":"C test","ci":"URN:UVCI:01:AT:C/0001"}]}' > "$data/evil.json"
"$cli" issue --key "$data/evil/key.pem" --cert "$data/evil/cert.pem" --payload "$data/evil.json" > "$data/evil.txt"

# Camera frames for hp_decode_qr_*: the demo pass's QR code (the CLI's PNG,
# decoded here) in a 1280x720 grey frame, as luminance with a stride of
# 1296, inverted (dark mode), and as RGBA.
"$cli" qr --out "$data/valid-qr.png" @demo/valid.txt
python3 - "$data" <<'PY'
import sys
sys.path.insert(0, "fuzz")
from make_seeds import grey_png
out = sys.argv[1]
w, h, px = grey_png(f"{out}/valid-qr.png")
rows = [px[y * w:(y + 1) * w] for y in range(h)]
W, H, S = 1280, 720, 1296
frame = bytearray([150] * (S * H))
for y, line in enumerate(rows):
    if 60 + y < H:
        frame[(60 + y) * S + 300:(60 + y) * S + 300 + min(w, W - 300)] = line[:W - 300]
open(f"{out}/frame.y", "wb").write(frame)
open(f"{out}/frame-inverted.y", "wb").write(bytes(255 - v for v in frame))
open(f"{out}/frame.rgba", "wb").write(bytes(v for y in range(H) for p in frame[y * S:y * S + W] for v in (p, p, p, 255)))
PY

# A loopback web server for hp_store: the signed trust list as a static file.
mkdir -p "$data/www"
cp tests/data/chains/trust-list.cose "$data/www/"
# ... and a signed revocation list that revokes the demo pass.
"$cli" revocation build --hash-type uci --in demo/valid.txt --out "$data/www/revoked.cose" \
  --sign tests/data/chains/dsc-p384.key.pem --cert tests/data/chains/dsc-p384.pem \
  --list-id xx-revoked --iat 2026-11-01T00:00:00Z --valid-for 90d >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$data/www" "$port" >/dev/null 2>&1 &
www_pid=$!
trap 'kill "$www_pid" 2>/dev/null; rm -rf "$data"' EXIT
export HP_SYNC_URL="http://127.0.0.1:$port"
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('$HP_SYNC_URL/trust-list.cose')" 2>/dev/null && break; sleep 0.1; done

cflags=(-std=c11 -Wall -Wextra -Werror -O1 -g -Iffi/include)
# What the Rust standard library needs from the system when linked
# statically (rustc --print native-static-libs, on Linux).
static_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
for link in shared static; do
  if [ "$link" = shared ]; then
    libs=(-L"$lib" -lhealthpass_ffi -Wl,-rpath,"$(cd "$lib" && pwd)" -lpthread)
  else
    # shellcheck disable=SC2206
    libs=("$lib/libhealthpass_ffi.a" $static_libs -lpthread)
  fi
  gcc "${cflags[@]}" ffi/tests/test_ffi.c -o "$data/test_ffi_$link" "${libs[@]}"
  gcc "${cflags[@]}" ffi/examples/scanner.c -o "$data/scanner_$link" "${libs[@]}"

  echo "== C tests ($link)"
  "$data/test_ffi_$link" "$data"

  echo "== scanner ($link)"
  # 1795651200 = 2026-11-26T00:00:00Z, inside the demo light pass's week.
  valid=$'valid Gabriele Musterfrau-Gößinger, born 1964-08-12'
  expect() { # name, got, want
    if [ "$2" != "$3" ]; then echo "scanner, $1: output differs:"; echo "$2"; exit 1; fi
    echo "$2"
  }
  got=$(cat demo/valid.txt demo/expired.txt demo/tampered.txt demo/light.txt \
        | "$data/scanner_$link" demo/trust.pem 1795651200)
  expect "demo passes" "$got" "$valid"$'\ninvalid expired\ninvalid bad_signature\n'"$valid"
  got=$("$data/scanner_$link" "$data/big-trust.pem" 1795651200 < "$data/long-line.txt")
  expect "100 KB line, 2 MB trust file" "$got" "$valid"$'\ninvalid malformed\ninvalid expired\n'"$valid"
  got=$("$data/scanner_$link" "$data/evil/cert.pem" < "$data/evil.txt")
  expect "forged name" "$got" 'valid Eva Eve\u{000a}valid Mallory, born 2000-01-01\u{001b}[32m\u{202e}, born 1980-02-03'
  if [ "$(printf '%s' "$got" | wc -l)" != 0 ]; then echo "scanner: the name made a second line"; exit 1; fi

  echo "== C tests under valgrind ($link)"
  HP_UNDER_VALGRIND=1 valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=1 \
    --suppressions=ffi/tests/valgrind.supp \
    "$data/test_ffi_$link" "$data"
done
