//! Certificate bundles (DER, PEM, base64), entry by entry: a CA becomes a
//! country CA, any other certificate a pass signer.

use x509_cert::der::Decode as _;
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::Certificate;

use super::{
    why, DirectoryFormat, Framework, Frameworks, LoadReport, TrustStore, MAX_DIRECTORY_ENTRIES,
};
use crate::trust::certs::{certificate_ders, country_of};
use crate::trust::kid_of;

pub(super) fn load(store: &mut TrustStore, bytes: &[u8]) -> Result<LoadReport, String> {
    let mut report = LoadReport::new(DirectoryFormat::CertificateBundle);
    let ders = certificate_ders(bytes).map_err(|e| why(&e))?;
    let mut decoded = 0usize;
    for (i, der) in ders.enumerate() {
        if i >= MAX_DIRECTORY_ENTRIES {
            return Err("more certificates than a directory may hold".into());
        }
        let der = match der {
            Ok(der) => der,
            Err(e) => {
                report.refuse(format!("certificate {}", i + 1), why(&e));
                continue;
            }
        };
        decoded += 1;
        let entry = || name(i, &der);
        let cert = match Certificate::from_der(&der) {
            Ok(c) => c,
            Err(_) => {
                report.refuse(entry(), "bad der");
                continue;
            }
        };
        let is_ca = matches!(
            cert.tbs_certificate().get_extension::<BasicConstraints>(),
            Ok(Some((_, bc))) if bc.ca
        );
        let added = if is_ca {
            store
                .cscas
                .add_one(&der)
                .map(|fresh| (fresh, Frameworks::icao as Framework))
        } else {
            store
                .signers
                .add_narrowed(&der, kid_of(&der), None, None)
                .map(|fresh| (fresh, Frameworks::hcert as Framework))
        };
        match added {
            Ok((fresh, framework)) => report.counted(fresh, framework),
            Err(e) => report.refuse(entry(), why(&e)),
        }
    }
    if decoded == 0 {
        // Not one certificate could be read: not a bundle at all.
        return Err(
            "no format this store reads (no certificate, json directory or jwk set)".into(),
        );
    }
    Ok(report)
}

/// An entry's name in the report: its position, country and kid.
fn name(i: usize, der: &[u8]) -> String {
    use base64ct::{Base64, Encoding as _};
    let country = Certificate::from_der(der)
        .ok()
        .and_then(|c| country_of(&c))
        .unwrap_or_else(|| "?".into());
    format!(
        "certificate {} ({country}, kid {})",
        i + 1,
        Base64::encode_string(&kid_of(der))
    )
}
