#!/usr/bin/env bash
# Builds the C ABI, compiles the C tests and the scanner example against the
# shared and the static library (gcc -std=c11 -Wall -Wextra -Werror), runs
# them, and runs the tests again under valgrind (no leaks, no errors).
# Run from anywhere; needs gcc, python3, valgrind.
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build -q --release -p healthpass-ffi -p healthpass-cli
lib=target/release
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

# Test data: demo passes, a valid and an invalid corpus pass, a signed list.
cp demo/trust.pem demo/valid.txt demo/expired.txt demo/tampered.txt demo/light.txt \
   demo/valid-exemption.txt "$data/"
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
"$lib/healthpass" revocation build --hash-type uci --in demo/valid.txt --out "$data/revoked.list" \
  --sign demo/TEST-ONLY-key.pem --cert demo/trust.pem --valid-for 3650d >/dev/null

cflags=(-std=c11 -Wall -Wextra -Werror -O1 -g -Iffi/include)
static_libs=$(cargo rustc -q --release -p healthpass-ffi --crate-type staticlib -- --print native-static-libs 2>&1 \
  | sed -n 's/.*native-static-libs: //p' | tail -n 1)
for link in shared static; do
  if [ "$link" = shared ]; then
    libs=(-L"$lib" -lhealthpass_ffi -Wl,-rpath,"$PWD/$lib" -lpthread)
  else
    # shellcheck disable=SC2206
    libs=("$lib/libhealthpass_ffi.a" $static_libs -lpthread)
  fi
  gcc "${cflags[@]}" ffi/tests/test_ffi.c -o "$data/test_ffi_$link" "${libs[@]}"
  gcc "${cflags[@]}" ffi/examples/scanner.c -o "$data/scanner_$link" "${libs[@]}"

  echo "== C tests ($link)"
  "$data/test_ffi_$link" "$data"

  echo "== scanner ($link)"
  got=$(cat demo/valid.txt demo/expired.txt demo/tampered.txt demo/light.txt \
        | "$data/scanner_$link" demo/trust.pem 1893456000)
  want=$'valid Gabriele Musterfrau-Gößinger, born 1964-08-12\ninvalid expired\ninvalid bad_signature\nvalid Gabriele Musterfrau-Gößinger, born 1964-08-12'
  if [ "$got" != "$want" ]; then
    echo "scanner output differs:"; echo "$got"; exit 1
  fi
  echo "$got"

  echo "== C tests under valgrind ($link)"
  valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=1 \
    --suppressions=ffi/tests/valgrind.supp \
    "$data/test_ffi_$link" "$data"
done
