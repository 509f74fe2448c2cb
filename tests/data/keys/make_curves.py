"""Test vectors for issue 23 (P-521, explicit curve parameters, brainpool),
made with Python `cryptography`; TEST ONLY keys. Writes:
p521-2.spki.der and p521-2.msg.sig (r||s over msg.txt, SHA-512);
p256-explicit.spki.der and p256-explicit.msg.sig (the same P-256 key, its
curve spelt out as explicit parameters; r||s over msg.txt, SHA-256);
bp256.spki.der (a brainpoolP256r1 key, named) and bp256-explicit.spki.der."""
import os
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))
msg = open(os.path.join(HERE, "msg.txt"), "rb").read()

def der_len(n):
    if n < 0x80: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big"); return bytes([0x80 | len(b)]) + b
def tlv(tag, body): return bytes([tag]) + der_len(len(body)) + body
def integer(v):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"); return tlv(0x02, b)
def octets(b): return tlv(0x04, b)
def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7f]; p >>= 7
        while p: chunk.append(0x80 | (p & 0x7f)); p >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, body)
def seq(*items): return tlv(0x30, b"".join(items))

CURVES = {  # p, a, b, n from the certificates of the ICAO health master list (see curves.rs)
    "P-256": (0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff,
              0xffffffff00000001000000000000000000000000fffffffffffffffffffffffc,
              0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b,
              0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551, ec.SECP256R1(), 32),
    "bp256": (0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377,
              0x7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9,
              0x26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6,
              0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7, ec.BrainpoolP256R1(), 32),
}
def explicit_spki(pub, name):
    p, a, b, n, curve, size = CURVES[name]
    g = ec.derive_private_key(1, curve).public_key().public_numbers()
    base = b"\x04" + g.x.to_bytes(size, "big") + g.y.to_bytes(size, "big")
    params = seq(integer(1), seq(oid("1.2.840.10045.1.1"), integer(p)),
                 seq(octets(a.to_bytes(size, "big")), octets(b.to_bytes(size, "big"))),
                 octets(base), integer(n), integer(1))
    point = pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return seq(seq(oid("1.2.840.10045.2.1"), params), tlv(0x03, b"\x00" + point))

def raw_sig(key, h, size):
    r, s = decode_dss_signature(key.sign(msg, ec.ECDSA(h)))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")

def write(name, data): open(os.path.join(HERE, name), "wb").write(data)

k521 = ec.generate_private_key(ec.SECP521R1())
write("p521-2.spki.der", k521.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
write("p521-2.msg.sig", raw_sig(k521, hashes.SHA512(), 66))
k256 = ec.generate_private_key(ec.SECP256R1())
write("p256-explicit.spki.der", explicit_spki(k256.public_key(), "P-256"))
write("p256-explicit.msg.sig", raw_sig(k256, hashes.SHA256(), 32))
kbp = ec.generate_private_key(ec.BrainpoolP256R1())
write("bp256.spki.der", kbp.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
write("bp256-explicit.spki.der", explicit_spki(kbp.public_key(), "bp256"))
