//! The one error type of this crate.

use std::fmt;

/// Why a sync, or opening the store, failed.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// No usable response: connection, TLS, timeout, a URL this crate
    /// refuses, a body over its bound or cut short.
    Transport(String),
    /// The server answered, but not as its API does: a status, a header or
    /// a document that is wrong.
    Source(String),
    /// A document did not pass its check: a hash, a signature, a kid.
    Rejected(String),
    /// The store cannot be read or written.
    Store(String),
    /// Another sync holds the store.
    Busy,
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Transport(what) => write!(f, "transport: {what}"),
            SyncError::Source(what) => write!(f, "source: {what}"),
            SyncError::Rejected(what) => write!(f, "rejected: {what}"),
            SyncError::Store(what) => write!(f, "store: {what}"),
            SyncError::Busy => f.write_str("store: another sync is running"),
        }
    }
}

impl std::error::Error for SyncError {}
