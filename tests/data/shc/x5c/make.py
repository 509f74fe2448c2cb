"""Makes the x5c chains of tests/formats.rs (issue 22.13), TEST ONLY keys:
a root CA (the anchor), two intermediates (one with keyUsage keyCertSign,
one with digitalSignature only) and a P-256 issuer key under each, whose
certificate names the issuer URL in its subjectAltName. Writes anchor.pem,
jwks-good.json, jwks-no-keycertsign.json (public JWK sets with x5c) and
issuer.private.json (the issuer's private JWK, shared by both sets).
Run: python3 make.py (Python `cryptography`)."""
import base64, datetime as dt, hashlib, json, os
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

HERE = os.path.dirname(os.path.abspath(__file__))
ISS = "https://issuer.example.org/shc"
T0, T1 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)

def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def name(cn): return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

def cert(subject, subject_key, issuer, issuer_key, ca, cert_sign, san=None):
    b = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
         .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(T0).not_valid_after(T1)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    b = b.add_extension(x509.KeyUsage(digital_signature=not ca or not cert_sign, content_commitment=False,
                                      key_encipherment=False, data_encipherment=False, key_agreement=False,
                                      key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False,
                                      decipher_only=False), critical=True)
    if san:
        b = b.add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(san)]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())

def der_b64(c): return base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()

root_key = ec.generate_private_key(ec.SECP256R1())
root = cert("Test SHC root", root_key, "Test SHC root", root_key, True, True)
leaf_key = ec.generate_private_key(ec.SECP256R1())
nums = leaf_key.public_key().public_numbers()
x, y = b64u(nums.x.to_bytes(32, "big")), b64u(nums.y.to_bytes(32, "big"))
kid = b64u(hashlib.sha256(json.dumps({"crv": "P-256", "kty": "EC", "x": x, "y": y},
                                     separators=(",", ":"), sort_keys=True).encode()).digest())
for label, cert_sign in [("good", True), ("no-keycertsign", False)]:
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter = cert(f"Test SHC intermediate ({label})", inter_key, "Test SHC root", root_key, True, cert_sign)
    leaf = cert("Test SHC issuer", leaf_key, inter.subject.rfc4514_string().split("=", 1)[1], inter_key,
                False, False, san=ISS)
    jwk = {"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256", "x": x, "y": y,
           "x5c": [der_b64(leaf), der_b64(inter)]}
    with open(os.path.join(HERE, f"jwks-{label}.json"), "w") as f:
        json.dump({"keys": [jwk]}, f, indent=1)
with open(os.path.join(HERE, "anchor.pem"), "wb") as f:
    f.write(root.public_bytes(serialization.Encoding.PEM))
d = b64u(leaf_key.private_numbers().private_value.to_bytes(32, "big"))
with open(os.path.join(HERE, "issuer.private.json"), "w") as f:
    json.dump({"keys": [{"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256",
                         "x": x, "y": y, "d": d}]}, f, indent=1)
print("kid", kid)
