//! Who may sign: the signer certificates (DSC) a verifier trusts, their key
//! identifiers, validity and the kinds of pass each may sign.
//!
//! [`crate::TrustList`] holds the trusted signers. This module holds what a
//! trust list is made of ([`Signer`], [`Kid`], [`PassKinds`]), the
//! country signing CAs of the chained mode ([`CscaList`]), and the loaders
//! of the directories trust comes in: certificate files (PEM, DER,
//! base64), this crate's signed trust lists ([`signed_list`]) and the WHO
//! GDHCN DID trust lists (`gdhcn`, feature `gdhcn`).
//!
//! Two modes: **pinned** (`TrustList::new()`: the certificates you load are
//! the signers) and **chained** (`TrustList::chained_to(cscas)`: a signer is
//! accepted only when a configured country signing CA issued it, directly,
//! of the same country, and it is valid only while that CA is; no path is
//! ever built, so a hostile file costs a bounded number of checks):
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use healthpass::trust::CscaList;
//! use healthpass::{TrustList, UnixTime, Verifier};
//!
//! let mut cscas = CscaList::new();
//! cscas.add_any(&std::fs::read("tests/data/chains/csca-xa.pem")?)?;
//! let mut trust = TrustList::chained_to(cscas);
//! trust.add_any(&std::fs::read("tests/data/chains/dsc-p256.pem")?)?; // refused unless it chains
//! let verifier = Verifier::builder().trust_list(trust).build()?;
//! let pass = std::fs::read_to_string("tests/data/chains/p256-pass.txt")?;
//! assert!(verifier.verify(pass.trim(), UnixTime::parse_rfc3339("2026-04-01T00:00:00Z")?).is_ok());
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;

use sha2::{Digest as _, Sha256};
use x509_cert::spki::ObjectIdentifier;

use crate::crypto::PublicKey;
use crate::payload::kind::PassKind;
use crate::UnixTime;

pub(crate) mod certs;
pub(crate) mod chain;
#[cfg(feature = "gdhcn")]
#[cfg_attr(docsrs, doc(cfg(feature = "gdhcn")))]
pub mod gdhcn;
pub(crate) mod list;
pub mod signed_list;
pub mod store;

pub use chain::{CscaList, MAX_CAS_PER_SUBJECT};
pub use list::MAX_SIGNERS_PER_KID;

/// A key identifier: the first 8 bytes of the SHA-256 of the certificate.
pub type Kid = [u8; 8];

/// Computes the key identifier of a DER certificate.
pub fn kid_of(cert_der: &[u8]) -> Kid {
    let digest = Sha256::digest(cert_der);
    let mut kid = [0u8; 8];
    for (k, d) in kid.iter_mut().zip(digest.iter()) {
        *k = *d;
    }
    kid
}

/// The kinds of pass a signer may sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PassKinds(u8);

/// No extended key usage names a pass kind: no restriction at all (as
/// opposed to a certificate that lists every kind, which is still a list).
const UNRESTRICTED: u8 = 0x80;

/// The bit of a kind in [`PassKinds`]; 0 for the kinds no extended key
/// usage names, which only an unrestricted signer may sign.
fn bit(kind: PassKind) -> u8 {
    match kind {
        PassKind::Test => 1,
        PassKind::Vaccination => 2,
        PassKind::Recovery => 4,
        PassKind::Exemption | PassKind::Light => 0,
    }
}

impl PassKinds {
    /// No restriction: the signer certificate names no pass kind.
    pub const ANY: PassKinds = PassKinds(UNRESTRICTED);

    /// Whether `kind` is allowed. Exemption and light passes are allowed
    /// only when the signer is unrestricted.
    pub fn allows(self, kind: PassKind) -> bool {
        self.0 & (UNRESTRICTED | bit(kind)) != 0
    }

    /// True when the certificate names no pass kind at all. (A certificate
    /// that names all three is restricted to those three.)
    pub fn is_unrestricted(self) -> bool {
        self.0 & UNRESTRICTED != 0
    }

    /// These kinds narrowed to the vaccination, test and recovery kinds
    /// among `kinds` (a trust list entry's restriction): never wider than
    /// before, and restricted afterwards.
    pub(crate) fn narrowed(self, kinds: &[PassKind]) -> PassKinds {
        let listed = kinds.iter().fold(0u8, |bits, k| bits | bit(*k));
        if self.is_unrestricted() {
            PassKinds(listed)
        } else {
            PassKinds(self.0 & listed)
        }
    }

    /// The kinds named by a certificate's extended key usage OIDs.
    pub(crate) fn from_eku(oids: &[ObjectIdentifier]) -> PassKinds {
        let mut bits = 0u8;
        for (known, kind) in EKU_KINDS {
            if oids.contains(&known) {
                bits |= bit(kind);
            }
        }
        if bits == 0 {
            PassKinds::ANY
        } else {
            PassKinds(bits)
        }
    }
}

/// Extended key usage OIDs of the hcert spec (§5.1.1), in both the
/// registered form and the `.0.` form some issuers used.
const EKU_KINDS: [(ObjectIdentifier, PassKind); 6] = [
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.1"),
        PassKind::Test,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.2"),
        PassKind::Vaccination,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.3"),
        PassKind::Recovery,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.1"),
        PassKind::Test,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.2"),
        PassKind::Vaccination,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.3"),
        PassKind::Recovery,
    ),
];

/// The registered extended key usage OID of a kind, if one exists.
#[cfg_attr(not(feature = "rustcrypto"), allow(dead_code))]
pub(crate) fn eku_oid(kind: PassKind) -> Option<ObjectIdentifier> {
    EKU_KINDS
        .iter()
        .take(3)
        .find(|(_, k)| *k == kind)
        .map(|(oid, _)| *oid)
}

/// A trusted signer: what verification needs from its certificate, parsed
/// once.
#[derive(Debug, Clone)]
pub struct Signer {
    pub(crate) kid: Kid,
    /// SHA-256 of the certificate (DER).
    pub(crate) digest: [u8; 32],
    pub(crate) country: Option<String>,
    pub(crate) not_before: UnixTime,
    pub(crate) not_after: UnixTime,
    pub(crate) kinds: PassKinds,
    pub(crate) key: Arc<dyn PublicKey>,
    /// Where it came from (see [`Signer::source`]).
    pub(crate) source: Option<Arc<str>>,
}

impl Signer {
    /// The key identifier.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    /// The country (`C`) of the certificate's subject, if present.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// Start of the certificate's validity.
    pub fn not_before(&self) -> UnixTime {
        self.not_before
    }

    /// End of the certificate's validity.
    pub fn not_after(&self) -> UnixTime {
        self.not_after
    }

    /// The kinds of pass this signer may sign.
    pub fn kinds(&self) -> PassKinds {
        self.kinds
    }

    /// The parsed public key.
    pub fn key(&self) -> &dyn PublicKey {
        &*self.key
    }

    /// Where the store took it from: the directory file as its loader named
    /// it ([`store::LoadOptions::new`]), or `LIST_ID #SEQUENCE` for the
    /// signed trust list (full or delta) that added it. `None` for a signer
    /// added directly (`add_der`, `add_pem`…). The same signer from two
    /// sources keeps the first.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref().filter(|s| !s.is_empty())
    }

    /// Whether `t` lies in the certificate's validity, widened by `skew`
    /// seconds on both sides.
    pub(crate) fn valid_at(&self, t: UnixTime, skew: i64) -> bool {
        t >= self.not_before.saturating_sub(skew) && t <= self.not_after.saturating_add(skew)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let t = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.1");
        let v0 = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.2");
        let other = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
        let k = PassKinds::from_eku(&[t, other]);
        assert!(k.allows(PassKind::Test));
        assert!(!k.allows(PassKind::Vaccination));
        let k = PassKinds::from_eku(&[v0]);
        assert!(k.allows(PassKind::Vaccination) && !k.allows(PassKind::Recovery));
        assert!(PassKinds::from_eku(&[other]).is_unrestricted());
        assert!(PassKinds::from_eku(&[]).is_unrestricted());
        let r = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.3");
        let v = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.2");
        let all = PassKinds::from_eku(&[t, v, r]);
        assert!(all.allows(PassKind::Test) && all.allows(PassKind::Vaccination));
        assert!(all.allows(PassKind::Recovery) && !all.is_unrestricted());
        for kind in [PassKind::Exemption, PassKind::Light] {
            assert!(!all.allows(kind), "{kind:?} needs an unrestricted signer");
            assert!(PassKinds::ANY.allows(kind));
        }
        for kind in [PassKind::Test, PassKind::Vaccination, PassKind::Recovery] {
            let oid = eku_oid(kind).unwrap();
            assert!(PassKinds::from_eku(&[oid]).allows(kind));
        }
        assert_eq!(eku_oid(PassKind::Light), None);
    }
}
