"""Makes the certificate chains of tests/trust_chain.rs (run once; the
outputs are committed). Python `cryptography` (tests/interop/requirements.txt).

Country XA has CSCAs of every signature family the chained mode accepts,
each with one DSC; the other files are the cases it must refuse."""
import datetime as dt
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

OUT = pathlib.Path(__file__).parent
T = lambda y, m=1, d=1: dt.datetime(y, m, d, tzinfo=dt.timezone.utc)


def name(cn, c="XA"):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, c), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def build(subject, issuer, key, signer, nb, na, ca, ku_sign, extra=(), **sign):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(nb).not_valid_after(na))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    b = b.add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=ca and ku_sign,
                                      crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
    for ext, crit in extra:
        b = b.add_extension(ext, critical=crit)
    return b.sign(signer, **sign)


def pem(path, *certs):
    (OUT / path).write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))


def key_pem(path, key):
    (OUT / path).write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))


p256 = lambda: ec.generate_private_key(ec.SECP256R1())
CA_NB, CA_NA = T(2025), T(2036)
DSC_NB, DSC_NA = T(2026), T(2028)

# The CSCAs, one per signature family, and a DSC under each (P-256 keys).
families = {
    "p256": (p256(), dict(algorithm=hashes.SHA256())),
    "p384": (ec.generate_private_key(ec.SECP384R1()), dict(algorithm=hashes.SHA384())),
    "rsa": (rsa.generate_private_key(65537, 3072), dict(algorithm=hashes.SHA256())),
    "pss": (rsa.generate_private_key(65537, 2048), dict(algorithm=hashes.SHA256(),
            rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32))),
}
cscas = []
for fam, (ca_key, how) in families.items():
    csca = build(name(f"XA CSCA {fam}"), name(f"XA CSCA {fam}"), ca_key, ca_key, CA_NB, CA_NA, True, True, **how)
    cscas.append(csca)
    dsc_key = p256()
    dsc = build(name(f"XA DSC {fam}"), csca.subject, dsc_key, ca_key, DSC_NB, DSC_NA, False, False, **how)
    pem(f"dsc-{fam}.pem", dsc)
    key_pem(f"dsc-{fam}.key.pem", dsc_key)
    if fam == "p256":
        root_key, root, root_how = ca_key, csca, how
pem("csca-xa.pem", *cscas)

def dsc_under(fname, subject=None, extra=(), signer=None, issuer=None, **how):
    k = p256()
    c = build(subject or name(fname), issuer or root.subject, k, signer or root_key, DSC_NB, DSC_NA, False, False,
              extra, **(how or root_how))
    pem(f"{fname}.pem", c)
    return k, c

# Refused DSCs under the p256 CSCA.
dsc_under("dsc-other-country", subject=name("XB DSC", c="XB"))
dsc_under("dsc-unknown-critical", extra=[(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.3.4"), b"\x05\x00"), True)])
# A DSC under an intermediate CA of XA: the path is longer than CSCA → DSC.
sub_key = p256()
sub = build(name("XA sub CA"), root.subject, sub_key, root_key, CA_NB, CA_NA, True, True, **root_how)
dsc_under("dsc-under-intermediate", signer=sub_key, issuer=sub.subject)
pem("intermediate-xa.pem", sub)

# CSCAs that are not acceptable.
k = p256()
pem("csca-not-ca.pem", build(name("XA not a CA"), name("XA not a CA"), k, k, CA_NB, CA_NA, False, False, algorithm=hashes.SHA256()))
k = p256()
pem("csca-no-keycertsign.pem", build(name("XA no keyCertSign"), name("XA no keyCertSign"), k, k, CA_NB, CA_NA, True, False, algorithm=hashes.SHA256()))

# A CSCA that expires mid-2026, and a DSC under it valid until 2028.
k = p256()
short = build(name("XA CSCA short"), name("XA CSCA short"), k, k, CA_NB, T(2026, 7), True, True, algorithm=hashes.SHA256())
pem("csca-short.pem", short)
dk = p256()
pem("dsc-short.pem", build(name("XA DSC short"), short.subject, dk, k, DSC_NB, DSC_NA, False, False, algorithm=hashes.SHA256()))
key_pem("dsc-short.key.pem", dk)
