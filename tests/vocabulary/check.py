#!/usr/bin/env python3
"""One vocabulary everywhere: the verdict table of docs/vocabulary.md against the command
line's JSON, the C accessors and the JS object, on the same passes.

Checks that (1) the table's CLI keys are exactly the keys the command line
prints, its JS keys those of the JS verdict (the CLI's, camelCased), and its
C functions exist in the header; and (2) on every demo pass (valid, light,
exemption, test, DVC, DDCC, expired, tampered, garbage, not UTF-8, empty) and
an ICAO seal (JS: the formats package), without rules and with the 2G
preset, the three verdicts are equal, field for field.

Usage (from the repository root, after `cargo build -p healthpass-ffi -p
healthpass-cli --features healthpass-cli/full` and `wasm/build.sh`):
    python3 tests/vocabulary/check.py
HP_LIB_DIR (default target/debug) is where libhealthpass_ffi.so is, HP_CLI
(default target/debug/healthpass) the command line.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.chdir(ROOT)
LIB_DIR = os.path.abspath(os.environ.get("HP_LIB_DIR", "target/debug"))
CLI_EXE = os.path.abspath(os.environ.get("HP_CLI", "target/debug/healthpass"))
AT = "2026-11-26T00:00:00Z"   # inside the demo light pass's week
AT_SECS = "1795651200"

def fail(msg):
    print("vocabulary: FAILED:", msg)
    sys.exit(1)

def camel(k):
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k)

def snake(v):
    if isinstance(v, dict):
        return {re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), k): snake(x) for k, x in v.items()}
    return v

def flat_keys(v, prefix=""):
    out = set()
    for k, x in v.items():
        out.add(prefix + k)
        if isinstance(x, dict):
            out |= flat_keys(x, prefix + k + ".")
    return out

# 1. The vocabulary table (docs/vocabulary.md).
readme = open("docs/vocabulary.md", encoding="utf-8").read()
section = readme.split("## The verdict, in every binding", 1)[1].split("\n## ", 1)[0]
# The first table of the section: the fields.
lines = section.splitlines()
start = next(i for i, l in enumerate(lines) if l.startswith("| field"))
rows = []
for l in lines[start + 2:]:
    if not l.startswith("|"):
        break
    rows.append(l)
table = []
for r in rows:
    cells = [c.strip() for c in r.strip("|").split("|")]
    if len(cells) != 5:
        continue
    code = lambda c: re.findall(r"`([^`]+)`", c)
    table.append((code(cells[2])[0], code(cells[3])[0], code(cells[4])[0]))
if len(table) < 14:
    fail(f"vocabulary table has {len(table)} rows")
header = open("ffi/include/healthpass.h", encoding="utf-8").read()
for cli, c, js in table:
    if js != camel(cli.replace("holder.", "holder.")) and js != ".".join(camel(p) for p in cli.split(".")):
        fail(f"JS key {js} is not the camelCase of {cli}")
    if not re.search(r"\b" + re.escape(c) + r"\(", header):
        fail(f"C function {c} is not in healthpass.h")

# 2. The same passes through the three bindings.
tmp = tempfile.mkdtemp()
passes = {}
for name in ["valid", "light", "valid-exemption", "valid-test", "dvc", "ddcc-vaccination", "expired", "tampered"]:
    passes[name] = f"demo/{name}.txt"
passes["icao-seal"] = "tests/data/icao/ICAOJPQR1Contents.txt"
for name, data in [("garbage", b"HC1:NOT-A-PASS"), ("not-utf8", b"HC1:\xff\xfe"), ("empty", b" ")]:
    p = os.path.join(tmp, name)
    open(p, "wb").write(data)
    passes[name] = p

# One trust file for the three: the demo signer and the Japanese seal signer.
TRUST = os.path.join(tmp, "trust.pem")
open(TRUST, "w").write(open("demo/trust.pem").read() + open("tests/data/icao/JP-seal-signer.pem").read())

exe = os.path.join(tmp, "verdict_json")
subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-Iffi/include",
                "tests/vocabulary/verdict_json.c", "-o", exe, "-L" + LIB_DIR, "-lhealthpass_ffi",
                "-Wl,-rpath," + LIB_DIR, "-lpthread"], check=True)

JS_SRC = """
const fs = require("node:fs");
const { Verifier } = require("./wasm/pkg-formats-node/healthpass_wasm.js");
const [files, preset, trust] = JSON.parse(process.argv[1]);
let v = new Verifier([fs.readFileSync(trust, "utf8")]);
if (preset) v = v.withPreset(preset);
const out = {};
for (const [name, path] of Object.entries(files)) {
  // JS strings are text: bytes that are not UTF-8 arrive replaced.
  out[name] = v.verify(fs.readFileSync(path).toString("utf8"), %s);
}
console.log(JSON.stringify(out));
""" % AT_SECS

table_cli = {cli_key for cli_key, _, _ in table}
admission_keys = {k for k in table_cli if k.startswith("admission.")}

def compare(preset):
    rules = ["--preset", preset] if preset else []
    cli = {}
    for name, path in passes.items():
        out = subprocess.run([CLI_EXE, "verify", "--trust", TRUST, "--at", AT,
                              "--json"] + rules + ["@" + path], capture_output=True)
        if out.returncode not in (0, 1):
            fail(f"cli exit {out.returncode} on {name}: {out.stderr}")
        cli[name] = json.loads(out.stdout)
    c_out = subprocess.run([exe] + rules + [TRUST, AT_SECS] + list(passes.values()),
                           capture_output=True, check=True, text=True).stdout.splitlines()
    c = {name: json.loads(line) for name, line in zip(passes, c_out)}
    js = json.loads(subprocess.run(["node", "-e", JS_SRC, json.dumps([passes, preset, TRUST])], capture_output=True,
                                   check=True, text=True).stdout)
    admitted = 0
    for name in passes:
        got_cli = cli[name]
        keys = flat_keys(got_cli)
        want = table_cli | {"holder"} | ({"admission"} if preset else set())
        if not preset:
            want -= admission_keys
        if got_cli.get("form") != "shc":
            want.discard("issuer")  # only a valid SMART Health Card names its issuer
        want.discard("trust_outdated_since")  # only on outdated trust data, by explicit policy
        if got_cli["holder"] is None:
            want = {k for k in want if not k.startswith("holder.")}
        if keys != want:
            fail(f"{name} ({preset}): CLI keys {sorted(keys)} differ from the vocabulary table {sorted(want)}")
        if preset:
            admitted += got_cli["admission"]["admitted"]
            if got_cli["valid"] != got_cli["admission"]["admitted"]:
                fail(f"{name} ({preset}): valid but not admitted, or the reverse: {got_cli}")
        if c[name] != got_cli:
            fail(f"{name} ({preset}): C {c[name]} != CLI {got_cli}")
        got_js = snake(js[name])
        if name == "not-utf8":
            # The one place JS differs by nature: its strings are text. Only
            # the class must agree.
            if (got_js["valid"], got_js["error_kind"]) != (got_cli["valid"], got_cli["error_kind"]):
                fail(f"{name}: JS {got_js} vs CLI {got_cli}")
            continue
        if got_js != got_cli:
            fail(f"{name} ({preset}): JS {got_js} != CLI {got_cli}")
        if any(js_key not in js[name] for js_key in ["valid", "errorKind", "reason", "holder", "validUntil", "form"]):
            fail(f"{name}: JS keys {sorted(js[name])}")
    if preset and not 0 < admitted < len(passes):
        fail(f"{preset}: {admitted} of {len(passes)} admitted: the check needs both outcomes")

compare(None)
compare("2g")
print(f"vocabulary: the vocabulary table ({len(table)} fields) matches the CLI, C and JS verdicts on {len(passes)} passes, without rules and under 2G")
