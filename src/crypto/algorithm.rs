//! The signature algorithms: of passes and signed documents (COSE), and of
//! the certificate authorities that issue signer certificates.

use core::fmt;

use crate::Error;

/// The COSE signature algorithms a pass may be signed with.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// ECDSA on P-256 with SHA-256 (COSE -7); signature is r‖s, 64 bytes.
    Es256,
    /// ECDSA on P-384 with SHA-384 (COSE -35); signature is r‖s, 96 bytes.
    Es384,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (COSE -37).
    Ps256,
    /// ECDSA on P-521 with SHA-512 (COSE -36); signature is r‖s, 132 bytes.
    /// Not an HCERT algorithm (the hcert spec names ES256, PS256 and
    /// ES384): ICAO seals and signed directories use it.
    Es512,
}

impl Algorithm {
    /// The algorithm for a COSE `alg` value.
    ///
    /// # Errors
    /// [`Error::UnsupportedAlgorithm`] for any other value.
    pub fn from_cose(alg: i64) -> Result<Self, Error> {
        match alg {
            -7 => Ok(Algorithm::Es256),
            -35 => Ok(Algorithm::Es384),
            -37 => Ok(Algorithm::Ps256),
            other => Err(Error::UnsupportedAlgorithm(other)),
        }
    }

    /// The COSE `alg` value.
    pub fn cose_id(self) -> i64 {
        match self {
            Algorithm::Es256 => -7,
            Algorithm::Es384 => -35,
            Algorithm::Ps256 => -37,
            Algorithm::Es512 => -36,
        }
    }

    /// The JOSE/COSE name ("ES256", …).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Es256 => "ES256",
            Algorithm::Es384 => "ES384",
            Algorithm::Ps256 => "PS256",
            Algorithm::Es512 => "ES512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The signatures a certificate authority may put on a certificate, as the
/// country signing CAs of the EU and WHO networks use them. SHA-1 and
/// other curves are not among them.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertSignatureAlgorithm {
    /// ecdsa-with-SHA256 (DER signature).
    EcdsaSha256,
    /// ecdsa-with-SHA384 (DER signature).
    EcdsaSha384,
    /// ecdsa-with-SHA512 (DER signature).
    EcdsaSha512,
    /// sha256WithRSAEncryption (PKCS#1 v1.5).
    RsaPkcs1Sha256,
    /// sha384WithRSAEncryption (PKCS#1 v1.5).
    RsaPkcs1Sha384,
    /// sha512WithRSAEncryption (PKCS#1 v1.5).
    RsaPkcs1Sha512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    RsaPssSha256,
}
