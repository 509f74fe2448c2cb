#!/usr/bin/env python3
"""Counts, with Python `cryptography` (none of this crate's code), what a
sync of the PathCheck registry's EU DCC certificates through a DGCA verifier
API should keep: every distinct certificate of the registry's EUDCC section,
served under its own kid; a verifier keeps the signers (not CAs) whose key
it can use (P-256, P-384, RSA 2048-4096). Prints counts.json."""
import importlib.util, json, os, sys
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

here = os.path.dirname(os.path.abspath(__file__))
# The basicConstraints reading of the directory counts (an explicit cA
# FALSE, which DER forbids but many issuers wrote, is FALSE).
spec = importlib.util.spec_from_file_location("dircounts", os.path.join(here, "..", "directories", "counts.py"))
dircounts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dircounts)
reg = json.load(open(os.path.join(here, "..", "directories", "pathcheck", "registry.json")))
seen, counts = set(), {}
def count(k): counts[k] = counts.get(k, 0) + 1
for kid, entry in reg["EUDCC"].items():
    doc = entry.get("didDocument", "")
    if "BEGIN CERTIFICATE" not in doc:
        continue
    cert = x509.load_pem_x509_certificate(doc.encode())
    der = cert.public_bytes(encoding=__import__("cryptography").hazmat.primitives.serialization.Encoding.DER)
    if der in seen:
        count("duplicate"); continue
    seen.add(der)
    count("served")
    if dircounts.is_ca(cert):
        count("refused: a ca"); continue
    key = cert.public_key()
    ok = (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in ("secp256r1", "secp384r1")) or \
         (isinstance(key, rsa.RSAPublicKey) and 2048 <= key.key_size <= 4096)
    count("kept" if ok else "refused: key")
print(json.dumps(dict(sorted(counts.items())), indent=1))
