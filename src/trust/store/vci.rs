//! The VCI directory snapshot of SMART Health Card issuers
//! (`vci_snapshot.json`, published by the-commons-project/vci-directory
//! with its detached signature `vci_snapshot.sig`: ECDSA P-521 with
//! SHA-512, DER, over the file's bytes, by the key of `vci_snapshot.crt`).
//! The signature is checked before anything is read; then every issuer's
//! keys load bound to its `iss`, with the time the directory last saw them
//! at their issuer (`lastRetrieved`), and its revocation lists.

use serde_json::Value;
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::Certificate;

use super::{
    directory_time, why, DirectoryFormat, Frameworks, LoadOptions, LoadReport, TrustStore,
    MAX_DIRECTORY_ENTRIES,
};
use crate::crypto::CertSignatureAlgorithm;
use crate::formats::shc::KeyBinding;
use crate::trust::certs::{certificate_ders, validity_of};

pub(super) fn load(
    store: &mut TrustStore,
    bytes: &[u8],
    doc: &Value,
    options: &LoadOptions,
) -> Result<LoadReport, String> {
    let (Some(signature), Some(certificate)) = (&options.signature, &options.signer_certificate)
    else {
        return Err(
            "a vci snapshot needs its detached signature and the directory's certificate".into(),
        );
    };
    let der = certificate_ders(certificate)
        .map_err(|e| why(&e))?
        .next()
        .ok_or("no certificate")?
        .map_err(|e| why(&e))?;
    let cert = Certificate::from_der(&der).map_err(|_| "the directory's certificate: bad der")?;
    if let Some(at) = options.at {
        let w = validity_of(&cert);
        if at < w.not_before || at > w.not_after {
            return Err("the directory's certificate is not valid now".into());
        }
    }
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|_| "the directory's certificate: bad key")?;
    store
        .backend
        .verify_certificate_signature(&spki, CertSignatureAlgorithm::EcdsaSha512, bytes, signature)
        .map_err(|_| "the snapshot's signature does not verify".to_owned())?;

    let mut report = LoadReport::new(DirectoryFormat::VciSnapshot);
    let issuers = doc
        .get("issuerInfo")
        .and_then(Value::as_array)
        .ok_or("no issuerInfo array")?;
    let keys: usize = issuers
        .iter()
        .map(|i| i.get("keys").and_then(Value::as_array).map_or(0, Vec::len))
        .sum();
    if keys > MAX_DIRECTORY_ENTRIES {
        return Err("more keys than a directory may hold".into());
    }
    for (n, info) in issuers.iter().enumerate() {
        let Some(iss) = info
            .get("issuer")
            .and_then(|i| i.get("iss"))
            .and_then(Value::as_str)
        else {
            report.refuse(format!("issuer {}", n + 1), "no issuer.iss");
            continue;
        };
        if !crate::formats::shc::is_issuer_url(iss) {
            report.refuse(iss, "the issuer is not an https url without a trailing /");
            continue;
        }
        let retrieved = directory_time(info.get("lastRetrieved"));
        for (k, jwk) in info
            .get("keys")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .enumerate()
        {
            let kid = jwk.get("kid").and_then(Value::as_str);
            let entry = format!(
                "{iss}#{}",
                kid.map_or_else(|| format!("key {}", k + 1), str::to_owned)
            );
            let added = crate::formats::json::parse(&jwk.to_string())
                .and_then(|jwk| store.shc.add_jwk(&jwk, KeyBinding::Issuer(iss), retrieved));
            match added {
                Ok(fresh) => report.counted(fresh, Frameworks::shc),
                Err(e) => report.refuse(entry, why(&e)),
            }
        }
        for crl in info
            .get("crls")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
        {
            if let Err(e) = store.shc.add_revocation_list(&crl.to_string()) {
                let kid = crl.get("kid").and_then(Value::as_str).unwrap_or("?");
                report.refuse(format!("{iss} revocation list of {kid}"), why(&e));
            }
        }
    }
    Ok(report)
}
