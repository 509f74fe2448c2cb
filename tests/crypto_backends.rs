//! The signature layer, through the `CryptoBackend` trait, for every backend
//! compiled in: Wycheproof vectors (ECDSA P-256/SHA-256 and P-384/SHA-384 in
//! P1363 encoding, RSA-PSS SHA-256), and our own key and salt policies.

use healthpass::crypto::{Algorithm, CryptoBackend};
use healthpass::Error;
use wycheproof::TestResult;

mod common;
use common::backends;

fn key(file: &str) -> Vec<u8> {
    std::fs::read(format!("tests/data/keys/{file}")).unwrap()
}

/// Runs ECDSA P1363 vectors; returns (valid passed, invalid rejected).
fn ecdsa(
    backend: &dyn CryptoBackend,
    name: wycheproof::ecdsa::TestName,
    alg: Algorithm,
) -> (usize, usize) {
    let set = wycheproof::ecdsa::TestSet::load(name).unwrap();
    let (mut ok, mut rejected) = (0, 0);
    for group in &set.test_groups {
        let k = backend.parse_public_key(&group.der).unwrap();
        assert_eq!(k.algorithm(), alg);
        for t in &group.tests {
            let r = k.verify(&t.msg, &t.sig);
            match t.result {
                TestResult::Valid => {
                    assert!(r.is_ok(), "tc {} ({}) must verify", t.tc_id, t.comment);
                    ok += 1;
                }
                TestResult::Invalid => {
                    assert_eq!(
                        r,
                        Err(Error::BadSignature),
                        "tc {} ({}) must fail",
                        t.tc_id,
                        t.comment
                    );
                    rejected += 1;
                }
                TestResult::Acceptable => {}
            }
        }
    }
    (ok, rejected)
}

#[test]
fn wycheproof_ecdsa_p256_and_p384() {
    use wycheproof::ecdsa::TestName;
    for (name, backend) in backends() {
        let (ok, bad) = ecdsa(
            &*backend,
            TestName::EcdsaSecp256r1Sha256P1363,
            Algorithm::Es256,
        );
        println!("{name}: ECDSA P-256 P1363: {ok} valid verified, {bad} invalid rejected");
        assert!(ok > 0 && bad > 50);
        let (ok, bad) = ecdsa(
            &*backend,
            TestName::EcdsaSecp384r1Sha384P1363,
            Algorithm::Es384,
        );
        println!("{name}: ECDSA P-384 P1363: {ok} valid verified, {bad} invalid rejected");
        assert!(ok > 0 && bad > 50);
    }
}

#[test]
fn wycheproof_rsa_pss_sha256() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    use wycheproof::HashFunction;
    for (name, backend) in backends() {
        let (mut ok, mut bad, mut policy) = (0, 0, 0);
        for set_name in [
            TestName::RsaPss2048Sha256Mgf1SaltLen32,
            TestName::RsaPss3072Sha256Mgf1SaltLen32,
            TestName::RsaPss4096Sha256Mgf1SaltLen32,
            TestName::RsaPss2048Sha256Mgf1SaltLen0,
            TestName::RsaPssmisc,
        ] {
            let set = TestSet::load(set_name).unwrap();
            for group in &set.test_groups {
                let k = match backend.parse_public_key(&group.der) {
                    Ok(k) => k,
                    Err(e) => {
                        // only keys outside 2048-4096 bits may be refused
                        assert!(!(2048..=4096).contains(&group.key_size), "{e}");
                        continue;
                    }
                };
                let ours = group.hash == HashFunction::Sha2_256
                    && group.mgf_hash == Some(HashFunction::Sha2_256)
                    && group.salt_size == 32;
                for t in &group.tests {
                    let r = k.verify(&t.msg, &t.sig);
                    if !ours {
                        if t.result != TestResult::Valid {
                            continue; // may happen to be a good salt-32 signature
                        }
                        // valid with another hash or salt length: refused by policy
                        assert!(
                            r.is_err(),
                            "{name} tc {}: sLen {} {:?} accepted",
                            t.tc_id,
                            group.salt_size,
                            group.hash
                        );
                        policy += 1;
                        continue;
                    }
                    match t.result {
                        TestResult::Valid => {
                            assert!(r.is_ok(), "tc {} ({}) must verify", t.tc_id, t.comment);
                            ok += 1;
                        }
                        TestResult::Invalid => {
                            assert!(r.is_err(), "tc {} ({}) must fail", t.tc_id, t.comment);
                            bad += 1;
                        }
                        TestResult::Acceptable => {}
                    }
                }
            }
        }
        println!("{name}: RSA-PSS SHA-256: {ok} valid verified, {bad} invalid rejected, {policy} other salt/hash refused");
        assert!(ok > 0 && bad > 0 && policy > 0);
    }
}

#[test]
fn ps256_requires_salt_32() {
    for (name, backend) in backends() {
        let k = backend.parse_public_key(&key("rsa4096.spki.der")).unwrap();
        assert_eq!(k.algorithm(), Algorithm::Ps256);
        let msg = key("msg.txt");
        k.verify(&msg, &key("rsa4096.pss32.sig")).unwrap();
        for bad in ["rsa4096.pss20.sig", "rsa4096.pkcs1.sig"] {
            assert_eq!(
                k.verify(&msg, &key(bad)),
                Err(Error::BadSignature),
                "{name} {bad}"
            );
        }
        assert_eq!(
            k.verify(b"other", &key("rsa4096.pss32.sig")),
            Err(Error::BadSignature)
        );
        assert_eq!(k.verify(&msg, &[]), Err(Error::BadSignature));
    }
}

#[test]
fn rsa_sizes_outside_2048_to_4096_are_refused() {
    for (name, backend) in backends() {
        for f in ["rsa1024.spki.der", "rsa8192.spki.der"] {
            assert_eq!(
                backend.parse_public_key(&key(f)).unwrap_err(),
                Error::Certificate("rsa key size outside 2048-4096 bits"),
                "{name} {f}"
            );
        }
    }
}

#[test]
fn es384_round_trip_and_strict_length() {
    use p384::ecdsa::signature::Signer as _;
    use p384::pkcs8::DecodePrivateKey as _;
    let sk = p384::ecdsa::SigningKey::from_pkcs8_der(&key("p384.pkcs8.der")).unwrap();
    let sig: p384::ecdsa::Signature = sk.sign(b"msg");
    let raw = sig.to_bytes();
    for (name, backend) in backends() {
        let k = backend.parse_public_key(&key("p384.spki.der")).unwrap();
        assert_eq!(k.algorithm(), Algorithm::Es384);
        k.verify(b"msg", &raw).unwrap();
        assert_eq!(
            k.verify(b"msg", &raw[..95]),
            Err(Error::BadSignature),
            "{name}"
        );
        assert_eq!(
            k.verify(b"msg", sig.to_der().as_bytes()),
            Err(Error::BadSignature),
            "{name}"
        );
    }
}

/// Issue 23: P-521 (ES512) in both backends; a curve spelt out by its
/// parameters is read as the named curve it equals; brainpool curves are
/// recognised and refused by name.
#[test]
fn p521_explicit_parameters_and_brainpool() {
    let msg = key("msg.txt");
    for (name, backend) in backends() {
        let k = backend.parse_public_key(&key("p521-2.spki.der")).unwrap();
        assert_eq!(k.algorithm(), Algorithm::Es512, "{name}");
        let sig = key("p521-2.msg.sig");
        k.verify(&msg, &sig).unwrap();
        let mut bad = sig.clone();
        bad[70] ^= 1;
        assert_eq!(k.verify(&msg, &bad), Err(Error::BadSignature), "{name}");
        assert_eq!(
            k.verify(&msg, &sig[..131]),
            Err(Error::BadSignature),
            "{name}"
        );
        assert_eq!(
            backend
                .parse_public_key(&key("p521.spki.der"))
                .unwrap()
                .algorithm(),
            Algorithm::Es512
        );
        let k = backend
            .parse_public_key(&key("p256-explicit.spki.der"))
            .unwrap();
        assert_eq!(k.algorithm(), Algorithm::Es256, "{name}");
        k.verify(&msg, &key("p256-explicit.msg.sig")).unwrap();
        for bp in ["bp256.spki.der", "bp256-explicit.spki.der"] {
            assert_eq!(
                backend.parse_public_key(&key(bp)).unwrap_err(),
                Error::Certificate("brainpoolP256r1 keys: no backend here verifies them"),
                "{name} {bp}"
            );
        }
        // Explicit parameters of no known curve: a changed coefficient b.
        let mut odd = key("p256-explicit.spki.der");
        let b_at = odd
            .windows(4)
            .position(|w| w == [0x5a, 0xc6, 0x35, 0xd8])
            .unwrap();
        odd[b_at + 31] ^= 1;
        assert_eq!(
            backend.parse_public_key(&odd).unwrap_err(),
            Error::Certificate("ec key with explicit parameters of no curve this crate knows"),
            "{name}"
        );
    }
}

#[test]
fn unsupported_keys_are_refused() {
    for (name, backend) in backends() {
        assert_eq!(
            backend
                .parse_public_key(&key("ed25519.spki.der"))
                .unwrap_err(),
            Error::Certificate("unsupported key type"),
            "{name}"
        );
        assert!(backend.parse_public_key(&[0x30, 0x00]).is_err());
    }
}
