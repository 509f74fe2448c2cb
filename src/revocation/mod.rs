//! Revocation: the EU DCC revocation hashes, a compact store for millions
//! of them, signed lists (full and delta) that feed it, and readers for the
//! two slice formats of the EU distribution service.
//!
//! A verifier given a [`Revocation`] checks every list after the signature
//! and time checks; a hit is [`Error::Revoked`], whose class says only
//! "revoked".
//!
//! The three hash types (each the first 16 bytes of a SHA-256):
//! - `UCI`: of the entry's `ci` as written;
//! - `COUNTRYCODEUCI`: of a country code followed by `ci`; the EU reference
//!   takes the payload's `co`, the German app the CWT `iss`
//!   ([`CountrySource`]; each list records its own);
//! - `SIGNATURE`: of the COSE signature; for ECDSA only its first half, `r`
//!   (32 bytes for ES256), for RSA all of it.
//!
//! A light pass has no `ci`, but carries its source pass's hashes (see
//! [`crate::issue::Issuer::issue_light`]): a list that revokes the source
//! catches the light pass too.
//!
//! Lists come signed ([`RevocationListLoader`], verified against anchors
//! given for lists; a kind of the signed-list core, [`crate::signed::list`]), or, by explicit choice, unauthenticated
//! ([`RevocationList::from_unauthenticated_document`]).

use crate::{Error, UnixTime};

pub mod bloom;
mod hash;
mod list;
pub mod pvhf;
mod store;

pub(crate) use hash::HashInputs;
pub use hash::{hash_of_unverified, CountrySource, HashType, RevocationHash};
pub use list::{
    RevocationList, RevocationListDocument, RevocationListLoader, RevocationParams, Revocations,
    CONTENT_TYPE, DEFAULT_FALSE_POSITIVE_RATE, LIST_FORMAT_VERSION, MAX_LIST_HASHES,
};
pub use store::{Store, StoreMode};

/// What to do when a revocation list is past its expiry at verification
/// time.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExpiredListPolicy {
    /// Refuse every pass as `untrusted` ([`Error::RevocationListExpired`]).
    /// The default.
    #[default]
    FailClosed,
    /// Keep using the last list.
    UseLast,
}

/// The revocation lists a verifier checks.
#[derive(Debug, Clone, Default)]
pub struct Revocation {
    lists: Vec<RevocationList>,
    policy: ExpiredListPolicy,
}

impl Revocation {
    /// No lists yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a list (several lists of one hash type are all checked).
    #[must_use]
    pub fn with_list(mut self, list: RevocationList) -> Self {
        self.lists.push(list);
        self
    }

    /// What to do when a list has expired at verification time (default:
    /// fail closed).
    #[must_use]
    pub fn expired_policy(mut self, policy: ExpiredListPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The lists.
    pub fn lists(&self) -> &[RevocationList] {
        &self.lists
    }

    /// Checks a pass's hashes against every list at `now`.
    ///
    /// # Errors
    /// [`Error::Revoked`] on a hit; [`Error::RevocationListExpired`] when a
    /// list has expired and the policy fails closed.
    pub(crate) fn check(&self, inputs: &HashInputs<'_>, now: UnixTime) -> Result<(), Error> {
        for list in &self.lists {
            if let Some(expires) = list.expires {
                if now > expires && self.policy == ExpiredListPolicy::FailClosed {
                    return Err(Error::RevocationListExpired {
                        expired_at: expires,
                    });
                }
            }
            if inputs
                .all(list.hash_type, list.country_source)
                .any(|h| list.store.contains(&h))
            {
                return Err(Error::Revoked);
            }
        }
        Ok(())
    }
}
