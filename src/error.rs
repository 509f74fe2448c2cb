//! The one error type of the crate, and its stable classes; and the
//! schema-violation list that issuing reports (re-exported by
//! [`crate::payload`]).

use core::fmt;

use crate::time::{InvalidTime, UnixTime};
use crate::uvci::UvciError;

/// Everything that can go wrong between the text of a QR code and a verdict.
///
/// Variants carry context for logs and developers; [`Error::kind`] gives the
/// stable class that applications, bindings and tests should match on. The
/// `Display` texts are short lowercase English and never contain health data.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The text does not start with a supported prefix (`HC1:`, `LT1:`).
    UnknownPrefix,
    /// The prefix says one form of pass and the signed content another
    /// (`LT1:` on a full pass, `HC1:` on a light one).
    PrefixMismatch,
    /// The input is not UTF-8 text (a pass's text is ASCII).
    NotText,
    /// The input is longer than the hard cap.
    InputTooLong {
        /// Length of the input, in bytes.
        len: usize,
        /// The cap, in bytes.
        max: usize,
    },
    /// The text is not valid Base45 (RFC 9285).
    Base45 {
        /// Byte offset (in the Base45 text) of the first bad group.
        offset: usize,
    },
    /// The bytes are not a valid zlib stream (bad header, corrupt data,
    /// wrong Adler-32, missing trailer).
    Zlib,
    /// The zlib stream inflates to more than the hard cap.
    InflatedTooLarge {
        /// The cap, in bytes.
        max: usize,
    },
    /// Bytes follow the end of a structure that must end the input.
    TrailingBytes {
        /// What the trailing bytes follow ("zlib stream", "cose", …).
        after: &'static str,
    },
    /// The bytes are not well-formed CBOR, or break one of the decoder's caps.
    Cbor {
        /// Byte offset where decoding stopped.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Well-formed CBOR, but not a valid COSE_Sign1 structure.
    Cose(&'static str),
    /// The COSE `alg` is not one this crate verifies.
    UnsupportedAlgorithm(i64),
    /// The protected `crit` header names a parameter this crate does not
    /// understand: RFC 9052 says such a message must be rejected.
    UnknownCriticalHeader(String),
    /// The `kid` is present but not 8 bytes long.
    InvalidKid {
        /// Its length in bytes.
        len: usize,
    },
    /// Neither header carries a `kid`.
    MissingKid,
    /// No certificate in the trust list has this `kid`.
    UnknownKid,
    /// A directory withdrew the key of this `kid` (terminated, revoked): it
    /// verifies nothing, whoever else lists it.
    SignerWithdrawn {
        /// The directory that withdrew it, as its loader named it (a path,
        /// a URL; empty when the caller named none).
        by: String,
        /// The word the directory used: `terminated`, `revoked`.
        status: &'static str,
    },
    /// A verifier was built without a trust list: nothing is trusted by
    /// default.
    NoTrustList,
    /// Certificates with this `kid` exist, but none has a key of the type
    /// the `alg` needs.
    AlgorithmKeyMismatch,
    /// The signature does not verify. Deliberately opaque.
    BadSignature,
    /// The signer certificate is not valid at the verification time.
    SignerNotValid {
        /// The verification time.
        at: UnixTime,
    },
    /// The pass says it was issued (`iat`) outside its signer certificate's
    /// validity: a pass "signed" before its signer existed is a forgery
    /// signal.
    IssuedOutsideSignerValidity {
        /// The pass's `iat`.
        issued_at: UnixTime,
    },
    /// The signer certificate's extended key usage does not allow this kind
    /// of pass.
    KindNotAllowed,
    /// The CWT claims are missing, malformed or of the wrong type.
    Claims(&'static str),
    /// The health payload is structurally broken (no name or date of birth,
    /// not exactly one entry, wrong types).
    Payload(&'static str),
    /// The pass is not yet valid (before its `iat`).
    NotYetValid {
        /// The verification time.
        at: UnixTime,
        /// When the pass becomes valid.
        valid_from: UnixTime,
    },
    /// The pass has expired (after its `exp`).
    Expired {
        /// The verification time.
        at: UnixTime,
        /// When the pass expired.
        expired_at: UnixTime,
    },
    /// A certificate or key could not be read or is not acceptable.
    Certificate(&'static str),
    /// A time or date string could not be parsed.
    Time,
    /// Issuing: the payload breaks rules of the schema (every violation).
    Schema(SchemaViolations),
    /// A unique certificate identifier (UVCI) is not well formed.
    Uvci(UvciError),
    /// Issuing: a private key could not be read, generated or used.
    Key(&'static str),
    /// Issuing: the request cannot be honoured (e.g. `exp` not after `iat`).
    Issuing(&'static str),
    /// The operating system's random source failed.
    Random,
    /// Something that cannot fail on valid state failed (a bug, or memory).
    Internal(&'static str),
    /// A QR code could not be made, or read from an image.
    Qr(&'static str),
    /// The pass is on a revocation list. Deliberately says nothing of which.
    Revoked,
    /// A revocation list is past its expiry and the policy fails closed.
    RevocationListExpired {
        /// When the list expired.
        expired_at: UnixTime,
    },
    /// The trust list came from a signed document that has expired: every
    /// pass is refused until a newer list is loaded (fail closed).
    TrustListExpired {
        /// When the list expired.
        expired_at: UnixTime,
    },
    /// The trust data is older than the verifier allows
    /// ([`crate::VerifierBuilder::trust_data_as_of`]): every pass is refused
    /// until it is brought up to date (fail closed).
    TrustOutdated {
        /// When its allowance ran out.
        since: UnixTime,
    },
    /// A WHO GDHCN DID trust list (or its signer's DID document) cannot be
    /// read, breaks a bound, uses a JSON-LD context that is not bundled, or
    /// has no proof by the expected signer; or a key of it is refused.
    DidDocument(&'static str),
    /// A trust directory (a certificate bundle, a JWK set, a key registry,
    /// the VCI snapshot, an EU DCC signer list) cannot be loaded: not in a
    /// format the store reads, over a bound, a signed document whose
    /// signature does not verify, or in the strict mode an entry refused.
    /// The text says which file and why.
    TrustDirectory(String),
    /// A revocation list, store or filter could not be read or applied.
    Revocation(&'static str),
    /// A signed document (a revocation or trust list) is not of the kind
    /// expected, or is malformed.
    SignedDocument(&'static str),
    /// A rule set or CertLogic expression cannot be read (the text says
    /// which rule and why).
    Rules(String),
    /// A field of a DDCC or DVC payload is missing or of the wrong type.
    PayloadField {
        /// The member (`"dvc"`, `"ddcc-vaccination"`, `"ddcc-test"`).
        member: &'static str,
        /// JSON pointer-like path of the field, e.g. `/v/dt`.
        path: String,
        /// What is wrong, in short lowercase English.
        message: &'static str,
    },
    /// The hcert claim (-260) holds a member this crate does not know
    /// (known: 1 EU DCC, 3 DDCC:VS, 4 DDCC:TR, -6 DVC).
    UnsupportedMember(i64),
    /// A legacy DDCC QR code: the DDCC data set with text keys in place of
    /// CWT claims (and a short kid). Not an HCERT pass.
    LegacyDdcc,
    /// The pass has no `exp` and the verifier's policy requires one for
    /// this kind of pass (always for an EU DCC).
    MissingExpiry {
        /// The member (`"eu-dcc"`, `"dvc"`, …).
        member: &'static str,
    },
    /// The text is not a pass format this crate reads (`HC1:`, `LT1:`,
    /// `shc:/`, an ICAO seal's JSON).
    UnknownFormat,
    /// Strict JSON (a SMART Health Card's header or payload, an ICAO seal,
    /// a JWK set) that is not JSON, or that I-JSON refuses (duplicate member
    /// names, lone surrogates), or nests too deeply.
    Json(&'static str),
    /// A SMART Health Card (numeric QR text, compact JWS, payload) or an
    /// issuer's JWK set or revocation list that is malformed.
    Shc(&'static str),
    /// An ICAO visible digital seal (VDS-NC) that is malformed.
    Seal(&'static str),
    /// Well-formed, but uses something this crate does not support (an
    /// ICAO seal type, a JWS algorithm, an incomplete set of QR chunks).
    Unsupported(&'static str),
    /// The signer is known by its key but may not vouch for this pass: a
    /// SMART Health Card key bound to another issuer, an ICAO seal signer
    /// that is neither pinned nor chained to a country CA of the seal's
    /// country.
    UntrustedSigner(&'static str),
    /// A SMART Health Card issuer's key announces a revocation list
    /// (`crlVersion`) and none is loaded: fail closed.
    RevocationListMissing,
    /// A SMART Health Card issuer's key says its revocation list has been
    /// updated (`crlVersion`) past the one loaded: fail closed.
    RevocationListOutdated {
        /// The loaded list's counter (`ctr`).
        loaded: u64,
        /// The key's `crlVersion`.
        current: u64,
    },
}

/// The stable class of an [`Error`]: what to tell a user, what to count in
/// statistics, what to map to a status code in the bindings.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input is not a well-formed pass (or certificate).
    Malformed,
    /// Well-formed, but uses something this crate does not support.
    Unsupported,
    /// No trusted signer vouches for the pass (unknown kid, signer outside
    /// its validity, kind not allowed by the signer).
    Untrusted,
    /// The signature does not verify.
    BadSignature,
    /// The pass is not valid yet.
    NotYetValid,
    /// The pass has expired.
    Expired,
    /// Something outside the input failed (the random source).
    Internal,
    /// The pass is on a revocation list.
    Revoked,
    /// The pass is authentic and valid, but the admission rules refuse it
    /// (or none apply).
    RejectedByRules,
}

impl ErrorKind {
    /// A short stable identifier (`"malformed"`, `"bad_signature"`, …), used
    /// by the command line's JSON and the bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Malformed => "malformed",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Untrusted => "untrusted",
            ErrorKind::BadSignature => "bad_signature",
            ErrorKind::NotYetValid => "not_yet_valid",
            ErrorKind::Expired => "expired",
            ErrorKind::Internal => "internal",
            ErrorKind::Revoked => "revoked",
            ErrorKind::RejectedByRules => "rejected_by_rules",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The stable class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::UnknownPrefix
            | Error::PrefixMismatch
            | Error::NotText
            | Error::InputTooLong { .. }
            | Error::Base45 { .. }
            | Error::Zlib
            | Error::InflatedTooLarge { .. }
            | Error::TrailingBytes { .. }
            | Error::Cbor { .. }
            | Error::Cose(_)
            | Error::InvalidKid { .. }
            | Error::MissingKid
            | Error::Claims(_)
            | Error::Payload(_)
            | Error::Certificate(_)
            | Error::Time
            | Error::Schema(_)
            | Error::Uvci(_)
            | Error::Key(_)
            | Error::Issuing(_)
            | Error::Qr(_)
            | Error::Revocation(_)
            | Error::SignedDocument(_)
            | Error::DidDocument(_)
            | Error::Rules(_)
            | Error::TrustDirectory(_)
            | Error::PayloadField { .. }
            | Error::MissingExpiry { .. }
            | Error::Json(_)
            | Error::Shc(_)
            | Error::Seal(_) => ErrorKind::Malformed,
            Error::Revoked => ErrorKind::Revoked,
            Error::RevocationListExpired { .. }
            | Error::TrustListExpired { .. }
            | Error::TrustOutdated { .. }
            | Error::RevocationListOutdated { .. }
            | Error::RevocationListMissing
            | Error::UntrustedSigner(_) => ErrorKind::Untrusted,
            Error::Random | Error::Internal(_) => ErrorKind::Internal,
            Error::UnsupportedAlgorithm(_)
            | Error::UnknownCriticalHeader(_)
            | Error::UnsupportedMember(_)
            | Error::LegacyDdcc
            | Error::UnknownFormat
            | Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::UnknownKid
            | Error::NoTrustList
            | Error::AlgorithmKeyMismatch
            | Error::SignerNotValid { .. }
            | Error::IssuedOutsideSignerValidity { .. }
            | Error::KindNotAllowed
            | Error::SignerWithdrawn { .. } => ErrorKind::Untrusted,
            Error::BadSignature => ErrorKind::BadSignature,
            Error::NotYetValid { .. } => ErrorKind::NotYetValid,
            Error::Expired { .. } => ErrorKind::Expired,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownPrefix => {
                f.write_str("unknown or missing prefix (expected HC1: or LT1:)")
            }
            Error::PrefixMismatch => f.write_str("the prefix does not match the kind of pass"),
            Error::NotText => f.write_str("input is not utf-8 text"),
            Error::InputTooLong { len, max } => {
                write!(f, "input too long ({len} bytes, at most {max})")
            }
            Error::Base45 { offset } => write!(f, "invalid base45 at offset {offset}"),
            Error::Zlib => f.write_str("invalid zlib stream"),
            Error::InflatedTooLarge { max } => {
                write!(f, "zlib stream inflates beyond {max} bytes")
            }
            Error::TrailingBytes { after } => write!(f, "trailing bytes after the {after}"),
            Error::Cbor { offset, reason } => {
                write!(f, "invalid cbor at offset {offset}: {reason}")
            }
            Error::Cose(reason) => write!(f, "invalid cose_sign1: {reason}"),
            Error::UnsupportedAlgorithm(alg) => write!(f, "unsupported algorithm {alg}"),
            Error::UnknownCriticalHeader(label) => {
                write!(f, "unknown critical header parameter {label}")
            }
            Error::InvalidKid { len } => write!(f, "kid must be 8 bytes, not {len}"),
            Error::MissingKid => f.write_str("no kid in the cose headers"),
            Error::UnknownKid => f.write_str("no trusted signer with this kid"),
            Error::NoTrustList => f.write_str("no trust list given to the verifier"),
            Error::AlgorithmKeyMismatch => {
                f.write_str("no trusted signer with this kid has a key for this algorithm")
            }
            Error::BadSignature => f.write_str("bad signature"),
            Error::SignerNotValid { at } => {
                write!(f, "signer certificate not valid at {at}")
            }
            Error::IssuedOutsideSignerValidity { issued_at } => write!(
                f,
                "issued at {issued_at}, outside the signer certificate's validity"
            ),
            Error::KindNotAllowed => f.write_str("signer may not sign this kind of pass"),
            Error::SignerWithdrawn { by, status } if by.is_empty() => {
                write!(f, "the signer was withdrawn by its directory ({status})")
            }
            Error::SignerWithdrawn { by, status } => {
                write!(f, "the signer was withdrawn by its directory {by} ({status})")
            }
            Error::Claims(reason) => write!(f, "invalid cwt claims: {reason}"),
            Error::Payload(reason) => write!(f, "invalid payload: {reason}"),
            Error::NotYetValid { at, valid_from } => {
                write!(f, "not valid before {valid_from} (checked at {at})")
            }
            Error::Expired { at, expired_at } => {
                write!(f, "expired at {expired_at} (checked at {at})")
            }
            Error::Certificate(reason) => write!(f, "invalid certificate: {reason}"),
            Error::Time => f.write_str("invalid time"),
            Error::Schema(v) => write!(f, "payload breaks the schema: {v}"),
            Error::Uvci(e) => write!(f, "{e}"),
            Error::Key(reason) => write!(f, "key: {reason}"),
            Error::Issuing(reason) => write!(f, "cannot issue: {reason}"),
            Error::Random => f.write_str("the random source failed"),
            Error::Internal(what) => write!(f, "internal error: {what}"),
            Error::Qr(reason) => write!(f, "qr code: {reason}"),
            Error::Revoked => f.write_str("revoked"),
            Error::RevocationListExpired { expired_at } => {
                write!(f, "revocation list expired at {expired_at}")
            }
            Error::TrustListExpired { expired_at } => {
                write!(f, "trust list expired at {expired_at}")
            }
            Error::TrustOutdated { since } => write!(f, "trust data outdated since {since}"),
            Error::Revocation(reason) => write!(f, "revocation: {reason}"),
            Error::SignedDocument(reason) => write!(f, "signed document: {reason}"),
            Error::DidDocument(reason) => write!(f, "did trust list: {reason}"),
            Error::Rules(reason) => write!(f, "rules: {reason}"),
            Error::TrustDirectory(reason) => write!(f, "trust directory {reason}"),
            Error::PayloadField {
                member,
                path,
                message,
            } => write!(f, "invalid {member} payload: {path}: {message}"),
            Error::UnsupportedMember(key) => write!(
                f,
                "unsupported hcert member {key} (known: 1 eu dcc, 3 ddcc:vs, 4 ddcc:tr, -6 dvc)"
            ),
            Error::LegacyDdcc => f.write_str(
                "legacy ddcc qr code (text keys, no cwt claims): not supported; an hcert pass (claim -260) is needed",
            ),
            Error::MissingExpiry { member } => {
                write!(f, "invalid cwt claims: no exp (required for {member} passes)")
            }
            Error::UnknownFormat => f.write_str(
                "unknown pass format (expected HC1:, LT1:, shc:/ or an icao seal)",
            ),
            Error::Json(reason) => write!(f, "invalid json: {reason}"),
            Error::Shc(reason) => write!(f, "invalid smart health card: {reason}"),
            Error::Seal(reason) => write!(f, "invalid icao seal: {reason}"),
            Error::Unsupported(what) => write!(f, "unsupported: {what}"),
            Error::UntrustedSigner(reason) => write!(f, "untrusted signer: {reason}"),
            Error::RevocationListMissing => f.write_str(
                "revocation list missing (the issuer's key announces one)",
            ),
            Error::RevocationListOutdated { loaded, current } => write!(
                f,
                "revocation list outdated (counter {loaded}, the key says {current})"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Schema(v) => Some(v),
            Error::Uvci(e) => Some(e),
            _ => None,
        }
    }
}

impl From<InvalidTime> for Error {
    fn from(_: InvalidTime) -> Self {
        Error::Time
    }
}

impl From<UvciError> for Error {
    fn from(e: UvciError) -> Self {
        Error::Uvci(e)
    }
}

/// One violation of the payload schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON pointer-like path of the offending value, e.g. `/v/0/dn`.
    pub path: String,
    /// What is wrong, in short lowercase English.
    pub message: &'static str,
}

/// Every violation found, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolations(pub Vec<SchemaViolation>);

impl fmt::Display for SchemaViolations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", v.path, v.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaViolations {}

/// Who withdrew a key, and how they said it: kept per kid by the trust
/// parts that honour withdrawals, and turned into
/// [`Error::SignerWithdrawn`] when a pass names the kid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Withdrawal {
    pub(crate) by: std::sync::Arc<str>,
    pub(crate) status: &'static str,
}

impl Withdrawal {
    pub(crate) fn error(&self) -> Error {
        Error::SignerWithdrawn {
            by: self.by.to_string(),
            status: self.status,
        }
    }
}
