#!/usr/bin/env python3
"""Writes test vectors for the two EU revocation slice formats, computed
here independently of healthpass, after the Java reference implementations
(eu-digital-green-certificates/dgc-bloomfilter BloomFilterImpl, format 1;
dgca-partialvarhashfilter PartialVariableHashFilter):

- Bloom filter: m = 32 * L bits; probe i of element e is
  int.from_bytes(SHA-256(e + bytes([i])), "big", signed=True) mod m
  (Java's BigInteger(byte[]) is signed two's complement, BigInteger.mod is
  never negative, and so is Python's %); bit j is 0x80000000 >> (j % 32) of
  word j // 32 (Integer.MIN_VALUE >>> j); sizing as the (n, p) constructor
  does it; header written by DataOutputStream (big-endian).
- Partial variable hash list: one byte s, then the first s bytes of each
  hash, sorted as the Java add() sorts them (signed big-endian BigInteger).

Elements are 16-byte revocation hashes: SHA-256(UCI)[:16] of made-up UCIs.
Run from the repository root: python3 tests/data/revocation/make_eu_vectors.py
"""

import hashlib
import json
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def rh(text):
    return hashlib.sha256(text.encode()).digest()[:16]


def java_float(x):
    return struct.unpack(">f", struct.pack(">f", x))[0]


def bloom(n, p, elements):
    num_bits = math.ceil((n * math.log(p)) / math.log(1 / math.pow(2, math.log(2))))
    nbytes = num_bits // 8 + 1
    size = nbytes // 4 + nbytes % 4
    m = size * 32
    k = max(1, round(m / n * math.log(2)))
    words = [0] * size
    for e in elements:
        for i in range(k):
            j = int.from_bytes(hashlib.sha256(e + bytes([i])).digest(), "big", signed=True) % m
            words[j // 32] |= 0x80000000 >> (j % 32)
    out = struct.pack(">hbbfiii", 1, k, 0, java_float(p), n, len(elements), size)
    out += b"".join(struct.pack(">I", w) for w in words)
    return out, k, m, words


def might_contain(words, k, m, e):
    for i in range(k):
        j = int.from_bytes(hashlib.sha256(e + bytes([i])).digest(), "big", signed=True) % m
        if not words[j // 32] & (0x80000000 >> (j % 32)):
            return False
    return True


def main():
    members = [rh(f"URN:UVCI:01:XX:REVOKED/{i:05d}") for i in range(200)]
    strangers = [rh(f"URN:UVCI:01:XX:VALID/{i:05d}") for i in range(2000)]
    data, k, m, words = bloom(200, 0.01, members)
    with open(os.path.join(HERE, "eu-bloom-n200-p0.01.bin"), "wb") as f:
        f.write(data)
    hits = [s.hex() for s in strangers if might_contain(words, k, m, s)]
    with open(os.path.join(HERE, "eu-bloom-n200-p0.01.json"), "w") as f:
        json.dump({"n": 200, "p": 0.01, "k": k, "m": m,
                   "members": [e.hex() for e in members],
                   "strangers": [s.hex() for s in strangers],
                   "stranger_hits": hits}, f, indent=1)

    size = 3
    parts = sorted({e[:size] for e in members}, key=lambda b: int.from_bytes(b, "big", signed=True))
    with open(os.path.join(HERE, "eu-pvhf-s3.bin"), "wb") as f:
        f.write(bytes([size]) + b"".join(parts))
    prefixes = {e[:size] for e in members}
    with open(os.path.join(HERE, "eu-pvhf-s3.json"), "w") as f:
        json.dump({"size": size,
                   "members": [e.hex() for e in members],
                   "strangers": [s.hex() for s in strangers],
                   "stranger_hits": [s.hex() for s in strangers if s[:size] in prefixes]}, f, indent=1)
    print(f"bloom: k={k} m={m}, {len(hits)} of {len(strangers)} strangers hit")


if __name__ == "__main__":
    main()
