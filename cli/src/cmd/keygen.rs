//! `healthpass keygen`: a signing key and a self-signed signer certificate.

use healthpass::crypto::Algorithm;
use healthpass::issue::{certificate_pem, self_signed_certificate, CertificateParams, SigningKey};
use healthpass::signed::Validity;

use crate::args::{Alg, KeygenArgs};
use crate::error::{CliError, CliResult, Done};
use crate::io::{hex, write_file, write_private};
use crate::load::now;

pub(crate) fn run(args: &KeygenArgs) -> CliResult {
    let alg = match args.alg {
        Alg::Es256 => Algorithm::Es256,
        Alg::Ps256 => Algorithm::Ps256,
    };
    let key = SigningKey::generate(alg)?;
    // Valid from an hour ago: passes issued right away, with an iat from a
    // clock a little behind, are within the certificate's validity.
    let not_before = now().saturating_sub(3600);
    let validity = Validity::new(
        not_before,
        not_before.saturating_add(i64::from(args.days.max(1)) * 86_400),
    )?;
    let params =
        CertificateParams::new(&args.country, &args.name, validity).kinds(args.kinds.clone());
    let cert = self_signed_certificate(&key, &params)?;
    let pem = key.to_pkcs8_pem()?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| CliError::usage(format!("cannot create {}: {e}", args.out.display())))?;
    let key_path = args.out.join("key.pem");
    let cert_path = args.out.join("cert.pem");
    write_private(&key_path, pem.as_bytes())?;
    write_file(&cert_path, certificate_pem(&cert))?;
    out!(
        "wrote {} and {} (kid {})",
        key_path.display(),
        cert_path.display(),
        hex(&healthpass::trust::kid_of(&cert))
    );
    Ok(Done::Ok)
}
