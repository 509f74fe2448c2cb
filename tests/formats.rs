//! One scan, any pass: SMART Health Cards and ICAO seals beside HCERT,
#![cfg(all(feature = "shc", feature = "icao"))]
//! through `Verifier::verify_any` and `Verifier::verdict`.

use healthpass::formats::shc::{self, CardContent, KeyBinding, ShcIssuers};
use healthpass::trust::CscaList;
use healthpass::{AnyPass, Error, ErrorKind, PassForm, TrustList, UnixTime, Verifier};

fn data(path: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn t(s: &str) -> UnixTime {
    UnixTime::parse_rfc3339(s).unwrap()
}

const EXAMPLE_ISS: &str = "https://spec.smarthealth.cards/examples/issuer";
const KID_PLAIN: &str = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
const KID_X5C: &str = "EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw";

fn seal() -> String {
    data("icao/ICAOJPQR1Contents.txt")
}

fn pinned_jp() -> Verifier {
    let mut trust = TrustList::new();
    trust.add_pem(&data("icao/JP-seal-signer.pem")).unwrap();
    Verifier::builder().trust_list(trust).build().unwrap()
}

fn nobody() -> Verifier {
    Verifier::builder()
        .trust_list(TrustList::new())
        .build()
        .unwrap()
}

#[test]
fn the_japanese_seal_verifies_pinned_and_is_untrusted_without() {
    let now = t("2026-11-29T00:00:00Z");
    let v = pinned_jp().verdict(&seal(), now);
    assert!(v.is_valid(), "{v:?}");
    assert_eq!(v.form(), Some(PassForm::IcaoVaccination));
    assert_eq!(v.form().unwrap().as_str(), "icao-vacc");
    let holder = v.holder().unwrap();
    assert_eq!(holder.name, "NIHON HANAKO");
    assert_eq!(holder.date_of_birth, "1991-12-01");
    assert_eq!(v.valid_until(), None);
    match pinned_jp().verify(&seal(), now).unwrap() {
        AnyPass::Seal(s) => {
            assert_eq!(s.issuing_country(), "JPN");
            assert_eq!(s.signer_country(), Some("JP"));
            let msg = s.message_json();
            assert_eq!(msg["ve"][0]["nam"], "COMIRNATY");
        }
        other => panic!("{other:?}"),
    }

    let v = nobody().verdict(&seal(), now);
    assert_eq!(v.error_kind(), Some(ErrorKind::Untrusted), "{v:?}");
    // A CSCA list that did not issue it does not help.
    let mut cscas = CscaList::new();
    cscas
        .add_any(data("icao/ICAOHealthMLSigner1.pem.crt").as_bytes())
        .map(|_| ())
        .unwrap_or(());
    let v = Verifier::builder()
        .trust_list(TrustList::new())
        .seal_cscas(cscas)
        .build()
        .unwrap()
        .verdict(&seal(), now);
    assert_eq!(v.error_kind(), Some(ErrorKind::Untrusted), "{v:?}");
    // The signer's certificate ends in 2031.
    let v = pinned_jp().verdict(&seal(), t("2032-01-01T00:00:00Z"));
    assert_eq!(v.error_kind(), Some(ErrorKind::Untrusted), "{v:?}");
}

#[test]
fn a_changed_seal_is_refused() {
    let now = t("2026-11-29T00:00:00Z");
    let v = pinned_jp();
    let good = seal();
    // Signed data changed: the canonical form differs.
    for (from, to) in [
        ("NIHON HANAKO", "NIHON HANAKA"),
        ("\"seq\":1", "\"seq\":2"),
        ("1991-12-01", "1991-12-02"),
    ] {
        let bad = good.replacen(from, to, 1);
        assert_ne!(bad, good);
        assert_eq!(
            v.verdict(&bad, now).error_kind(),
            Some(ErrorKind::BadSignature),
            "{from}"
        );
    }
    // Re-ordered members and white space do not change the canonical form.
    let parsed: serde_json::Value = serde_json::from_str(&good).unwrap();
    let pretty = serde_json::to_string_pretty(&parsed).unwrap();
    assert!(v.verdict(&pretty, now).is_valid());
    // A flipped signature bit.
    let sig_at = good.find("\"sigvl\":\"").unwrap() + 9;
    let mut bytes = good.clone().into_bytes();
    bytes[sig_at + 3] = if bytes[sig_at + 3] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let bad = String::from_utf8(bytes).unwrap();
    assert_eq!(
        v.verdict(&bad, now).error_kind(),
        Some(ErrorKind::BadSignature)
    );
    // A duplicate member is refused before any canonical form is made.
    let dup = good.replacen("{\"is\":\"JPN\"", "{\"is\":\"JPN\",\"is\":\"JPN\"", 1);
    assert_eq!(
        v.verify(&dup, now).unwrap_err(),
        Error::Json("duplicate member name")
    );
    // Another country in the header than the signer's.
    let other = good.replacen("\"is\":\"JPN\"", "\"is\":\"FRA\"", 1);
    assert_eq!(
        v.verdict(&other, now).error_kind(),
        Some(ErrorKind::Untrusted)
    );
    // Another type, another algorithm.
    let test_type = good.replacen("icao.vacc", "icao.other", 1);
    assert_eq!(
        v.verdict(&test_type, now).error_kind(),
        Some(ErrorKind::Unsupported)
    );
    // ES512 is read (issue 23): the P-256 signer's key does not fit it.
    let es512 = good.replacen("\"alg\":\"ES256\"", "\"alg\":\"ES512\"", 1);
    assert_eq!(
        v.verify(&es512, now).unwrap_err(),
        Error::AlgorithmKeyMismatch
    );
    let es999 = good.replacen("\"alg\":\"ES256\"", "\"alg\":\"ES999\"", 1);
    assert_eq!(
        v.verdict(&es999, now).error_kind(),
        Some(ErrorKind::Unsupported)
    );
    let es384 = good.replacen("\"alg\":\"ES256\"", "\"alg\":\"ES384\"", 1);
    assert_eq!(
        v.verdict(&es384, now).error_kind(),
        Some(ErrorKind::Untrusted)
    );
}

#[test]
fn the_real_cards_decode_and_are_untrusted_without_their_issuers_keys() {
    let now = t("2026-11-29T00:00:00Z");
    let mut issuers = ShcIssuers::new();
    issuers
        .add_jwks_strict(
            &data("shc/example-issuer.jwks.json"),
            KeyBinding::Issuer(EXAMPLE_ISS),
        )
        .unwrap();
    let with_example = Verifier::builder()
        .trust_list(TrustList::new())
        .shc_issuers(issuers)
        .build()
        .unwrap();
    for file in [
        "SHCSenegalContents.txt",
        "SHCTestResultsContents.txt",
        "SHCWAVaxContents.txt",
    ] {
        let text = data(&format!("shc/{file}"));
        let card = shc::decode(&text).unwrap();
        assert!(
            card.payload["iss"]
                .as_str()
                .unwrap()
                .starts_with("https://"),
            "{file}"
        );
        assert!(card.payload["vc"]["credentialSubject"]["fhirBundle"]["entry"].is_array());
        for v in [&nobody(), &with_example] {
            let verdict = v.verdict(&text, now);
            assert_eq!(verdict.error_kind(), Some(ErrorKind::Untrusted), "{file}");
            assert_eq!(verdict.reason(), Some("no trusted signer with this kid"));
        }
    }
}

fn example_key(kid: &str) -> healthpass::issue::SigningKey {
    shc::signing_key_from_jwk(&data("shc/example-issuer.jwks.private.json"), Some(kid)).unwrap()
}

fn bundle() -> serde_json::Value {
    serde_json::from_str(&data("shc/covid-vaccines-bundle.json")).unwrap()
}

fn example_verifier(crl: bool) -> Verifier {
    let mut issuers = ShcIssuers::new();
    assert_eq!(
        issuers
            .add_jwks_strict(
                &data("shc/example-issuer.jwks.json"),
                KeyBinding::Issuer(EXAMPLE_ISS)
            )
            .unwrap(),
        2
    );
    if crl {
        issuers
            .add_revocation_list(&data("shc/example-issuer.crl-3Kfdg.json"))
            .unwrap();
    }
    Verifier::builder()
        .trust_list(TrustList::new())
        .shc_issuers(issuers)
        .build()
        .unwrap()
}

#[test]
fn cards_signed_with_the_example_keys_verify_and_a_flipped_bit_is_refused() {
    let now = t("2026-11-29T00:00:00Z");
    let issued = t("2026-11-01T00:00:00Z");
    let card = CardContent::new(EXAMPLE_ISS, issued, bundle())
        .expires(t("2027-11-01T00:00:00Z"))
        .sign(&example_key(KID_PLAIN))
        .unwrap();
    assert!(card.starts_with("shc:/"));
    let v = example_verifier(true);
    let verdict = v.verdict(&card, now);
    assert!(verdict.is_valid(), "{verdict:?}");
    assert_eq!(verdict.form(), Some(PassForm::Shc));
    assert_eq!(verdict.holder().unwrap().name, "John B. Anyperson");
    assert_eq!(verdict.holder().unwrap().date_of_birth, "1951-01-20");
    assert_eq!(verdict.valid_until(), Some(t("2027-11-01T00:00:00Z")));
    let json = serde_json::to_value(&verdict).unwrap();
    assert_eq!(json["form"], "shc");
    assert!(!json.to_string().contains("Immunization"));
    match v.verify(&card, now).unwrap() {
        AnyPass::Shc(c) => {
            assert_eq!(c.issuer(), EXAMPLE_ISS);
            assert_eq!(c.kid(), KID_PLAIN);
            assert_eq!(c.fhir_bundle(), bundle());
        }
        other => panic!("{other:?}"),
    }
    // Every flipped digit: never valid.
    let digits = card.as_bytes();
    let mut refused = 0;
    for at in (5..digits.len()).step_by(7) {
        let mut bad = digits.to_vec();
        bad[at] = if bad[at] == b'0' { b'1' } else { b'0' };
        let bad = String::from_utf8(bad).unwrap();
        assert!(!v.verdict(&bad, now).is_valid(), "flip at {at}");
        refused += 1;
    }
    assert!(refused > 100);
    // Expired, not yet valid, untrusted issuer binding.
    assert_eq!(
        v.verdict(&card, t("2028-01-01T00:00:00Z")).error_kind(),
        Some(ErrorKind::Expired)
    );
    assert_eq!(
        v.verdict(&card, t("2026-10-01T00:00:00Z")).error_kind(),
        Some(ErrorKind::NotYetValid)
    );
    let mut bound = ShcIssuers::new();
    bound
        .add_jwks_strict(
            &data("shc/example-issuer.jwks.json"),
            KeyBinding::Issuer("https://other.example"),
        )
        .unwrap();
    let other = Verifier::builder()
        .trust_list(TrustList::new())
        .shc_issuers(bound)
        .build()
        .unwrap();
    assert_eq!(
        other.verdict(&card, now).error_kind(),
        Some(ErrorKind::Untrusted)
    );
    // The other example key did not sign it.
    let forged = CardContent::new(EXAMPLE_ISS, issued, bundle())
        .sign(
            &healthpass::issue::SigningKey::generate(healthpass::crypto::Algorithm::Es256).unwrap(),
        )
        .unwrap();
    assert_eq!(
        v.verdict(&forged, now).error_kind(),
        Some(ErrorKind::Untrusted)
    );
}

#[test]
fn a_card_on_the_example_revocation_list_is_revoked() {
    let now = t("2026-11-29T00:00:00Z");
    let sign = |rid: &str, at: &str| {
        CardContent::new(EXAMPLE_ISS, t(at), bundle())
            .rid(rid)
            .sign(&example_key(KID_PLAIN))
            .unwrap()
    };
    let with = example_verifier(true);
    let without = example_verifier(false);
    // Listed without a cut-off.
    let card = sign("FKDIxsTCGlU", "2026-01-01T00:00:00Z");
    assert_eq!(
        with.verdict(&card, now).error_kind(),
        Some(ErrorKind::Revoked)
    );
    // Issue 22.12: the example key announces a list (crlVersion 1); without
    // it, no card of the key is valid (it was, before: fail open).
    let v = without.verdict(&card, now);
    assert_eq!(v.error_kind(), Some(ErrorKind::Untrusted));
    assert_eq!(
        v.reason(),
        Some("revocation list missing (the issuer's key announces one)")
    );
    // A second list with the same ctr must be the same list: one that
    // drops a rid does not un-revoke it.
    let mut issuers = ShcIssuers::new();
    issuers
        .add_jwks_strict(
            &data("shc/example-issuer.jwks.json"),
            KeyBinding::Issuer(EXAMPLE_ISS),
        )
        .unwrap();
    let crl = data("shc/example-issuer.crl-3Kfdg.json");
    issuers.add_revocation_list(&crl).unwrap();
    assert!(issuers.add_revocation_list(&crl).is_ok());
    let emptied = serde_json::json!({
        "kid": serde_json::from_str::<serde_json::Value>(&crl).unwrap()["kid"],
        "method": "rid", "ctr": 1, "rids": []
    })
    .to_string();
    assert_eq!(
        issuers.add_revocation_list(&emptied).unwrap_err(),
        healthpass::Error::Shc("a revocation list with the loaded one's ctr but other entries")
    );
    // Listed with the cut-off 1664492124 (2022-09-29T22:55:24Z): cards
    // issued before it are revoked, later ones are not.
    let before = sign("vwAjHdarZuc", "2022-09-01T00:00:00Z");
    let after = sign("vwAjHdarZuc", "2022-10-01T00:00:00Z");
    assert_eq!(
        with.verdict(&before, now).error_kind(),
        Some(ErrorKind::Revoked)
    );
    assert!(with.verdict(&after, now).is_valid());
    // Not listed.
    assert!(with
        .verdict(&sign("AAAAAAAAAAA", "2026-01-01T00:00:00Z"), now)
        .is_valid());
    // A list older than the key's crlVersion (1): every card of the key is untrusted.
    let mut issuers = ShcIssuers::new();
    issuers
        .add_jwks_strict(
            &data("shc/example-issuer.jwks.json"),
            KeyBinding::Issuer(EXAMPLE_ISS),
        )
        .unwrap();
    issuers
        .add_revocation_list(
            &data("shc/example-issuer.crl-3Kfdg.json").replace("\"ctr\": 1", "\"ctr\": 0"),
        )
        .unwrap();
    let stale = Verifier::builder()
        .trust_list(TrustList::new())
        .shc_issuers(issuers)
        .build()
        .unwrap();
    let v = stale.verdict(&sign("AAAAAAAAAAA", "2026-01-01T00:00:00Z"), now);
    assert_eq!(v.error_kind(), Some(ErrorKind::Untrusted));
    assert_eq!(
        v.reason(),
        Some("revocation list outdated (counter 0, the key says 1)")
    );
}

#[test]
fn a_key_with_x5c_is_checked_to_its_anchor() {
    let jwks = data("shc/example-issuer.jwks.json");
    let parsed: serde_json::Value = serde_json::from_str(&jwks).unwrap();
    let ca_b64 = parsed["keys"][1]["x5c"][1].as_str().unwrap();
    let ca_pem = format!("-----BEGIN CERTIFICATE-----\n{ca_b64}\n-----END CERTIFICATE-----\n");
    let mut issuers = ShcIssuers::new();
    assert_eq!(issuers.add_anchors(ca_pem.as_bytes()).unwrap(), 1);
    // Any issuer: the x5c chain's subjectAltName is what binds the key.
    issuers
        .add_jwks_strict(&jwks, KeyBinding::AnyIssuer)
        .unwrap();
    let v = Verifier::builder()
        .trust_list(TrustList::new())
        .shc_issuers(issuers)
        .build()
        .unwrap();
    let sign = |iss: &str| {
        CardContent::new(iss, t("2021-07-01T00:00:00Z"), bundle())
            .sign(&example_key(KID_X5C))
            .unwrap()
    };
    // The leaf is valid from 2021-06-01 to 2022-06-01.
    let during = t("2022-01-01T00:00:00Z");
    assert!(v.verdict(&sign(EXAMPLE_ISS), during).is_valid());
    let verdict = v.verdict(&sign("https://elsewhere.example"), during);
    assert_eq!(verdict.error_kind(), Some(ErrorKind::Untrusted));
    assert_eq!(
        verdict.reason(),
        Some("untrusted signer: the key's certificate does not name the card's issuer")
    );
    assert_eq!(
        v.verdict(&sign(EXAMPLE_ISS), t("2026-11-29T00:00:00Z"))
            .error_kind(),
        Some(ErrorKind::Untrusted)
    );
    // The anchors must be CAs.
    let mut other = ShcIssuers::new();
    other
        .add_anchors(data("icao/JP-seal-signer.pem").as_bytes())
        .unwrap_err();
    // With the P-521 root as the only anchor the chain is checked to it now
    // (both backends verify P-521, issue 23): the key loads, the plain key
    // (no x5c) too.
    let root_b64 = parsed["keys"][1]["x5c"][2].as_str().unwrap();
    let root_pem = format!("-----BEGIN CERTIFICATE-----\n{root_b64}\n-----END CERTIFICATE-----\n");
    let mut rooted = ShcIssuers::new();
    assert_eq!(rooted.add_anchors(root_pem.as_bytes()).unwrap(), 1);
    let load = rooted.add_jwks(&jwks, KeyBinding::AnyIssuer).unwrap();
    assert_eq!(
        (load.added, load.refused.len()),
        (2, 0),
        "{:?}",
        load.refused
    );
}

#[test]
fn jwk_sets_and_revocation_lists_are_checked_on_load() {
    let mut issuers = ShcIssuers::new();
    let jwks = data("shc/example-issuer.jwks.json");
    let private = data("shc/example-issuer.jwks.private.json");
    let any = KeyBinding::AnyIssuer;
    assert_eq!(
        issuers.add_jwks(&private, any).unwrap_err(),
        Error::Shc("a private key (d) in a jwk set")
    );
    // A key whose kid is not its thumbprint is left out, the other loads;
    // all or nothing, the set is refused.
    let wrong_kid = jwks.replacen(KID_PLAIN, "AAAA", 1);
    assert!(issuers.add_jwks_strict(&wrong_kid, any).is_err());
    assert!(issuers.is_empty());
    let load = issuers.add_jwks(&wrong_kid, any).unwrap();
    assert_eq!(load.added, 1);
    assert_eq!(load.refused.len(), 1);
    assert_eq!(load.refused[0].0, "AAAA");
    assert_eq!(
        load.refused[0].1,
        Error::Shc("a key's kid is not its rfc 7638 thumbprint")
    );
    let mut issuers = ShcIssuers::new();
    assert!(issuers.add_jwks("{\"keys\": 1}", any).is_err());
    assert!(issuers.add_jwks("[]", any).is_err());
    assert!(issuers.is_empty());
    for bad in [
        r#"{"kid":"k","method":"other","ctr":1,"rids":[]}"#,
        r#"{"kid":"k","method":"rid","ctr":-1,"rids":[]}"#,
        r#"{"kid":"k","method":"rid","ctr":1,"rids":["a b"]}"#,
        r#"{"kid":"k","method":"rid","ctr":1,"rids":["abc.12x"]}"#,
        r#"{"kid":"k","method":"rid","ctr":1,"rids":["abcdefghijklmnopqrstuvwxyz"]}"#,
    ] {
        assert!(issuers.add_revocation_list(bad).is_err(), "{bad}");
    }
    issuers
        .add_revocation_list(r#"{"kid":"k","method":"rid","ctr":2,"rids":["a"]}"#)
        .unwrap();
    assert!(issuers
        .add_revocation_list(r#"{"kid":"k","method":"rid","ctr":1,"rids":[]}"#)
        .is_err());
}

#[test]
fn unknown_formats_are_unsupported_and_hcert_still_verifies() {
    let now = t("2026-11-29T00:00:00Z");
    let v = nobody();
    for text in ["", "HC2:ABC", "hello", "[1,2]", "shc:"] {
        let verdict = v.verdict(text, now);
        assert_eq!(
            verdict.error_kind(),
            Some(ErrorKind::Unsupported),
            "{text:?}"
        );
    }
    // A chunked card without all its chunks.
    let verdict = v.verdict("shc:/1/2/5676", now);
    assert_eq!(verdict.error_kind(), Some(ErrorKind::Unsupported));
    assert!(verdict.reason().unwrap().contains("chunk"));
    // HCERT through the same call.
    let mut trust = TrustList::new();
    trust.add_pem(include_str!("../demo/trust.pem")).unwrap();
    let hv = Verifier::builder().trust_list(trust).build().unwrap();
    let text = include_str!("../demo/valid.txt");
    let any = hv.verify(text, t("2026-01-01T00:00:00Z"));
    let direct = hv.verify_hcert(text, t("2026-01-01T00:00:00Z"));
    assert_eq!(any.is_ok(), direct.is_ok());
}

#[test]
fn admission_rules_admit_no_pass_they_cannot_read() {
    let now = t("2026-11-29T00:00:00Z");
    let v = pinned_jp()
        .to_builder()
        .rules(healthpass::rules::RuleSet::preset("3g").unwrap())
        .build()
        .unwrap();
    let verdict = v.verdict(&seal(), now);
    assert_eq!(verdict.error_kind(), Some(ErrorKind::RejectedByRules));
    let admission = verdict.admission().unwrap();
    assert!(!admission.is_admitted());
    assert!(verdict.reason().unwrap().contains("hcert"), "{verdict:?}");
    // Authentic all the same: verify_any says so.
    assert!(v.verify(&seal(), now).is_ok());
}

/// A seal signed here: `data` with `kind` ("icao.vacc" or "icao.test") and
/// holder name `name`, signed by `key` whose certificate is `cert_der`.
#[cfg(feature = "internals")]
fn signed_seal(
    kind: &str,
    name: &str,
    key: &healthpass::issue::SigningKey,
    cert_der: &[u8],
) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding as _};
    let msg = if kind == "icao.vacc" {
        serde_json::json!({"pid": {"n": name, "dob": "1990-01-01"},
                           "uvci": "U1", "ve": [{"des": "XM68M6", "nam": "Comirnaty", "dis": "RA01.0",
                           "vd": [{"dvc": "2021-03-01", "seq": 1, "ctr": "JPN", "adm": "X", "lot": "L1"}]}]})
    } else {
        serde_json::json!({"pid": {"n": name, "dob": "1990-01-01"}, "utci": "U1",
                           "sp": {"spn": "X", "ctr": "JPN"}, "dat": {"sc": "2026-11-28T08:00:00Z"},
                           "tr": {"tc": "molecular(PCR)", "r": "negative"}})
    };
    let data = serde_json::json!({"hdr": {"t": kind, "v": 1, "is": "JPN"}, "msg": msg});
    let canonical = healthpass::formats::json::parse(&data.to_string())
        .unwrap()
        .canonical();
    let sig = key.sign(canonical.as_bytes()).unwrap();
    serde_json::json!({"data": data, "sig": {"alg": "ES256",
        "cer": Base64UrlUnpadded::encode_string(cert_der),
        "sigvl": Base64UrlUnpadded::encode_string(&sig)}})
    .to_string()
}

/// Issue 22.5 and 22.14: a seal signer restricted to one kind of pass
/// signs seals of that kind only; a seal without a holder name is refused.
#[cfg(feature = "internals")]
#[test]
fn seal_signers_keep_to_their_kinds_and_seals_name_their_holder() {
    use healthpass::crypto::Algorithm;
    use healthpass::issue::{self_signed_certificate, CertificateParams, SigningKey};
    use healthpass::signed::Validity;
    use healthpass::PassKind;
    let now = t("2026-11-29T00:00:00Z");
    let validity = Validity::new(t("2026-01-01T00:00:00Z"), t("2028-01-01T00:00:00Z")).unwrap();
    let key = SigningKey::generate(Algorithm::Es256).unwrap();
    let restricted = self_signed_certificate(
        &key,
        &CertificateParams::new("JP", "JP seal signer (vaccinations)", validity)
            .kinds(vec![PassKind::Vaccination]),
    )
    .unwrap();
    let mut trust = TrustList::new();
    trust.add_der(&restricted).unwrap();
    let v = Verifier::builder().trust_list(trust).build().unwrap();
    let vacc = signed_seal("icao.vacc", "TARO YAMADA", &key, &restricted);
    assert!(
        v.verdict(&vacc, now).is_valid(),
        "{:?}",
        v.verdict(&vacc, now)
    );
    let test = signed_seal("icao.test", "TARO YAMADA", &key, &restricted);
    assert_eq!(v.verify(&test, now).unwrap_err(), Error::KindNotAllowed);
    assert_eq!(
        v.verdict(&test, now).error_kind(),
        Some(ErrorKind::Untrusted)
    );
    // An unrestricted signer signs both.
    let any = self_signed_certificate(
        &key,
        &CertificateParams::new("JP", "JP seal signer", validity),
    )
    .unwrap();
    let mut trust = TrustList::new();
    trust.add_der(&any).unwrap();
    let v = Verifier::builder().trust_list(trust).build().unwrap();
    assert!(v
        .verdict(&signed_seal("icao.test", "TARO YAMADA", &key, &any), now)
        .is_valid());
    // Signed, but naming nobody: refused, never shown as an empty name.
    for empty in ["", "  "] {
        let e = v
            .verify(&signed_seal("icao.vacc", empty, &key, &any), now)
            .unwrap_err();
        assert_eq!(e, Error::Seal("msg.pid.n is empty"));
    }
}

/// Issue 22.13: an x5c intermediate that may not sign certificates (no
/// keyUsage keyCertSign) does not make a chain. Made by
/// tests/data/shc/x5c/make.py: the same issuer key under an intermediate
/// with keyCertSign and under one without.
#[test]
fn an_x5c_intermediate_must_be_allowed_to_sign_certificates() {
    let iss = "https://issuer.example.org/shc";
    let anchor = data("shc/x5c/anchor.pem");
    let mut good = ShcIssuers::new();
    good.add_anchors(anchor.as_bytes()).unwrap();
    assert_eq!(
        good.add_jwks_strict(&data("shc/x5c/jwks-good.json"), KeyBinding::Issuer(iss))
            .unwrap(),
        1
    );
    let key = shc::signing_key_from_jwk(&data("shc/x5c/issuer.private.json"), None).unwrap();
    let card = CardContent::new(iss, t("2026-06-01T00:00:00Z"), bundle())
        .sign(&key)
        .unwrap();
    let v = Verifier::builder()
        .trust_list(TrustList::new())
        .shc_issuers(good)
        .build()
        .unwrap();
    assert!(v.verdict(&card, t("2026-11-29T00:00:00Z")).is_valid());
    let mut bad = ShcIssuers::new();
    bad.add_anchors(anchor.as_bytes()).unwrap();
    assert_eq!(
        bad.add_jwks_strict(
            &data("shc/x5c/jwks-no-keycertsign.json"),
            KeyBinding::Issuer(iss)
        )
        .unwrap_err(),
        Error::Shc("an x5c intermediate may not sign certificates (keyUsage keyCertSign)")
    );
    assert!(bad.is_empty());
}
