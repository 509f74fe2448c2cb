#!/usr/bin/env python3
"""Interop between the healthpass command and independent Python code.

(a) Passes the `healthpass` command issues (ES256 and PS256; vaccination,
    test, recovery, exemption and light) are decoded and verified here with
    cbor2, base45, zlib and cryptography, none of which share code with
    healthpass; a light pass's source revocation hashes are recomputed here
    from its source pass.
(b) Passes made here (same packages) must be accepted by `healthpass verify`,
    and the negative ones (tampered, expired, not yet valid, wrong key,
    unknown signer, wrong prefix, a light pass without source hashes)
    rejected with the right error class; a light pass made here dies with its
    source on a revocation list the command line builds.
(c) The HCERT family: DVC (claim -260 -> -6, no exp) and WHO DDCC VS/TR
    (-260 -> 3, 4) passes the command line issues are decoded and verified
    here; passes made here are verified by the command line, the member
    keys it does not know refused as unsupported, the time policy kept.
(d) Other formats: SMART Health Cards signed here (JWS ES256 over raw
    DEFLATE, numeric shc:/ text, a JWK set with RFC 7638 kids, a revocation
    list) are verified by the command line, and cards it signs are decoded
    and verified here; the Japanese ICAO seal's signature is checked here
    over a canonical form made here, and seals signed here (RFC 8785 JSON)
    are verified by the command line.

Usage: interop.py PATH/TO/healthpass
Prints one line per check, then `N passed, M failed`; exits 1 on any failure.
"""

import base64
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import warnings
import zlib

import base45
import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import NameOID

CLI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "healthpass"
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
RESULTS = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    if ok:
        RESULTS["passed"] += 1
        print(f"ok      {name}")
    else:
        RESULTS["failed"] += 1
        print(f"FAILED  {name} {detail}")


def run(*args, stdin=None):
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True)


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


PERSON = {
    "nam": {"fn": "Müller-Lüdenscheidt", "fnt": "MUELLER<LUEDENSCHEIDT", "gn": "Ana María", "gnt": "ANA<MARIA"},
    "dob": "1977-03-09",
}
ENTRIES = {
    "v": {"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
          "dn": 3, "sd": 3, "dt": "2026-09-14", "co": "DE", "is": "Interop test issuer",
          "ci": "URN:UVCI:01:DE:INTEROP/V0001#G"},
    "t": {"tg": "840539006", "tt": "LP6464-4", "nm": "Interop PCR", "sc": "2026-11-24T07:30:00Z",
          "tr": "260415000", "tc": "Interop centre", "co": "DE", "is": "Interop test issuer",
          "ci": "URN:UVCI:01:DE:INTEROP/T0001"},
    "r": {"tg": "840539006", "fr": "2026-10-01", "co": "DE", "is": "Interop test issuer",
          "df": "2026-10-12", "du": "2027-03-31", "ci": "URN:UVCI:01:DE:INTEROP/R0001"},
    "e": {"tg": "840539006", "co": "IT", "is": "Ministero della Salute",
          "df": "2026-11-01", "du": "2027-04-30", "ci": "URN:UVCI:01:IT:INTEROP/E0001"},
}


def payload(group):
    return {"ver": "1.3.0", **PERSON, group: [ENTRIES[group]]}


# ---------------------------------------------------------------- decoding

def decode_text(text):
    """Text -> (prefix, the COSE_Sign1 parts), with an independent stack."""
    prefix, b45 = text[:4], text[4:]
    cose = zlib.decompress(base45.b45decode(b45))
    obj = cbor2.loads(cose)
    assert isinstance(obj, cbor2.CBORTag) and obj.tag == 18, "not a tag-18 COSE_Sign1"
    protected, unprotected, body, sig = obj.value
    return prefix, protected, unprotected, body, sig


def sig_structure(protected, body):
    return cbor2.dumps(["Signature1", protected, b"", body])


def verify_signature(cert, alg, protected, body, sig):
    pub = cert.public_key()
    msg = sig_structure(protected, body)
    if alg == -7:
        if len(sig) != 64:
            raise ValueError("ES256 signature is not r||s")
        der = utils.encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        pub.verify(der, msg, ec.ECDSA(hashes.SHA256()))
    elif alg == -37:
        pub.verify(sig, msg, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
    else:
        raise ValueError(f"unexpected alg {alg}")


def check_signature(name, cert, alg, protected, body, sig):
    try:
        verify_signature(cert, alg, protected, body, sig)
        check(f"{name} signature verifies (cryptography)", True)
    except Exception as e:  # noqa: BLE001
        check(f"{name} signature verifies (cryptography)", False, repr(e))


def load_cert(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificate(f.read())


# ------------------------------------------------------- (a) CLI issues

def part_a(tmp):
    for alg, cose_alg in (("es256", -7), ("ps256", -37)):
        out = os.path.join(tmp, alg)
        r = run("keygen", "--alg", alg, "--country", "DE", "--out", out)
        check(f"a/{alg} keygen", r.returncode == 0, r.stderr)
        cert = load_cert(os.path.join(out, "cert.pem"))
        cert_der = cert.public_bytes(serialization.Encoding.DER)
        kid = hashlib.sha256(cert_der).digest()[:8]
        check(f"a/{alg} certificate country", cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "DE")
        key_file = os.path.join(out, "key.pem")
        with open(key_file, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        check(f"a/{alg} key type", isinstance(key, ec.EllipticCurvePrivateKey if alg == "es256" else rsa.RSAPrivateKey))

        iat, exp = NOW - dt.timedelta(minutes=1), NOW + dt.timedelta(days=30)
        full_texts = {}
        for group in ("v", "t", "r", "e"):
            pfile = os.path.join(tmp, f"{alg}-{group}.json")
            with open(pfile, "w") as f:
                json.dump(payload(group), f, ensure_ascii=False)
            r = run("issue", "--key", key_file, "--cert", os.path.join(out, "cert.pem"),
                    "--payload", pfile, "--iat", rfc3339(iat), "--exp", rfc3339(exp))
            name = f"a/{alg}/{group}"
            if r.returncode != 0:
                check(f"{name} issue", False, r.stderr)
                continue
            text = r.stdout.strip()
            check(f"{name} stdout is the pass text only", r.stdout == text + "\n" and text.startswith("HC1:"))
            full_texts[group] = text
            prefix, protected, unprotected, body, sig = decode_text(text)
            hdr = cbor2.loads(protected)
            check(f"{name} protected header {{alg, kid}}", hdr == {1: cose_alg, 4: kid}, repr(hdr))
            check(f"{name} unprotected header empty", unprotected == {})
            check_signature(name, cert, cose_alg, protected, body, sig)
            claims = cbor2.loads(body)
            check(f"{name} claims iss/iat/exp", claims.get(1) == "DE" and claims.get(6) == int(iat.timestamp())
                  and claims.get(4) == int(exp.timestamp()), repr({k: v for k, v in claims.items() if k != -260}))
            check(f"{name} payload as given", claims.get(-260, {}).get(1) == payload(group))
            # Definite lengths and shortest integers: cbor2 (which writes those,
            # in the given map order) re-encodes the decoded claims identically.
            check(f"{name} cbor is deterministic (shortest, definite)", cbor2.dumps(claims) == body)
            check(f"{name} zlib at level 9", zlib.compress(cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, body, sig])), 9)
                  == base45.b45decode(text[4:]))

        if "v" in full_texts:
            src = os.path.join(tmp, f"{alg}-v.txt")
            with open(src, "w") as f:
                f.write(full_texts["v"] + "\n")
            r = run("issue", "--light", "--key", key_file, "--cert", os.path.join(out, "cert.pem"),
                    "--from", "@" + src, "--trust", os.path.join(out, "cert.pem"), "--valid-for", "48h")
            name = f"a/{alg}/light"
            if r.returncode != 0:
                check(f"{name} issue", False, r.stderr)
                continue
            text = r.stdout.strip()
            prefix, protected, unprotected, body, sig = decode_text(text)
            check(f"{name} prefix LT1:", prefix == "LT1:")
            check_signature(name, cert, cose_alg, protected, body, sig)
            claims = cbor2.loads(body)
            check(f"{name} claim -250 holds only ver, nam, dob", -260 not in claims
                  and claims.get(-250, {}).get(1) == {"ver": "1.3.0", **PERSON}, repr(claims))
            check(f"{name} valid for 48 h", claims.get(4, 0) - claims.get(6, 0) == 48 * 3600)
            # Key 2: the source pass's revocation hashes, recomputed here.
            _, _, _, src_body, src_sig = decode_text(full_texts["v"])
            want = source_hashes(cbor2.loads(src_body), cose_alg, src_sig)
            check(f"{name} carries its source's revocation hashes", claims.get(-250, {}).get(2) == want,
                  repr(claims.get(-250, {}).get(2)))
            r = run("issue", "--light", "--key", key_file, "--cert", os.path.join(out, "cert.pem"),
                    "--from", "@" + src, "--trust", os.path.join(out, "cert.pem"), "--valid-for", "8d")
            check(f"{name} longer than 7 days refused", r.returncode == 1 and "7 days" in r.stderr, r.stderr)


def h16(data):
    return hashlib.sha256(data).digest()[:16]


def source_hashes(claims, alg, sig):
    """The revocation hashes a light pass carries for its source (claim
    -250 key 2): 1 UCI, 2 COUNTRYCODEUCI with co, 3 with iss, 4 SIGNATURE
    (ECDSA: r only)."""
    entry = next(iter(v[0] for k, v in claims[-260][1].items() if k in ("v", "t", "r", "e")))
    ci = entry["ci"].encode()
    return {1: h16(ci), 2: h16(entry["co"].encode() + ci), 3: h16(claims[1].encode() + ci),
            4: h16(sig[:len(sig) // 2] if alg in (-7, -35) else sig)}


# ------------------------------------------------------- (b) Python issues

def make_signer(tmp, name, key, country="XX", eku=None):
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, country),
                         x509.NameAttribute(NameOID.COMMON_NAME, f"python interop {name}")])
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW - dt.timedelta(days=10)).not_valid_after(NOW + dt.timedelta(days=365)))
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage([x509.ObjectIdentifier(o) for o in eku]), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    path = os.path.join(tmp, f"py-{name}.pem")
    with open(path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    kid = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()[:8]
    return path, kid


def sign(key, alg, kid, claims, prefix="HC1:", tamper=False):
    protected = cbor2.dumps({1: alg, 4: kid})
    body = cbor2.dumps(claims)
    msg = sig_structure(protected, body)
    if alg == -7:
        r, s = utils.decode_dss_signature(key.sign(msg, ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        sig = key.sign(msg, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
    if tamper:
        body = body.replace(b"1977-03-09", b"1997-03-09")
    cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, body, sig]))
    return prefix + base45.b45encode(zlib.compress(cose, 9)).decode()


def claims_for(group, iat, exp, light=False, source=None):
    if light:
        light_claim = {1: {"ver": "1.3.0", **PERSON}}
        if source is not None:
            light_claim[2] = source
        return {1: "XX", 4: int(exp.timestamp()), 6: int(iat.timestamp()), -250: light_claim}
    return {1: "XX", 4: int(exp.timestamp()), 6: int(iat.timestamp()), -260: {1: payload(group)}}


def verify_cli(cert_path, text):
    r = run("verify", "--trust", cert_path, "--at", rfc3339(NOW), "--json", text)
    try:
        return r.returncode, json.loads(r.stdout)
    except json.JSONDecodeError:
        return r.returncode, {"stdout": r.stdout, "stderr": r.stderr}


def part_b(tmp):
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_key = ec.generate_private_key(ec.SECP256R1())
    ec_cert, ec_kid = make_signer(tmp, "ec", ec_key)
    rsa_cert, rsa_kid = make_signer(tmp, "rsa", rsa_key)
    test_only_cert, test_only_kid = make_signer(tmp, "test-only", ec_key, eku=["1.3.6.1.4.1.1847.2021.1.1"])
    _, unknown_kid = make_signer(tmp, "unknown", other_key)
    iat, exp = NOW - dt.timedelta(hours=1), NOW + dt.timedelta(days=30)
    # A light pass's source: a vaccination made here, and its hashes.
    source_text = sign(ec_key, -7, ec_kid, claims_for("v", iat, exp))
    _, _, _, src_body, src_sig = decode_text(source_text)
    hashes = source_hashes(cbor2.loads(src_body), -7, src_sig)

    positives = [
        ("b/es256/v", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", iat, exp)), "full"),
        ("b/es256/t", ec_cert, sign(ec_key, -7, ec_kid, claims_for("t", iat, exp)), "full"),
        ("b/es256/r", ec_cert, sign(ec_key, -7, ec_kid, claims_for("r", iat, exp)), "full"),
        ("b/es256/e", ec_cert, sign(ec_key, -7, ec_kid, claims_for("e", iat, exp)), "exemption"),
        ("b/ps256/v", rsa_cert, sign(rsa_key, -37, rsa_kid, claims_for("v", iat, exp)), "full"),
        ("b/ps256/e", rsa_cert, sign(rsa_key, -37, rsa_kid, claims_for("e", iat, exp)), "exemption"),
        ("b/es256/light", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", iat, exp, light=True, source=hashes), prefix="LT1:"), "light"),
        ("b/ps256/light", rsa_cert, sign(rsa_key, -37, rsa_kid, claims_for("v", iat, exp, light=True, source=hashes), prefix="LT1:"), "light"),
    ]
    for name, cert, text, form in positives:
        code, v = verify_cli(cert, text)
        check(f"{name} accepted", code == 0 and v.get("valid") is True and v.get("form") == form
              and v.get("holder", {}).get("date_of_birth") == PERSON["dob"], repr(v))
        check(f"{name} verdict shows nothing medical", all(s not in json.dumps(v) for s in ("840539006", "EU/1/20/1528", "260415000")))

    past = NOW - dt.timedelta(days=2)
    negatives = [
        ("b/es256 tampered", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", iat, exp), tamper=True), "bad_signature"),
        ("b/ps256 tampered", rsa_cert, sign(rsa_key, -37, rsa_kid, claims_for("v", iat, exp), tamper=True), "bad_signature"),
        ("b/es256 expired", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", past - dt.timedelta(days=1), past)), "expired"),
        ("b/es256 issued before its signer existed", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", NOW - dt.timedelta(days=20), exp)), "untrusted"),
        ("b/es256 not yet valid", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", NOW + dt.timedelta(hours=2), exp)), "not_yet_valid"),
        ("b/es256 wrong key, trusted kid", ec_cert, sign(other_key, -7, ec_kid, claims_for("v", iat, exp)), "bad_signature"),
        ("b/es256 unknown signer", ec_cert, sign(other_key, -7, unknown_kid, claims_for("v", iat, exp)), "untrusted"),
        ("b/ps256 signed as ES256", rsa_cert, sign(ec_key, -7, rsa_kid, claims_for("v", iat, exp)), "untrusted"),
        ("b/es256 test-only signer, vaccination", test_only_cert, sign(ec_key, -7, test_only_kid, claims_for("v", iat, exp)), "untrusted"),
        ("b/es256 test-only signer, exemption", test_only_cert, sign(ec_key, -7, test_only_kid, claims_for("e", iat, exp)), "untrusted"),
        ("b/es256 full pass with LT1:", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", iat, exp), prefix="LT1:"), "malformed"),
        ("b/es256 light pass with HC1:", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", iat, exp, light=True, source=hashes)), "malformed"),
        ("b/es256 light pass without source hashes", ec_cert, sign(ec_key, -7, ec_kid, claims_for("v", iat, exp, light=True), prefix="LT1:"), "malformed"),
    ]
    for name, cert, text, kind in negatives:
        code, v = verify_cli(cert, text)
        check(f"{name} rejected as {kind}", code == 1 and v.get("valid") is False and v.get("error_kind") == kind, repr(v))
    # And a test pass from the test-only signer is fine.
    code, v = verify_cli(test_only_cert, sign(ec_key, -7, test_only_kid, claims_for("t", iat, exp)))
    check("b/es256 test-only signer, test accepted", code == 0 and v.get("valid") is True, repr(v))

    # The light pass made here dies with its source: a list the command line
    # builds from the source pass (each hash type) revokes both.
    light_text = sign(ec_key, -7, ec_kid, claims_for("v", iat, exp, light=True, source=hashes), prefix="LT1:")
    src_file = os.path.join(tmp, "py-source.txt")
    with open(src_file, "w") as f:
        f.write(source_text + "\n")
    for hash_type, country in (("uci", "co"), ("cc-uci", "co"), ("cc-uci", "iss"), ("signature", "co")):
        lst = os.path.join(tmp, f"py-{hash_type}-{country}.list")
        r = run("revocation", "build", "--hash-type", hash_type, "--country-from", country, "--in", src_file,
                "--out", lst, "--iat", rfc3339(NOW - dt.timedelta(minutes=5)), "--sign",
                os.path.join(tmp, "es256", "key.pem"), "--cert", os.path.join(tmp, "es256", "cert.pem"))
        check(f"b/revocation list {hash_type}/{country} built", r.returncode == 0, r.stderr)
        for name, text in (("source", source_text), ("light pass", light_text)):
            r = run("verify", "--trust", ec_cert, "--at", rfc3339(NOW), "--json", "--revocation", lst,
                    "--revocation-trust", os.path.join(tmp, "es256", "cert.pem"), text)
            v = json.loads(r.stdout) if r.stdout else {}
            check(f"b/{hash_type}/{country}: the {name} is revoked", r.returncode == 1 and v.get("error_kind") == "revoked",
                  repr(v) + r.stderr)


# ------------------------------------------------------- (c) DDCC and DVC

DVC = {"n": "Aulo Agerio", "dob": "1990-08-23", "s": "M", "ntl": "CL",
       "v": {"dn": "Primary", "tg": "1D47", "vp": "XM0N24", "ma": "HIPRA", "dt": "2026-01-01",
             "bo": "123", "vls": "2026-01-11", "vle": "2036-01-10", "is": "python interop"}}
DDCC_BASE = {"name": "Jane Doe", "birthDate": "1990-04-01",
             "certificate": {"hcid": "HCID-PY-1", "issuer": "XX-MOH", "version": "RC-2.0.0"}}
DDCC_VS = {**DDCC_BASE, "vaccination": {"vaccine": {"code": "XM68M6", "system": "http://id.who.int/icd11/mms"},
                                        "date": "2026-01-10", "dose": 1}}
DDCC_TR = {**DDCC_BASE, "test": {"pathogen": {"code": "840539006"}, "date": "2026-11-30T08:00:00Z",
                                 "result": {"code": "260415000"}}}
MEMBERS = {"dvc": (-6, DVC, "Aulo Agerio"), "ddcc-vaccination": (3, DDCC_VS, "Jane Doe"),
           "ddcc-test": (4, DDCC_TR, "Jane Doe")}


def part_c(tmp):
    # (c1) the command line issues each member, with both algorithms.
    for alg, cose_alg in (("es256", -7), ("ps256", -37)):
        out = os.path.join(tmp, alg)
        cert_path, key_file = os.path.join(out, "cert.pem"), os.path.join(out, "key.pem")
        cert = load_cert(cert_path)
        for member, (key, body_json, _) in MEMBERS.items():
            name = f"c/{alg}/{member}"
            pfile = os.path.join(tmp, f"{alg}-{member}.json")
            with open(pfile, "w") as f:
                json.dump({member: body_json}, f)
            extra = ["--no-exp"] if member == "dvc" else ["--exp", rfc3339(NOW + dt.timedelta(days=30))]
            r = run("issue", "--key", key_file, "--cert", cert_path, "--payload", pfile,
                    "--iat", rfc3339(NOW - dt.timedelta(minutes=1)), *extra)
            if r.returncode != 0:
                check(f"{name} issue", False, r.stderr)
                continue
            _, protected, _, body, sig = decode_text(r.stdout.strip())
            check_signature(name, cert, cose_alg, protected, body, sig)
            claims = cbor2.loads(body)
            check(f"{name} one member under key {key}", list(claims.get(-260, {}).keys()) == [key],
                  repr(claims.get(-260)))
            check(f"{name} payload as given", claims[-260].get(key) == body_json)
            check(f"{name} exp {'absent' if member == 'dvc' else 'present'}", (4 in claims) == (member != "dvc"))

    # (c2) passes made here, verified by the command line.
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_cert, ec_kid = make_signer(tmp, "family", ec_key)
    iat, exp = NOW - dt.timedelta(hours=1), NOW + dt.timedelta(days=30)

    def family(key, body_json, with_exp=True, exp_at=exp):
        claims = {1: "XX", 6: int(iat.timestamp()), -260: {key: body_json}}
        if with_exp:
            claims[4] = int(exp_at.timestamp())
        return sign(ec_key, -7, ec_kid, claims)

    for member, (key, body_json, holder) in MEMBERS.items():
        code, v = verify_cli(ec_cert, family(key, body_json))
        check(f"c/python {member} accepted", code == 0 and v.get("form") == member
              and v.get("holder", {}).get("name") == holder, repr(v))
        check(f"c/python {member} verdict shows nothing medical",
              all(s not in json.dumps(v) for s in ("1D47", "XM68M6", "840539006", "260415000")))
    code, v = verify_cli(ec_cert, family(-6, DVC, with_exp=False))
    check("c/python dvc without exp accepted, valid until its vle", code == 0
          and v.get("valid_until") == "2036-01-10T23:59:59Z", repr(v))
    r = run("verify", "--trust", ec_cert, "--at", rfc3339(NOW), "--json", "--require-exp", family(-6, DVC, with_exp=False))
    check("c/python dvc without exp refused under --require-exp", r.returncode == 1
          and json.loads(r.stdout).get("error_kind") == "malformed", r.stdout)
    code, v = verify_cli(ec_cert, family(3, DDCC_VS, with_exp=False))
    check("c/python ddcc without exp refused by default", code == 1 and v.get("error_kind") == "malformed", repr(v))
    old = {**DVC, "v": {**DVC["v"], "vls": "2010-01-01", "vle": "2020-01-01"}}
    code, v = verify_cli(ec_cert, family(-6, old, with_exp=False))
    check("c/python dvc after its vle is expired", code == 1 and v.get("error_kind") == "expired", repr(v))
    for key in (2, 5):
        code, v = verify_cli(ec_cert, family(key, DDCC_VS))
        check(f"c/python member key {key} unsupported", code == 1 and v.get("error_kind") == "unsupported"
              and str(key) in v.get("reason", ""), repr(v))
    code, v = verify_cli(ec_cert, family(3, {**DDCC_VS, "vaccination": {**DDCC_VS["vaccination"], "vaccine": "XM68M6"}}))
    check("c/python ddcc with a coding as text is malformed", code == 1 and v.get("error_kind") == "malformed", repr(v))


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwk_of(public_key):
    nums = public_key.public_numbers()
    x, y = b64u(nums.x.to_bytes(32, "big")), b64u(nums.y.to_bytes(32, "big"))
    # RFC 7638: the required members, sorted, no white space.
    kid = b64u(hashlib.sha256(('{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}' % (x, y)).encode()).digest())
    return {"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256", "x": x, "y": y}


def shc_sign(key, payload, kid):
    header = b64u(json.dumps({"zip": "DEF", "alg": "ES256", "kid": kid}, separators=(",", ":")).encode())
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = deflate.compress(json.dumps(payload, separators=(",", ":")).encode()) + deflate.flush()
    signing_input = header + "." + b64u(body)
    r, s_ = utils.decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64u(r.to_bytes(32, "big") + s_.to_bytes(32, "big"))


def shc_numeric(jws):
    return "".join("%02d" % (ord(c) - 45) for c in jws)


def jcs(value):
    # RFC 8785 for what these seals hold: strings, integers, objects, arrays
    # (member names sorted by UTF-16 code units).
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: kv[0].encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(v) for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def part_d(tmp):
    bundle = json.load(open("tests/data/shc/covid-vaccines-bundle.json"))
    iss = "https://issuer.example.org"
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = jwk_of(key.public_key())
    jwks = os.path.join(tmp, "jwks.json")
    json.dump({"keys": [jwk]}, open(jwks, "w"))
    nbf = int(NOW.timestamp()) - 3600

    def card(rid=None, exp=None, k=key, kid=jwk["kid"], tamper=False):
        vc = {"type": ["https://smarthealth.cards#health-card"],
              "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": bundle}}
        if rid:
            vc["rid"] = rid
        payload = {"iss": iss, "nbf": nbf, "vc": vc}
        if exp:
            payload["exp"] = exp
        jws = shc_sign(k, payload, kid)
        if tamper:
            h, p, sig = jws.split(".")
            d = zlib.compressobj(9, zlib.DEFLATED, -15)
            other = json.dumps(dict(payload, iss=iss + "x"), separators=(",", ":")).encode()
            jws = ".".join([h, b64u(d.compress(other) + d.flush()), sig])
        return "shc:/" + shc_numeric(jws)

    def verify(text, *extra):
        r = run("verify", "--shc-jwks", f"{jwks}={iss}", *extra, "--json", text)
        return r.returncode, json.loads(r.stdout) if r.stdout else {}

    code, v = verify(card())
    check("d/python card accepted", code == 0 and v.get("form") == "shc"
          and v["holder"]["name"] == "John B. Anyperson" and v["holder"]["date_of_birth"] == "1951-01-20", repr(v))
    code, v = verify(card(tamper=True))
    check("d/python card with a changed payload: bad signature", v.get("error_kind") == "bad_signature", repr(v))
    other = ec.generate_private_key(ec.SECP256R1())
    code, v = verify(card(k=other, kid=jwk_of(other.public_key())["kid"]))
    check("d/python card of an unknown key: untrusted", v.get("error_kind") == "untrusted", repr(v))
    code, v = verify(card(k=other))
    check("d/python card signed by another key under the kid: bad signature", v.get("error_kind") == "bad_signature", repr(v))
    code, v = verify(card(exp=nbf + 60))
    check("d/python card past its exp: expired", v.get("error_kind") == "expired", repr(v))
    crl = os.path.join(tmp, "crl.json")
    json.dump({"kid": jwk["kid"], "method": "rid", "ctr": 1, "rids": ["revoked1", "later.%d" % (nbf + 1)]}, open(crl, "w"))
    code, v = verify(card(rid="revoked1"), "--shc-crl", crl)
    check("d/python card on a python revocation list: revoked", v.get("error_kind") == "revoked", repr(v))
    code, v = verify(card(rid="later"), "--shc-crl", crl)
    check("d/python card issued before a rid's cut-off: revoked", v.get("error_kind") == "revoked", repr(v))
    code, v = verify(card(rid="other"), "--shc-crl", crl)
    check("d/python card not listed: accepted", code == 0, repr(v))
    # Two chunks, given together (any order), then one alone.
    digits = card()[5:]
    half = len(digits) // 4 * 2
    chunks = ["shc:/1/2/" + digits[:half], "shc:/2/2/" + digits[half:]]
    code, v = verify(chunks[1] + "\n" + chunks[0])
    check("d/python card in two chunks: accepted", code == 0 and v.get("form") == "shc", repr(v))
    code, v = verify(chunks[0])
    check("d/one chunk of two: unsupported", v.get("error_kind") == "unsupported", repr(v))

    # The command line signs; Python decodes and verifies.
    run("keygen", "--alg", "es256", "--country", "XX", "--out", os.path.join(tmp, "shckey"))
    keyfile = os.path.join(tmp, "shckey", "key.pem")
    bundle_file = os.path.join(tmp, "bundle.json")
    json.dump(bundle, open(bundle_file, "w"))
    r = run("shc", "sign", "--key", keyfile, "--iss", iss, "--bundle", bundle_file, "--rid", "abc_DEF-1")
    text = r.stdout.strip()
    published = json.loads(run("shc", "jwks", "--key", keyfile).stdout)["keys"][0]
    digits = text[len("shc:/"):]
    jws = "".join(chr(int(digits[i:i + 2]) + 45) for i in range(0, len(digits), 2))
    h, p, sig = jws.split(".")
    header = json.loads(unb64u(h))
    priv = serialization.load_pem_private_key(open(keyfile, "rb").read(), None)
    check("d/command-line card: header and kid (rfc 7638, computed here)",
          header == {"zip": "DEF", "alg": "ES256", "kid": jwk_of(priv.public_key())["kid"]}
          and published["kid"] == header["kid"], repr(header))
    raw = unb64u(sig)
    try:
        priv.public_key().verify(utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                                 (h + "." + p).encode(), ec.ECDSA(hashes.SHA256()))
        ok = len(raw) == 64
    except Exception:
        ok = False
    check("d/command-line card: es256 signature verifies here", ok)
    payload = json.loads(zlib.decompress(unb64u(p), -15))
    check("d/command-line card: raw deflate payload", payload["iss"] == iss and payload["vc"]["rid"] == "abc_DEF-1"
          and payload["vc"]["credentialSubject"]["fhirBundle"] == bundle
          and "https://smarthealth.cards#health-card" in payload["vc"]["type"], repr(payload)[:200])

    # ICAO: the Japanese seal's signature, over a canonical form made here.
    seal = json.load(open("tests/data/icao/ICAOJPQR1Contents.txt"))
    with warnings.catch_warnings():
        # Its CA wrote NULL parameters after ecdsa-with-SHA384 (RFC 5758: absent).
        warnings.simplefilter("ignore")
        cert = x509.load_der_x509_certificate(unb64u(seal["sig"]["cer"]))
    raw = unb64u(seal["sig"]["sigvl"])
    try:
        cert.public_key().verify(utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                                 jcs(seal["data"]).encode(), ec.ECDSA(hashes.SHA256()))
        ok = True
    except Exception:
        ok = False
    check("d/japanese seal verifies here over python's rfc 8785 form", ok)
    # Seals signed here: vaccination and test, members in any order.
    skey = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "NZ"), x509.NameAttribute(NameOID.COMMON_NAME, "seal signer")])
    scert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(skey.public_key())
             .serial_number(x509.random_serial_number()).not_valid_before(NOW - dt.timedelta(days=1))
             .not_valid_after(NOW + dt.timedelta(days=30)).sign(skey, hashes.SHA256()))
    scert_file = os.path.join(tmp, "seal-signer.pem")
    open(scert_file, "wb").write(scert.public_bytes(serialization.Encoding.PEM))
    for t, msg in [
        ("icao.vacc", {"uvci": "U1", "pid": {"n": "Zoë Smith", "dob": "1990-01-02"},
                       "ve": [{"des": "XM68M6", "nam": "Comirnaty", "dis": "RA01.0",
                               "vd": [{"dvc": "2021-03-03", "seq": 1, "ctr": "NZL", "adm": "Auckland", "lot": "A1"}]}]}),
        ("icao.test", {"utci": "T1", "pid": {"n": "Zoë Smith", "dob": "1990-01-02"},
                       "sp": {"spn": "lab", "ctr": "NZL"}, "dat": {"sc": "2026-11-28T10:00:00+13:00"},
                       "tr": {"tc": "molecular(PCR)", "r": "negative", "m": "nasopharyngeal"}}),
    ]:
        data = {"msg": msg, "hdr": {"v": 1, "is": "NZL", "t": t}}
        der = utils.decode_dss_signature(skey.sign(jcs(data).encode(), ec.ECDSA(hashes.SHA256())))
        sealed = {"sig": {"alg": "ES256", "cer": b64u(scert.public_bytes(serialization.Encoding.DER)),
                          "sigvl": b64u(der[0].to_bytes(32, "big") + der[1].to_bytes(32, "big"))}, "data": data}
        text = json.dumps(sealed, ensure_ascii=False, indent=2)
        r = run("verify", "--trust", scert_file, "--json", text)
        v = json.loads(r.stdout)
        form = "icao-vacc" if t == "icao.vacc" else "icao-test"
        check(f"d/python {t} seal accepted", r.returncode == 0 and v.get("form") == form
              and v["holder"]["name"] == "Zoë Smith", repr(v))
        data["msg"]["pid"]["n"] = "Zoe Smith"
        r = run("verify", "--trust", scert_file, "--json", json.dumps(sealed))
        check(f"d/python {t} seal with a changed name: bad signature",
              json.loads(r.stdout).get("error_kind") == "bad_signature", r.stdout)

    # Chained: a CSCA made here (in --trust), a seal signer it issued.
    def ca_cert(country, cn, key, issuer=None, issuer_key=None, ca=True, days=30):
        subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, country), x509.NameAttribute(NameOID.COMMON_NAME, cn)])
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer.subject if issuer else subject)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(NOW - dt.timedelta(days=2)).not_valid_after(NOW + dt.timedelta(days=days))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True))
        if ca:
            b = b.add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                              data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                              crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        return b.sign(issuer_key or key, hashes.SHA384())

    def seal_by(dsc, dkey, country="NZL"):
        data = {"hdr": {"t": "icao.vacc", "v": 1, "is": country},
                "msg": {"uvci": "U2", "pid": {"n": "Ana Chained", "dob": "1985-05-05"},
                        "ve": [{"des": "XM68M6", "nam": "Comirnaty", "dis": "RA01.0",
                                "vd": [{"dvc": "2021-03-03", "seq": 1, "ctr": country, "adm": "x", "lot": "L"}]}]}}
        r_, s_ = utils.decode_dss_signature(dkey.sign(jcs(data).encode(), ec.ECDSA(hashes.SHA256())))
        return json.dumps({"data": data, "sig": {"alg": "ES256", "cer": b64u(dsc.public_bytes(serialization.Encoding.DER)),
                                                 "sigvl": b64u(r_.to_bytes(32, "big") + s_.to_bytes(32, "big"))}})

    ckey, dkey = ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(ec.SECP256R1())
    csca = ca_cert("NZ", "NZ CSCA", ckey)
    dsc = ca_cert("NZ", "NZ seal signer", dkey, issuer=csca, issuer_key=ckey, ca=False)
    csca_file = os.path.join(tmp, "csca.pem")
    open(csca_file, "wb").write(csca.public_bytes(serialization.Encoding.PEM))
    r = run("verify", "--trust", csca_file, "--json", seal_by(dsc, dkey))
    v = json.loads(r.stdout)
    check("d/python seal whose signer a python csca issued: accepted (chained)",
          r.returncode == 0 and v.get("form") == "icao-vacc", repr(v))
    r = run("verify", "--trust", csca_file, "--json", seal_by(dsc, dkey, "AUS"))
    check("d/python seal of another country than its signer's: untrusted",
          json.loads(r.stdout).get("error_kind") == "untrusted", r.stdout)
    rogue = ca_cert("NZ", "NZ seal signer", dkey, issuer=csca, issuer_key=ec.generate_private_key(ec.SECP384R1()), ca=False)
    r = run("verify", "--trust", csca_file, "--json", seal_by(rogue, dkey))
    check("d/python seal whose signer another key issued: untrusted",
          json.loads(r.stdout).get("error_kind") == "untrusted", r.stdout)
    later = rfc3339(NOW + dt.timedelta(days=60))
    r = run("verify", "--trust", csca_file, "--at", later, "--json", seal_by(dsc, dkey))
    check("d/python seal after its signer's validity: untrusted",
          json.loads(r.stdout).get("error_kind") == "untrusted", r.stdout)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        part_a(tmp)
        part_b(tmp)
        part_c(tmp)
        part_d(tmp)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] or not RESULTS["passed"] else 0


if __name__ == "__main__":
    sys.exit(main())
