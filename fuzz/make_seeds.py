#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the repository's test data.

Writes fuzz/corpus/<target>/<name> (not committed; CI and fuzzing sessions
run this first). Uses only the standard library.
"""
import base64, binascii, glob, json, os, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "corpus")

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def b45decode(s):
    out = bytearray()
    for i in range(0, len(s), 3):
        chunk = [B45.index(c) for c in s[i:i + 3]]
        if len(chunk) == 3:
            v = chunk[0] + chunk[1] * 45 + chunk[2] * 2025
            out += v.to_bytes(2, "big")
        else:
            out.append(chunk[0] + chunk[1] * 45)
    return bytes(out)


def cbor_payload_of_cwt(cose):
    """The CWT bytes of a COSE_Sign1 (third element), parsed just enough."""
    i = 0
    while cose[i] in (0xD2, 0xD8):  # tags 18, 61 (d8 3d)
        i += 2 if cose[i] == 0xD8 else 1
    if cose[i] != 0x84:
        return None
    i += 1
    for n in range(3):
        ib = cose[i]
        major, ai = ib >> 5, ib & 31
        i += 1
        if ai < 24:
            ln = ai
        elif ai == 24:
            ln = cose[i]; i += 1
        elif ai == 25:
            ln = int.from_bytes(cose[i:i + 2], "big"); i += 2
        else:
            return None
        if major == 5:  # unprotected map: only handles empty or tiny maps
            if ln != 0:
                return None
            continue
        if n == 2:
            return cose[i:i + ln]
        i += ln
    return None


def cose_payload(cose):
    """The payload of a tagged COSE_Sign1 whose unprotected map is empty."""
    def bstr(buf, i):
        assert buf[i] >> 5 == 2
        n, i = buf[i] & 31, i + 1
        if n >= 24:
            size = 1 << (n - 24)
            n, i = int.from_bytes(buf[i:i + size], "big"), i + size
        return buf[i:i + n], i + n
    assert cose[:2] == b"\xd2\x84"
    _, i = bstr(cose, 2)
    assert cose[i] == 0xA0
    payload, _ = bstr(cose, i + 1)
    return payload


def grey_png(path):
    """(width, height, pixels) of an 8-bit grey PNG (as `healthpass qr`
    writes them), decoded with the standard library."""
    import struct
    png = open(path, "rb").read()
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 0), "an 8-bit grey PNG"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, out, prev = zlib.decompress(idat), bytearray(), bytearray(w)
    for y in range(h):
        f, line = raw[y * (w + 1)], bytearray(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
        for x in range(w):
            a = line[x - 1] if x else 0
            b, c = prev[x], (prev[x - 1] if x else 0)
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            paeth = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + [0, a, b, (a + b) // 2, paeth][f]) & 255
        out += line
        prev = line
    return w, h, bytes(out)


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def finder_flood_png(side):
    """A greyscale PNG tiled with 7x7-module QR finder patterns, one pixel a module."""
    import struct
    def dark(m, n):
        return m in (0, 6) or n in (0, 6) or (2 <= m <= 4 and 2 <= n <= 4)
    rows = []
    for y in range(side):
        ty = y % 8
        row = bytearray([0])
        for x in range(side):
            tx = x % 8
            row.append(0 if ty < 7 and tx < 7 and dark(ty, tx) else 255)
        rows.append(bytes(row))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def main():
    files = sorted(glob.glob(os.path.join(ROOT, "tests/data/dgc-testdata/**/*.json"), recursive=True))
    for n, path in enumerate(files):
        try:
            doc = json.load(open(path, encoding="utf-8-sig"))
        except ValueError:
            continue
        name = "%03d" % n
        prefix = doc.get("PREFIX") or ""
        if prefix:
            write("transport", name + "-text", prefix.encode())
            write("verify", name + "-text", prefix.encode())
        cose = None
        try:
            if doc.get("COSE"):
                cose = binascii.unhexlify(doc["COSE"])
            elif prefix.startswith("HC1:"):
                cose = zlib.decompress(b45decode(prefix[4:]))
        except (ValueError, zlib.error):
            cose = None
        if cose:
            write("cose", name, cose)
            write("cbor_differential", name, cose)
            write("verify", name + "-cose", cose)
            write("transport", name + "-zlib", zlib.compress(cose, 9))
            cwt = cbor_payload_of_cwt(cose)
            if cwt:
                write("claims_payload", name, cwt)
                if n % 3 == 0:
                    write("cbor_differential", name + "-cwt", cwt)
        cert = (doc.get("TESTCTX") or {}).get("CERTIFICATE")
        if cert and n % 4 == 0:
            write("trust_list", name + "-b64", cert.encode())
            try:
                write("trust_list", name + "-der", base64.b64decode(cert))
            except ValueError:
                pass
    for f in glob.glob(os.path.join(ROOT, "demo/*.txt")):
        text = open(f, "rb").read().strip()
        write("verify", "demo-" + os.path.basename(f), text)
        write("transport", "demo-" + os.path.basename(f), text)
    # The GDHCN samples: DVC passes (-260 -> -6, no exp) and EU passes; the
    # demo DVC and DDCC passes come in with demo/*.txt above.
    for f in sorted(glob.glob(os.path.join(ROOT, "tests/data/gdhcn/samples/*.txt"))):
        text = open(f, "rb").read().strip()
        write("verify", "gdhcn-" + os.path.basename(f), text)
        if text.startswith(b"HC1:"):
            try:
                cwt = cbor_payload_of_cwt(zlib.decompress(b45decode(text[4:].decode())))
            except (ValueError, zlib.error):
                cwt = None
            if cwt:
                write("claims_payload", "gdhcn-" + os.path.basename(f), cwt)
    write("trust_list", "demo-pem", open(os.path.join(ROOT, "demo/trust.pem"), "rb").read())
    # The chained mode: CSCAs, the separator, signers (tests/data/chains).
    chains = lambda f: open(os.path.join(ROOT, "tests/data/chains", f), "rb").read()
    for dsc in ("dsc-p256", "dsc-rsa", "dsc-pss", "dsc-other-country", "dsc-unknown-critical"):
        write("trust_list", "chain-" + dsc, chains("csca-xa.pem") + b"\n====\n" + chains(dsc + ".pem"))
    # WHO GDHCN DID documents: the small dev sub-list (verifies) and the
    # signer documents.
    for f in ("trustlists/dev-v2-XCL-DSC.did.json", "signers/who-signing-dev.did.json"):
        write("did_document", os.path.basename(f), open(os.path.join(ROOT, "tests/data/gdhcn", f), "rb").read())
    # Issue 22.9: the document bombs of tests/hostile_documents.rs, small:
    # a deep controller, a ring and a clique of blank nodes, an @list, an
    # inline context, an id JSON-LD drops (22.1).
    xcl = json.load(open(os.path.join(ROOT, "tests/data/gdhcn/trustlists/dev-v2-XCL-DSC.did.json")))
    def bomb(name, change):
        doc = json.loads(json.dumps(xcl))
        change(doc)
        write("did_document", "bomb-" + name, json.dumps(doc).encode())
    deep = "did:web:x"
    for _ in range(20):
        deep = {"controller": deep}
    bomb("deep-controller", lambda d: d.__setitem__("controller", deep))
    bomb("blank-ring", lambda d: d.__setitem__("service", [
        {"id": f"_:b{i}", "controller": f"_:b{(i + 1) % 40}"} for i in range(40)]))
    bomb("blank-clique", lambda d: d.__setitem__("service", [
        {"id": f"_:c{i}", "controller": [f"_:c{j}" for j in range(10)]} for i in range(10)]))
    bomb("list", lambda d: d.__setitem__("controller", {"@list": list(range(50))}))
    bomb("inline-context", lambda d: d.__setitem__("@context", {"x": "https://example.org/x"}))
    def injected(d):
        vm = json.loads(json.dumps(d["verificationMethod"][0]))
        vm["id"] = "a/:DCC:XCL:DSC#x"
        d["verificationMethod"].append(vm)
    bomb("injected-key", injected)
    # A signed trust list's document: the payload of its COSE_Sign1.
    write("trust_list", "trust-list-document", cose_payload(chains("trust-list.cose")))
    # Trust directories (issue 23), small: the first entries of each real
    # directory, a JWK set, DGCA lists; the first byte is the target's flags.
    dirs = lambda f: open(os.path.join(ROOT, "tests/data/directories", f), "rb").read()
    pem = dirs("icao-health-cscas.pem").decode()
    blocks = pem.split("-----END CERTIFICATE-----")
    write("trust_directory", "icao-5", b"\x00" + "-----END CERTIFICATE-----".join(blocks[:5]).encode() + b"-----END CERTIFICATE-----\n")
    registry = json.loads(dirs("pathcheck/registry.json"))
    small = {k: dict(list(v.items())[:4]) for k, v in registry.items()}
    for k, v in registry.items():  # a withdrawn entry of each section, if any
        for kid, e in v.items():
            if e.get("status") != "current":
                small[k][kid] = e
                break
    write("trust_directory", "registry-small", b"\x00" + json.dumps(small).encode())
    write("trust_directory", "registry-small-strict", b"\x01" + json.dumps(small).encode())
    jwks = open(os.path.join(ROOT, "tests/data/shc/example-issuer.jwks.json"), "rb").read()
    write("trust_directory", "jwks-bound", b"\x02" + jwks)
    write("trust_directory", "jwks-any", b"\x04" + jwks)
    demo_b64 = "".join(l for l in open(os.path.join(ROOT, "demo/trust.pem")).read().splitlines() if not l.startswith("-----"))
    demo_der = base64.b64decode(demo_b64)
    from hashlib import sha256
    kid = base64.b64encode(sha256(demo_der).digest()[:8]).decode()
    write("trust_directory", "dgca-signers", b"\x00" + json.dumps([{"kid": kid, "rawData": demo_b64}]).encode())
    write("trust_directory", "dgca-valid-kids", b"\x10" + json.dumps([kid, "AAAAAAAAAAA="]).encode())
    vci = json.loads(dirs("vci/vci_snapshot.json"))
    vci["issuerInfo"] = vci["issuerInfo"][:3]
    write("trust_directory", "vci-small", b"\x08" + json.dumps(vci).encode())
    write("qr_image", "demo-valid-png", open(os.path.join(ROOT, "demo/valid.png"), "rb").read())
    for i, f in enumerate(files[:400:40]):
        png = (json.load(open(f, encoding="utf-8-sig")).get("2DCODE") or "").strip()
        if png:
            try:
                write("qr_image", f"corpus-{i}", base64.b64decode(png))
            except ValueError:
                pass
    # An image tiled with QR finder patterns (1024 x 1024, 16 384 of them):
    # the detector must answer it in milliseconds.
    write("qr_image", "finder-pattern-flood", finder_flood_png(1024))
    # Camera frames: the demo pass's code at a third of its size (2 pixels a
    # module), as luminance (stride + 5) and as RGBA.
    w, h, px = grey_png(os.path.join(ROOT, "demo/valid.png"))
    small = [px[(3 * y) * w + 3 * x] for y in range(h // 3) for x in range(w // 3)]
    sw, sh = w // 3, h // 3
    head = lambda kind, extra: bytes([kind]) + sw.to_bytes(2, "little") + sh.to_bytes(2, "little") + extra.to_bytes(2, "little")
    luma = b"".join(bytes(small[y * sw:(y + 1) * sw]) + b"\xff" * 5 for y in range(sh))
    write("qr_frame", "demo-luma", head(0, 5) + luma)
    write("qr_frame", "demo-rgba", head(1, 0) + bytes(v for p in small for v in (p, p, p, 255)))
    write("qr_frame", "blank-wide", head(0, 0)[:1] + (4096).to_bytes(2, "little") + (2).to_bytes(2, "little") + b"\0\0" + b"\x80" * 8192)
    # An exact store file and a list document, written by hand.
    import hashlib, struct
    hashes = sorted(hashlib.sha256(bytes([i])).digest()[:16] for i in range(5))
    body = b"HPRS" + struct.pack("<HBB", 1, 0, 0) + struct.pack("<Q", 5) + bytes(32) + b"".join(hashes)
    write("revocation_files", "store-exact", body + hashlib.sha256(body).digest())
    adds = b"".join(hashes)
    doc = (b"\xa8\x01\x01\x02\x63UCI\x03\x61X\x04\x01\x06\x1a" + struct.pack(">I", 1800000000)
           + b"\x07\x1a" + struct.pack(">I", 1900000000) + b"\x08\x58" + bytes([len(adds)]) + adds + b"\x09\x40")
    write("revocation_files", "list-doc", doc)
    rev = os.path.join(ROOT, "tests/data/revocation")
    for f in sorted(glob.glob(os.path.join(rev, "*.bin"))):
        write("revocation_files", os.path.basename(f), open(f, "rb").read())
    # Rules: the CertLogic suites' expressions, every business rule, the presets.
    n = 0
    for f in sorted(glob.glob(os.path.join(ROOT, "tests/data/certlogic/*/*.json"))):
        for case in json.load(open(f)).get("cases", []):
            if "certLogicExpression" in case:
                write("rules", f"expr-{n}", json.dumps(case["certLogicExpression"]).encode())
                n += 1
    for f in sorted(glob.glob(os.path.join(ROOT, "tests/data/dgc-business-rules-testdata/*/*/rule.json"))):
        write("rules", "rule-" + f.split("/")[-2], open(f, "rb").read())
    for f in sorted(glob.glob(os.path.join(ROOT, "src/rules/presets/*.json"))):
        write("rules", "preset-" + os.path.basename(f), open(f, "rb").read())
    # Issue 22.7 and 22.8: engine bombs (a doubling accumulator, read whole;
    # a data context nested by reduce; plusTime beyond the time range), as
    # expressions and as a Swiss-format set.
    nums = list(range(40))
    bombs = {
        "doubling": {"reduce": [nums, [{"var": "accumulator"}, {"var": "accumulator"}], 0]},
        "doubling-read": {"reduce": [nums, {"if": [{"var": ""},
                          [{"var": "accumulator"}, {"var": "accumulator"}], 0]}, 0]},
        "nesting": {"reduce": [nums, {"var": ""}, 0]},
        "plustime-months": {"plusTime": ["2021-06-01", 9000000000000000000, "month"]},
        "plustime-days": {"plusTime": ["2021-06-01", 106751970744, "day"]},
    }
    for name, expr in bombs.items():
        write("rules", "bomb-" + name, json.dumps(expr).encode())
    rule = json.load(open(os.path.join(ROOT, "src/rules/presets/3g.json")))
    rule["displayRules"] = [{"id": "d", "logic": bombs["doubling-read"]}]
    rule["modeRules"]["logic"] = bombs["nesting"]
    write("rules", "bomb-swiss-set", json.dumps(rule).encode())
    # SMART Health Cards (real ones, example cards, the issuer's lists) and
    # ICAO seals (the Japanese one, with its members shuffled and pretty).
    shc = os.path.join(ROOT, "tests/data/shc")
    for f in sorted(os.listdir(shc)):
        if f.endswith((".txt", ".json")) and not f.startswith("LICENSE"):
            write("shc", f, open(os.path.join(shc, f), "rb").read().strip())
    seal = open(os.path.join(ROOT, "tests/data/icao/ICAOJPQR1Contents.txt"), "rb").read().strip()
    write("icao_seal", "jp", seal)
    parsed = json.loads(seal)
    write("icao_seal", "jp-pretty", json.dumps(parsed, indent=1, sort_keys=True).encode())
    write("icao_seal", "jp-test", seal.replace(b"icao.vacc", b"icao.test"))
    write("icao_seal", "rfc8785", b'{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}')
    sync_seeds()
    for t in sorted(os.listdir(OUT)):
        print(t, len(os.listdir(os.path.join(OUT, t))))


def sync_seeds():
    """Response scripts for sync_responses (see its header): the EU DCC
    API's status list, one certificate under its kid and token, 204; the
    rule service's 404; the signed trust and revocation lists (then their
    `.seq` hints and a delta's 404); the real VCI snapshot
    and a small snapshot-shaped document."""
    import base64, hashlib
    pem = open(os.path.join(ROOT, "demo/trust.pem")).read()
    der = base64.b64decode("".join(l for l in pem.splitlines() if not l.startswith("-----")))
    kid = base64.b64encode(hashlib.sha256(der).digest()[:8])
    def resp(status_byte, mask, body):
        return bytes([status_byte, mask]) + body
    sep = b"\n--\n"
    dgca = [resp(0, 0, b'["' + kid + b'"]'),
            resp(0, 3, kid + b"000000000001" + base64.b64encode(der)),
            resp(3, 0, b"")]
    rules = [resp(5, 0, b"")]
    tl = [resp(0, 8, b'"0123456789"' + open(os.path.join(ROOT, "tests/data/chains/trust-list.cose"), "rb").read())]
    rv_bytes = open(os.path.join(ROOT, "tests/data/chains/revocation-list.cose"), "rb").read()
    rv = [resp(0, 8, b'"0123456789"' + rv_bytes)]
    # (Not the real VCI snapshot: 0.7 MB checked with P-521 twice per run
    # made the target crawl; a small directory-shaped one instead.)
    vci = [resp(0, 0, b'{"directory":"https://x","time":"2026-08-22T04:43:50Z","issuerInfo":[]}'),
           resp(0, 0, b"0")]
    write("sync_responses", "all-sources", sep.join(dgca + rules + tl + rv + vci))
    # The second sync of the own lists: `.seq` hints, a delta asked for (404), the list again.
    write("sync_responses", "own-lists-twice", sep.join(tl + rv + [resp(0, 0, b"1"), resp(5, 0, b"<html>"), resp(0, 0, b"2"), resp(5, 0, b""), rv[0]]))
    write("sync_responses", "dgca-only", sep.join(dgca))
    write("sync_responses", "dgca-wrong-kid", sep.join([dgca[0], resp(0, 3, b"AAAAAAAAAAA=" + b"000000000001" + base64.b64encode(der)), dgca[2]]))


if __name__ == "__main__":
    main()
