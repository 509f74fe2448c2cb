//! The chained trust mode: signer certificates (DSC) accepted only when a
//! configured country signing CA (CSCA) issued them. Synthetic chains from
//! tests/data/chains/make.py for each rule, and the real WHO GDHCN lists,
//! whose chain counts were found independently (tests/data/gdhcn/README.md).

#![cfg(feature = "rustcrypto")]

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use base64ct::{Base64, Encoding as _};
use common::{backends, t};
use healthpass::crypto::CryptoBackend;
use healthpass::issue::Issuer;
use healthpass::payload::Payload;
use healthpass::signed::Validity;
use healthpass::trust::CscaList;
use healthpass::{Error, ErrorKind, TrustList, Verifier};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/chains/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn cscas(backend: &Arc<dyn CryptoBackend>, file: &str) -> CscaList {
    let mut list = CscaList::with_backend(Arc::clone(backend));
    list.add_any(&data(file)).unwrap();
    list
}

fn reason(e: Error) -> String {
    match e {
        Error::Certificate(r) => r.to_owned(),
        other => panic!("expected a certificate error, got {other:?}"),
    }
}

fn payload() -> Payload {
    Payload::from_json(serde_json::json!({
        "ver": "1.3.0", "nam": {"fnt": "DOE", "gnt": "JANE"}, "dob": "1990-01-01",
        "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
               "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2026-03-01",
               "co": "AT", "is": "Ministry of Health", "ci": "URN:UVCI:01:XA:CHAIN1"}]
    }))
    .unwrap()
}

/// A pass signed by the DSC `name` (and its key), issued at `iat`.
fn pass_from(name: &str, iat: &str) -> String {
    let key = String::from_utf8(data(&format!("{name}.key.pem"))).unwrap();
    let cert = String::from_utf8(data(&format!("{name}.pem"))).unwrap();
    let issuer = Issuer::from_pem(&key, &cert).unwrap();
    let validity = Validity::new(t(iat), t("2027-12-01T00:00:00Z")).unwrap();
    issuer.issue(&payload(), validity).unwrap()
}

#[test]
fn a_dsc_of_each_signature_family_chains_and_its_passes_verify() {
    for (backend_name, backend) in backends() {
        let cscas = cscas(&backend, "csca-xa.pem");
        assert_eq!(cscas.len(), 4);
        for family in ["p256", "p384", "rsa", "pss"] {
            let mut trust = TrustList::chained_to(cscas.clone());
            assert!(trust.is_chained());
            trust
                .add_any(&data(&format!("dsc-{family}.pem")))
                .unwrap_or_else(|e| panic!("{backend_name} {family}: {e}"));
            let verifier = Verifier::builder().trust_list(trust).build().unwrap();
            let text = pass_from(&format!("dsc-{family}"), "2026-06-01T00:00:00Z");
            let pass = verifier.verify_hcert(&text, t("2026-07-01T00:00:00Z"));
            assert!(pass.is_ok(), "{backend_name} {family}: {pass:?}");
        }
    }
}

#[test]
fn a_dsc_is_refused_unless_its_own_csca_is_configured() {
    for (name, backend) in backends() {
        // No CSCA configured for the DSC's issuer.
        let mut trust = TrustList::chained_to(cscas(&backend, "csca-short.pem"));
        let e = trust.add_any(&data("dsc-p256.pem")).unwrap_err();
        assert_eq!(
            reason(e),
            "no configured csca issued this certificate",
            "{name}"
        );
        assert!(trust.is_empty());
        // The pinned mode of before still takes it as it is.
        let mut pinned = TrustList::with_backend(Arc::clone(&backend));
        pinned.add_any(&data("dsc-p256.pem")).unwrap();
    }
}

#[test]
fn each_broken_rule_of_the_chain_is_refused_with_its_reason() {
    for (name, backend) in backends() {
        let cases = [
            (
                "dsc-other-country.pem",
                "the certificate's country is not its csca's",
            ),
            ("dsc-unknown-critical.pem", "unknown critical extension"),
            (
                "dsc-under-intermediate.pem",
                "no configured csca issued this certificate",
            ),
        ];
        for (file, want) in cases {
            let mut trust = TrustList::chained_to(cscas(&backend, "csca-xa.pem"));
            let e = trust.add_any(&data(file)).unwrap_err();
            assert_eq!(reason(e), want, "{name} {file}");
        }
        // Only configured CAs are anchors: with the intermediate configured
        // too, its DSC chains (one step, to an anchor); no longer path is
        // ever built.
        let mut with_sub = cscas(&backend, "csca-xa.pem");
        with_sub.add_any(&data("intermediate-xa.pem")).unwrap();
        let mut trust = TrustList::chained_to(with_sub);
        trust.add_any(&data("dsc-under-intermediate.pem")).unwrap();

        // A tampered DSC signature.
        let der = pem_der(&data("dsc-p256.pem"));
        let mut bad = der.clone();
        let last = bad.len() - 3;
        bad[last] ^= 0x01;
        let mut trust = TrustList::chained_to(cscas(&backend, "csca-xa.pem"));
        let e = trust.add_der(&bad).unwrap_err();
        assert_eq!(reason(e), "the ca signature does not verify", "{name}");
        trust.add_der(&der).unwrap();

        // CSCAs that are no CAs, or may not sign certificates.
        for (file, want) in [
            ("csca-not-ca.pem", "a csca must be a ca (basicConstraints)"),
            (
                "csca-no-keycertsign.pem",
                "a csca must have keyUsage keyCertSign",
            ),
            ("dsc-p256.pem", "a csca must be a ca (basicConstraints)"),
        ] {
            let mut list = CscaList::with_backend(Arc::clone(&backend));
            let e = list.add_any(&data(file)).unwrap_err();
            assert_eq!(reason(e), want, "{name} {file}");
            assert!(list.is_empty());
        }
        // All or nothing: one bad CSCA in a file adds none.
        let mut list = CscaList::with_backend(Arc::clone(&backend));
        let mut both = data("csca-xa.pem");
        both.extend(data("csca-not-ca.pem"));
        assert!(list.add_any(&both).is_err());
        assert!(list.is_empty());
    }
}

#[test]
fn a_signer_is_valid_only_while_its_csca_is() {
    for (name, backend) in backends() {
        let mut trust = TrustList::chained_to(cscas(&backend, "csca-short.pem"));
        trust.add_any(&data("dsc-short.pem")).unwrap();
        let verifier = Verifier::builder().trust_list(trust).build().unwrap();
        let text = pass_from("dsc-short", "2026-03-01T00:00:00Z");
        // While the CSCA is valid (it ends 2026-07-01).
        assert!(verifier
            .verify_hcert(&text, t("2026-04-01T00:00:00Z"))
            .is_ok());
        // After: the DSC itself is valid until 2028, its CSCA is not.
        let e = verifier
            .verify_hcert(&text, t("2026-08-01T00:00:00Z"))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Untrusted, "{name}: {e:?}");
        assert!(matches!(e, Error::SignerNotValid { .. }), "{name}: {e:?}");
    }
}

fn pem_der(pem: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(pem).unwrap();
    Base64::decode_vec(
        &text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>(),
    )
    .unwrap()
}

/// The verification methods of a GDHCN DID trust list v2: (participant,
/// usage, x5c as DER).
fn did_keys(file: &str) -> Vec<(String, String, Vec<Vec<u8>>)> {
    let path = format!(
        "{}/tests/data/gdhcn/trustlists/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    doc["verificationMethod"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m.is_object())
        .map(|m| {
            let id = m["id"].as_str().unwrap();
            let parts: Vec<&str> = id.split('#').next().unwrap().split(':').collect();
            let (participant, usage) = (parts[parts.len() - 2], parts[parts.len() - 1]);
            let x5c = m["publicKeyJwk"]["x5c"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|c| Base64::decode_vec(c.as_str().unwrap()).unwrap())
                        .collect()
                })
                .unwrap_or_default();
            (participant.to_owned(), usage.to_owned(), x5c)
        })
        .collect()
}

/// Chains every DSC of a real list (1) to the SCA in its own `x5c` and (2)
/// to all the listed SCAs of its participant; tallies the outcomes by
/// reason.
fn chain_tallies(
    backend: &Arc<dyn CryptoBackend>,
    file: &str,
) -> (HashMap<String, usize>, HashMap<String, usize>) {
    let keys = did_keys(file);
    let mut scas: HashMap<&str, Vec<&[u8]>> = HashMap::new();
    for (participant, usage, x5c) in &keys {
        if usage == "SCA" {
            if let Some(first) = x5c.first() {
                scas.entry(participant).or_default().push(first);
            }
        }
    }
    let mut by_x5c = HashMap::new();
    let mut by_listed = HashMap::new();
    let outcome = |r: Result<_, Error>| match r {
        Ok(_) => "chains".to_owned(),
        Err(Error::Certificate(r)) => r.to_owned(),
        Err(e) => format!("{e:?}"),
    };
    for (participant, usage, x5c) in &keys {
        if usage != "DSC" || x5c.is_empty() {
            continue;
        }
        if let Some(sca) = x5c.get(1) {
            let mut cscas = CscaList::with_backend(Arc::clone(backend));
            let r = cscas.add_der(sca).and_then(|()| {
                let mut trust = TrustList::chained_to(cscas);
                trust.add_der(&x5c[0])
            });
            *by_x5c.entry(outcome(r)).or_insert(0) += 1;
        }
        let mut cscas = CscaList::with_backend(Arc::clone(backend));
        for sca in scas.get(participant.as_str()).into_iter().flatten() {
            // An SCA the list refuses (e.g. a self-signed DSC also listed as
            // SCA, without keyCertSign) is left out, as a chain would.
            let _ = cscas.add_der(sca);
        }
        let mut trust = TrustList::chained_to(cscas);
        *by_listed
            .entry(outcome(trust.add_der(&x5c[0])))
            .or_insert(0) += 1;
    }
    (by_x5c, by_listed)
}

fn tally(pairs: &[(&str, usize)]) -> HashMap<String, usize> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[test]
fn the_real_gdhcn_dev_list_chains_as_independent_code_finds() {
    // tests/data/gdhcn/chain_counts.py finds the same with Python
    // `cryptography`.
    for (name, backend) in backends() {
        let (by_x5c, by_listed) = chain_tallies(&backend, "dev-v2-root.did.json");
        // 94 DSCs carry [DSC, SCA]: 93 chain (the URY SCA's P-256 key is
        // written with explicit curve parameters, read as P-256 since issue
        // 23); 1 is signed with ecdsa-with-SHA1.
        let sha1 = "unsupported certificate signature algorithm (sha-1 or other)";
        assert_eq!(by_x5c, tally(&[("chains", 93), (sha1, 1)]), "{name}");
        // Against the listed SCAs of each participant (any domain): 106 of
        // 109 chain; the SHA-1 one, a self-signed DSC (also listed as SCA,
        // so it is a CA), and one whose listed SCA of the same name did not
        // sign it.
        assert_eq!(
            by_listed,
            tally(&[
                ("chains", 106),
                (sha1, 1),
                (
                    "a ca certificate (basicConstraints ca) cannot sign passes",
                    1
                ),
                ("the ca signature does not verify", 1),
            ]),
            "{name}"
        );
    }
}

#[test]
fn the_real_gdhcn_uat_list_chains_as_independent_code_finds() {
    for (name, backend) in backends() {
        let (by_x5c, by_listed) = chain_tallies(&backend, "uat-v2-root.did.json");
        // 93 DSCs carry [DSC, SCA]: 90 chain (12 of them RSASSA-PSS signed;
        // 6 encode basicConstraints cA FALSE explicitly, which DER forbids:
        // Python `cryptography` refuses to read those, x509-cert reads them
        // and their signatures verify); 2 are signed with SHA-1; 1 DSC has a
        // brainpoolP256r1 key (recognised, refused: no backend here verifies
        // brainpool); the DSC under a P-521 SCA chains since issue 23.
        let sha1 = "unsupported certificate signature algorithm (sha-1 or other)";
        let brainpool = "brainpoolP256r1 keys: no backend here verifies them";
        assert_eq!(
            by_x5c,
            tally(&[("chains", 90), (sha1, 2), (brainpool, 1)]),
            "{name}"
        );
        assert_eq!(
            by_listed,
            tally(&[("chains", 90), (sha1, 2), (brainpool, 1)]),
            "{name}"
        );
    }
}
