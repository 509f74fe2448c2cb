//! A multi-framework key registry as public verifier apps consume it
//! (PathCheck's `registry.json`): per framework, entries keyed by their id
//! with `didDocument` (a certificate, a public key or a JWK), `status`
//! (`current`, `terminated`, `revoked`), `validFromDT`/`validUntilDT` and
//! `credentialType`. Every section this crate can use loads entry by entry;
//! the others are reported.

use std::sync::Arc;

use base64ct::{Base64, Encoding as _};
use serde_json::Value;

use super::{
    directory_time, why, DirectoryFormat, Framework, Frameworks, LoadReport, TrustStore,
    MAX_DIRECTORY_ENTRIES, NO_END,
};
use crate::error::Withdrawal;
use crate::payload::kind::PassKind;
use crate::trust::certs::pem_blocks;
use crate::trust::{kid_of, Kid};
use crate::UnixTime;

pub(super) fn load(
    store: &mut TrustStore,
    doc: &Value,
    source: &str,
) -> Result<LoadReport, String> {
    let by: Arc<str> = source.into();
    let mut report = LoadReport::new(DirectoryFormat::KeyRegistry);
    let sections = doc.as_object().ok_or("a registry is an object")?;
    let total: usize = sections
        .values()
        .map(|s| s.as_object().map_or(0, serde_json::Map::len))
        .sum();
    if total > MAX_DIRECTORY_ENTRIES {
        return Err("more entries than a directory may hold".into());
    }
    for (section, entries) in sections {
        let Some(entries) = entries.as_object() else {
            report.refuse(section.as_str(), "the section is not an object");
            continue;
        };
        for (id, entry) in entries {
            let name = format!("{section} {id}");
            let outcome = match section.as_str() {
                "EUDCC" => eudcc(store, id, entry, &by, &mut report),
                "SmartHealthCards" => shc(store, id, entry, &by, &mut report),
                "ICAO" => icao(store, entry, &mut report),
                "DIVOC" => Err("divoc keys: divoc certificates are not verified yet".into()),
                _ => Err(format!("{section}: not a framework this crate reads")),
            };
            match outcome {
                Ok(Some((fresh, framework))) => report.counted(fresh, framework),
                Ok(None) => {}
                Err(reason) => report.refuse(name, reason),
            }
        }
    }
    Ok(report)
}

/// What one entry added: new or held already, and to which framework;
/// `None` for an entry that withdrew a key.
type Added = Option<(bool, Framework)>;

fn status(entry: &Value) -> &str {
    entry
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("current")
}

/// Whether the registry withdrew the entry, and in which word.
fn withdrawn(entry: &Value) -> Result<Option<&'static str>, String> {
    match status(entry) {
        "current" => Ok(None),
        "terminated" => Ok(Some("terminated")),
        "revoked" => Ok(Some("revoked")),
        other => Err(format!("unknown status {other:?}")),
    }
}

/// The one PEM block of a `didDocument`, and its label.
fn pem_of(entry: &Value) -> Result<(&'static str, Vec<u8>), String> {
    let text = entry
        .get("didDocument")
        .and_then(Value::as_str)
        .ok_or("no didDocument")?;
    let label = if text.contains("-----BEGIN CERTIFICATE-----") {
        "CERTIFICATE"
    } else if text.contains("-----BEGIN PUBLIC KEY-----") {
        "PUBLIC KEY"
    } else {
        return Err("the didDocument is neither a certificate nor a public key".into());
    };
    if label == "CERTIFICATE" {
        let mut blocks = pem_blocks(text);
        let der = blocks
            .next()
            .ok_or("no certificate")?
            .map_err(|e| why(&e))?;
        if blocks.next().is_some() {
            return Err("more than one certificate".into());
        }
        return Ok(("CERTIFICATE", der));
    }
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>()
        .split_ascii_whitespace()
        .collect();
    let der = Base64::decode_vec(&body).map_err(|_| "bad public key base64".to_owned())?;
    Ok(("PUBLIC KEY", der))
}

/// The pass kinds of `credentialType` (`["t", "v", "r"]`), if given.
fn kinds(entry: &Value) -> Result<Option<Vec<PassKind>>, String> {
    let Some(types) = entry.get("credentialType") else {
        return Ok(None);
    };
    let types = types.as_array().ok_or("credentialType is not an array")?;
    let mut out = Vec::new();
    for t in types {
        out.push(match t.as_str() {
            Some("v") => PassKind::Vaccination,
            Some("t") => PassKind::Test,
            Some("r") => PassKind::Recovery,
            _ => return Err("credentialType names another kind than v, t, r".into()),
        });
    }
    Ok(if out.is_empty() { None } else { Some(out) })
}

fn window(entry: &Value) -> (UnixTime, UnixTime) {
    (
        directory_time(entry.get("validFromDT")).unwrap_or(UnixTime::from_secs(0)),
        directory_time(entry.get("validUntilDT")).unwrap_or(NO_END),
    )
}

/// An EU DCC signer: its kid (base64), a certificate (whose kid must be
/// the registry's) or a bare public key.
fn eudcc(
    store: &mut TrustStore,
    id: &str,
    entry: &Value,
    by: &Arc<str>,
    report: &mut LoadReport,
) -> Result<Added, String> {
    let kid: Kid = Base64::decode_vec(id)
        .ok()
        .and_then(|k| Kid::try_from(k).ok())
        .ok_or("the kid is not 8 bytes of base64")?;
    if let Some(status) = withdrawn(entry)? {
        let by = Arc::clone(by);
        store.signers.withdraw(kid, Withdrawal { by, status });
        report.withdrawn += 1;
        return Ok(None);
    }
    let kinds = kinds(entry)?;
    let (label, der) = pem_of(entry)?;
    let fresh = if label == "CERTIFICATE" {
        if kid_of(&der) != kid {
            return Err("the kid is not the certificate's".into());
        }
        store
            .signers
            .add_narrowed(&der, kid, kinds.as_deref(), Some(window(entry)))
    } else {
        store
            .signers
            .add_key(&der, kid, None, window(entry), kinds.as_deref())
    }
    .map_err(|e| why(&e))?;
    Ok(Some((fresh, Frameworks::hcert)))
}

/// A SMART Health Card issuer key, `ISS#KID`: bound to its issuer.
#[cfg(feature = "shc")]
fn shc(
    store: &mut TrustStore,
    id: &str,
    entry: &Value,
    by: &Arc<str>,
    report: &mut LoadReport,
) -> Result<Added, String> {
    use crate::formats::shc::KeyBinding;
    let (iss, kid) = id.rsplit_once('#').ok_or("the id is not ISSUER#KID")?;
    if let Some(status) = withdrawn(entry)? {
        let by = Arc::clone(by);
        store.shc.withdraw(kid, Withdrawal { by, status });
        report.withdrawn += 1;
        return Ok(None);
    }
    if !crate::formats::shc::is_issuer_url(iss) {
        return Err("the issuer is not an https url without a trailing /".into());
    }
    let jwk = entry.get("didDocument").ok_or("no didDocument")?;
    if jwk.get("kid").and_then(Value::as_str) != Some(kid) {
        return Err("the key's kid is not the registry's".into());
    }
    let jwk = crate::formats::json::parse(&jwk.to_string()).map_err(|e| why(&e))?;
    let fresh = store
        .shc
        .add_jwk(&jwk, KeyBinding::Issuer(iss), None)
        .map_err(|e| why(&e))?;
    Ok(Some((fresh, Frameworks::shc)))
}

#[cfg(not(feature = "shc"))]
fn shc(
    _: &mut TrustStore,
    _: &str,
    _: &Value,
    _: &Arc<str>,
    _: &mut LoadReport,
) -> Result<Added, String> {
    Err("smart health cards: this build lacks the shc feature".into())
}

/// A country signing CA of the ICAO health master list.
fn icao(store: &mut TrustStore, entry: &Value, report: &mut LoadReport) -> Result<Added, String> {
    let _ = report;
    if let Some(status) = withdrawn(entry)? {
        return Err(format!("{status} by the registry"));
    }
    let (label, der) = pem_of(entry)?;
    if label != "CERTIFICATE" {
        return Err("a country ca is a certificate".into());
    }
    let fresh = store.cscas.add_one(&der).map_err(|e| why(&e))?;
    Ok(Some((fresh, Frameworks::icao)))
}
