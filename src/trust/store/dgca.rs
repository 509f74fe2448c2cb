//! The EU DCC signer lists a verifier app syncs from its national backend:
//! the signer list (`[{"kid", "rawData", …}]`, as the DGCA gateway's trust
//! list and the verifier service's updates carry each certificate beside
//! its kid) and the list of valid kids (`["kid", …]`, the verifier
//! service's `signercertificateStatus`) that prunes the rest.

use base64ct::{Base64, Encoding as _};
use serde_json::Value;

use super::{why, DirectoryFormat, Frameworks, LoadReport, TrustStore, MAX_DIRECTORY_ENTRIES};
use crate::trust::{kid_of, Kid};

fn kid_from(text: &str) -> Option<Kid> {
    Base64::decode_vec(text)
        .ok()
        .and_then(|k| Kid::try_from(k).ok())
}

/// A signer list: each certificate under its kid, the kid recomputed.
pub(super) fn load(store: &mut TrustStore, items: &[Value]) -> Result<LoadReport, String> {
    if items.len() > MAX_DIRECTORY_ENTRIES {
        return Err("more entries than a directory may hold".into());
    }
    if !items
        .iter()
        .all(|i| i.get("kid").is_some() && i.get("rawData").is_some())
    {
        return Err("an array, but not of {kid, rawData} signer entries".into());
    }
    let mut report = LoadReport::new(DirectoryFormat::DccSignerList);
    for (n, item) in items.iter().enumerate() {
        let kid_text = item.get("kid").and_then(Value::as_str).unwrap_or_default();
        let entry = format!("signer {} (kid {kid_text})", n + 1);
        let Some(kid) = kid_from(kid_text) else {
            report.refuse(entry, "the kid is not 8 bytes of base64");
            continue;
        };
        let Some(der) = item
            .get("rawData")
            .and_then(Value::as_str)
            .and_then(|b| Base64::decode_vec(b.trim()).ok())
        else {
            report.refuse(entry, "rawData is not base64 of a certificate");
            continue;
        };
        if kid_of(&der) != kid {
            report.refuse(entry, "the kid is not the certificate's");
            continue;
        }
        match store.signers.add_narrowed(&der, kid, None, None) {
            Ok(fresh) => report.counted(fresh, Frameworks::hcert),
            Err(e) => report.refuse(entry, why(&e)),
        }
    }
    Ok(report)
}

/// A list of valid kids: every signer whose kid it does not name leaves
/// the store.
pub(super) fn prune(store: &mut TrustStore, items: &[Value]) -> Result<LoadReport, String> {
    if items.len() > MAX_DIRECTORY_ENTRIES {
        return Err("more kids than a directory may hold".into());
    }
    let mut report = LoadReport::new(DirectoryFormat::DccValidKids);
    let mut valid = std::collections::HashSet::new();
    for item in items {
        let text = item.as_str().unwrap_or_default();
        match kid_from(text) {
            Some(kid) => {
                valid.insert(kid);
            }
            None => report.refuse(text, "not a kid (8 bytes of base64)"),
        }
    }
    report.pruned = store.signers.retain_kids(|kid| valid.contains(kid));
    Ok(report)
}
