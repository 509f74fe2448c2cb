"""Independent counts (Python `cryptography`) of what the trust store should
make of the real directories in this folder: for each file, the entries
accepted, withdrawn and refused by reason, following the store's rules
(issue 23) but none of its code. tests/trust_store.rs expects these figures.

Usage: python3 counts.py  (from any directory)"""
import base64, collections, hashlib, json, os, warnings
warnings.simplefilter("ignore")
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
KNOWN = {ExtensionOID.BASIC_CONSTRAINTS, ExtensionOID.KEY_USAGE, ExtensionOID.EXTENDED_KEY_USAGE,
         ExtensionOID.SUBJECT_KEY_IDENTIFIER, ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
         ExtensionOID.SUBJECT_ALTERNATIVE_NAME, ExtensionOID.ISSUER_ALTERNATIVE_NAME,
         ExtensionOID.CRL_DISTRIBUTION_POINTS, ExtensionOID.CERTIFICATE_POLICIES,
         ExtensionOID.PRIVATE_KEY_USAGE_PERIOD}


def key_class(pk, role):
    """'ok' or the reason a key is refused, for a signer or an authority."""
    if isinstance(pk, ec.EllipticCurvePublicKey):
        name = pk.curve.name
        if name in ("secp256r1", "secp384r1", "secp521r1"):
            return "ok"
        if name.startswith("brainpool"):
            return name + " (brainpool)"
        return "unsupported curve"
    if isinstance(pk, rsa.RSAPublicKey):
        n = pk.public_numbers()
        bits, e = n.n.bit_length(), n.e
        if role == "signer":
            if not 2048 <= bits <= 4096:
                return "rsa size"
            return "ok" if e % 2 == 1 and e >= 65537 else "rsa exponent"
        if not 2048 <= bits <= 8192:
            return "rsa ca size"
        return "ok" if e % 2 == 1 and 3 <= e < 2 ** 33 else "rsa ca exponent"
    return "unsupported key type"


BRAINPOOL_P = {
    0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377: "brainpoolP256r1",
    0x8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53: "brainpoolP384r1",
    0xaadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3: "brainpoolP512r1",
}


def nist_curves():
    """The NIST curves' parameters, derived here: p by its formula, a = p - 3,
    G from Python's own generator, b from G, n checked by (n - 1)G = -G."""
    out = {}
    for name, curve, p, n in [
        ("secp256r1", ec.SECP256R1(), 2**256 - 2**224 + 2**192 + 2**96 - 1,
         0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551),
        ("secp384r1", ec.SECP384R1(), 2**384 - 2**128 - 2**96 + 2**32 - 1,
         0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973),
        ("secp521r1", ec.SECP521R1(), 2**521 - 1,
         0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409),
    ]:
        g = ec.derive_private_key(1, curve).public_key().public_numbers()
        m = ec.derive_private_key(n - 1, curve).public_key().public_numbers()
        assert (m.x, m.y) == (g.x, (p - g.y) % p), name
        a = p - 3
        b = (g.y * g.y - g.x ** 3 - a * g.x) % p
        out[(p, a, b, g.x, g.y, n)] = name
    return out


NIST = nist_curves()


def der_items(b, i, end):
    out = []
    while i < end:
        tag = b[i]; n = b[i + 1]; j = i + 2
        if n & 0x80:
            k = n & 0x7F; n = int.from_bytes(b[j:j + k], "big"); j += k
        out.append((tag, j, n)); i = j + n
    return out


def explicit_curve(cert):
    """The curve of an EC key with explicit parameters, compared in full."""
    tbs = cert.tbs_certificate_bytes
    (t, j, n), = der_items(tbs, 0, len(tbs))
    fields = der_items(tbs, j, j + n)
    if fields[0][0] == 0xA0:
        fields = fields[1:]
    _, sj, sn = fields[5]                      # subjectPublicKeyInfo
    (_, aj, an), _ = der_items(tbs, sj, sj + sn)
    alg = der_items(tbs, aj, aj + an)
    _, pj, pn = alg[1]
    params = der_items(tbs, pj, pj + pn)       # version, fieldID, curve, base, order, cofactor?
    val = lambda f: int.from_bytes(tbs[f[1]:f[1] + f[2]], "big")
    field = der_items(tbs, params[1][1], params[1][1] + params[1][2])
    coeffs = der_items(tbs, params[2][1], params[2][1] + params[2][2])
    p, a, b = val(field[1]), val(coeffs[0]), val(coeffs[1])
    base = tbs[params[3][1]:params[3][1] + params[3][2]]
    size = (len(base) - 1) // 2
    gx, gy = int.from_bytes(base[1:1 + size], "big"), int.from_bytes(base[1 + size:], "big")
    n = val(params[4])
    if (p, a, b, gx, gy, n) in NIST:
        return NIST[(p, a, b, gx, gy, n)]
    return BRAINPOOL_P.get(p, "unknown")


def public_key_class(cert, role):
    """As key_class, for keys Python cannot load (explicit parameters it
    does not map): the curve compared in full here."""
    try:
        return key_class(cert.public_key(), role)
    except Exception:
        name = explicit_curve(cert)
        if name.startswith("secp"):
            return "ok"
        if name.startswith("brainpool"):
            return f"{name} (brainpool)"
        return "explicit parameters of no known curve"


def csca_reason(cert):
    try:
        exts = cert.extensions
    except ValueError:
        ca = raw_ca(cert.public_bytes(serialization.Encoding.DER))
        return "bad basic constraints" if ca is None else "not a ca (basicConstraints)" if not ca else "unreadable"
    for e in exts:
        if e.critical and e.oid not in KNOWN:
            return "unknown critical extension"
    try:
        bc = exts.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
    except x509.ExtensionNotFound:
        return "not a ca (basicConstraints)"
    if not bc.ca:
        return "not a ca (basicConstraints)"
    try:
        ku = exts.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
        if not ku.key_cert_sign:
            return "no keyCertSign"
    except x509.ExtensionNotFound:
        return "no keyCertSign"
    if not cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME):
        return "no country"
    return public_key_class(cert, "authority")


def raw_ca(der):
    """basicConstraints cA read from the DER directly, for certificates
    Python refuses: an explicit cA FALSE (DER forbids encoding the default,
    many issuers did) is FALSE; a BOOLEAN that is neither 00 nor FF is bad
    (None)."""
    i = der.find(bytes.fromhex("0603551d13"))
    if i < 0:
        return False
    j = i + 5
    if der[j] == 0x01:          # critical BOOLEAN
        j += 3
    assert der[j] == 0x04        # extnValue
    body = der[j + 2:j + 2 + der[j + 1]]
    assert body[0] == 0x30
    inner = body[2:2 + body[1]]
    if inner[:1] == b"\x01":
        if inner[1] != 1 or inner[2] not in (0x00, 0xFF):
            return None
        return inner[2] == 0xFF
    return False


def is_ca(cert):
    """basicConstraints cA: True, False, or None when it is not DER."""
    try:
        return cert.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value.ca
    except x509.ExtensionNotFound:
        return False
    except ValueError:
        return raw_ca(cert.public_bytes(serialization.Encoding.DER))


def pem_der(text):
    return base64.b64decode("".join(l for l in text.splitlines() if not l.startswith("-----")))


def thumbprint(jwk):
    canon = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"], "y": jwk["y"]},
                       separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canon.encode()).digest()).rstrip(b"=").decode()


def b64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def shc_key_reason(jwk):
    if "d" in jwk:
        return "private"
    if jwk.get("kty") != "EC" or jwk.get("alg") != "ES256" or jwk.get("use", "sig") != "sig":
        return "not an es256 signing key"
    if jwk.get("crv") != "P-256":
        return "not p-256"
    try:
        x, y = b64u(jwk["x"]), b64u(jwk["y"])
    except Exception:
        return "bad x or y"
    if len(x) != 32 or len(y) != 32:
        return "x and y not 32 bytes"
    if jwk.get("kid") != thumbprint(jwk):
        return "kid is not the thumbprint"
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b"\x04" + x + y)
    except ValueError:
        return "bad point"
    return "ok"


def https(iss):
    return iss.startswith("https://") and len(iss) > 8 and not iss.endswith("/") and " " not in iss


def registry():
    r = json.load(open(os.path.join(HERE, "pathcheck/registry.json")))
    out = {}
    # EU DCC signers.
    c = collections.Counter()
    for kid, e in r["EUDCC"].items():
        try:
            kid_ok = len(base64.b64decode(kid, validate=True)) == 8
        except ValueError:
            kid_ok = False
        if not kid_ok:
            c["kid not 8 bytes"] += 1
            continue
        if e["status"] in ("terminated", "revoked"):
            c["withdrawn"] += 1
            continue
        doc = e["didDocument"]
        der = pem_der(doc)
        if "CERTIFICATE" in doc:
            cert = x509.load_der_x509_certificate(der)
            if base64.b64encode(hashlib.sha256(der).digest()[:8]).decode() != kid:
                c["kid is not the certificate's"] += 1
                continue
            ca = is_ca(cert)
            if ca is None:
                c["bad basic constraints"] += 1
                continue
            if ca:
                c["a ca"] += 1
                continue
            k = public_key_class(cert, "signer")
            c["accepted certificate" if k == "ok" else k] += 1
        else:
            k = key_class(serialization.load_der_public_key(der), "signer")
            c["accepted bare key" if k == "ok" else k] += 1
    out["EUDCC"] = dict(c)
    # SMART Health Cards: ISS#KID, bound to ISS; the same key once.
    c = collections.Counter()
    seen = set()
    for ident, e in r["SmartHealthCards"].items():
        iss, kid = ident.rsplit("#", 1)
        if e["status"] in ("terminated", "revoked"):
            c["withdrawn"] += 1
            continue
        jwk = e["didDocument"]
        if not https(iss):
            c["iss not https"] += 1
            continue
        if jwk.get("kid") != kid:
            c["kid is not the registry's"] += 1
            continue
        reason = shc_key_reason(jwk)
        if reason != "ok":
            c[reason] += 1
        elif jwk["kid"] in seen:
            c["duplicate"] += 1
        else:
            seen.add(jwk["kid"])
            c["accepted"] += 1
    out["SmartHealthCards"] = dict(c)
    # ICAO country CAs (the same certificate once).
    c = collections.Counter()
    seen = set()
    for ident, e in r["ICAO"].items():
        der = pem_der(e["didDocument"])
        if der in seen:
            c["duplicate"] += 1
            continue
        seen.add(der)
        cert = x509.load_der_x509_certificate(der)
        reason = csca_reason(cert)
        c["accepted" if reason == "ok" else reason] += 1
    out["ICAO"] = dict(c)
    out["DIVOC"] = {"refused (not read)": len(r["DIVOC"])}
    out["other sections"] = {k: len(v) for k, v in r.items() if k not in ("EUDCC", "SmartHealthCards", "ICAO", "DIVOC")}
    return out


def vci():
    snap = open(os.path.join(HERE, "vci/vci_snapshot.json"), "rb").read()
    sig = open(os.path.join(HERE, "vci/vci_snapshot.sig"), "rb").read()
    cert = x509.load_pem_x509_certificate(open(os.path.join(HERE, "vci/vci_snapshot.crt"), "rb").read())
    cert.public_key().verify(sig, snap, ec.ECDSA(hashes.SHA512()))
    c = collections.Counter()
    seen = set()
    doc = json.loads(snap)
    for info in doc["issuerInfo"]:
        iss = info["issuer"]["iss"]
        for jwk in info.get("keys", []):
            if not https(iss):
                c["iss not https"] += 1
                continue
            reason = shc_key_reason(jwk)
            if reason != "ok":
                c[reason] += 1
            elif jwk["kid"] in seen:
                c["duplicate"] += 1
            else:
                seen.add(jwk["kid"])
                c["accepted"] += 1
    crls = sum(len(i.get("crls", [])) for i in doc["issuerInfo"])
    return {"signature": "verifies (P-521, SHA-512)", "issuers": len(doc["issuerInfo"]),
            "keys": dict(c), "revocation lists": crls}


def pem_bundle():
    text = open(os.path.join(HERE, "icao-health-cscas.pem")).read()
    c = collections.Counter()
    seen = set()
    for block in text.split("-----BEGIN CERTIFICATE-----")[1:]:
        der = pem_der("-----BEGIN CERTIFICATE-----" + block.split("-----END CERTIFICATE-----")[0])
        if der in seen:
            c["duplicate"] += 1
            continue
        seen.add(der)
        cert = x509.load_der_x509_certificate(der)
        ca = is_ca(cert)
        if ca is None:
            c["bad basic constraints"] += 1
        elif ca:
            reason = csca_reason(cert)
            c["country ca" if reason == "ok" else reason] += 1
        else:
            k = public_key_class(cert, "signer")
            c["signer (not a ca)" if k == "ok" else "not a ca: " + k] += 1
    return dict(c)


if __name__ == "__main__":
    print(json.dumps({"registry": registry(), "vci": vci(), "icao-health-cscas.pem": pem_bundle()},
                     indent=1, sort_keys=True))
