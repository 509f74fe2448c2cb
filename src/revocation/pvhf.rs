//! The partial variable hash list slice format of the EU DCC revocation
//! distribution (eu-digital-green-certificates/dgca-partialvarhashfilter).
//!
//! Layout: one byte `s` (the length of each partial hash, in bytes), then
//! the partial hashes, `s` bytes each: the first `s` bytes of each revocation
//! hash. A hash may be in the list when its first `s` bytes equal one of
//! them. (The Java reference compares them as signed big-endian integers;
//! for equal lengths that is byte equality.) This reader sorts the entries
//! on load, so that an unsorted list is read correctly too.

use crate::Error;

/// Largest partial hash length read (a full SHA-256).
pub const MAX_PARTIAL_LEN: u8 = 32;

/// An EU partial variable hash list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialVariableHashFilter {
    size: u8,
    /// The entries, sorted, `size` bytes each.
    entries: Vec<u8>,
}

impl PartialVariableHashFilter {
    /// A list of the first `size` bytes of each hash.
    ///
    /// # Errors
    /// [`Error::Revocation`] for a size of 0 or above [`MAX_PARTIAL_LEN`],
    /// or a hash shorter than `size`.
    pub fn new<'a>(size: u8, hashes: impl IntoIterator<Item = &'a [u8]>) -> Result<Self, Error> {
        check_size(size)?;
        let mut chunks: Vec<&[u8]> = Vec::new();
        for h in hashes {
            chunks.push(h.get(..usize::from(size)).ok_or(Error::Revocation(
                "a hash is shorter than the partial length",
            ))?);
        }
        Ok(Self::from_chunks(size, chunks))
    }

    fn from_chunks(size: u8, mut chunks: Vec<&[u8]>) -> Self {
        chunks.sort_unstable();
        chunks.dedup();
        PartialVariableHashFilter {
            size,
            entries: chunks.concat(),
        }
    }

    /// Reads a list.
    ///
    /// # Errors
    /// [`Error::Revocation`] for an empty input, a size of 0 or above
    /// [`MAX_PARTIAL_LEN`], or a length that is not 1 + a multiple of it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let (&size, rest) = bytes
            .split_first()
            .ok_or(Error::Revocation("empty partial hash list"))?;
        check_size(size)?;
        if rest.len() % usize::from(size) != 0 {
            return Err(Error::Revocation(
                "partial hash list length is not a multiple of its hash length",
            ));
        }
        Ok(Self::from_chunks(
            size,
            rest.chunks_exact(usize::from(size)).collect(),
        ))
    }

    /// The list in its format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + self.entries.len());
        out.push(self.size);
        out.extend_from_slice(&self.entries);
        out
    }

    /// The length of each partial hash, in bytes.
    pub fn partial_len(&self) -> u8 {
        self.size
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len() / usize::from(self.size.max(1))
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a hash (at least the partial length long) may be in the list.
    pub fn might_contain(&self, hash: &[u8]) -> bool {
        let s = usize::from(self.size);
        let Some(prefix) = hash.get(..s) else {
            return false;
        };
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.entries.get(mid * s..mid * s + s) {
                Some(e) if e < prefix => lo = mid + 1,
                Some(e) if e > prefix => hi = mid,
                Some(_) => return true,
                None => return false,
            }
        }
        false
    }
}

fn check_size(size: u8) -> Result<(), Error> {
    if size == 0 || size > MAX_PARTIAL_LEN {
        return Err(Error::Revocation("partial hash length outside 1-32"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_and_format() {
        let hashes: Vec<[u8; 16]> = (0u8..50).map(|i| [i.wrapping_mul(37); 16]).collect();
        let f = PartialVariableHashFilter::new(3, hashes.iter().map(|h| h.as_slice())).unwrap();
        assert!(hashes.iter().all(|h| f.might_contain(h)));
        assert!(!f.might_contain(&[1, 2, 3, 4]));
        assert!(!f.might_contain(&[0, 0]));
        let again = PartialVariableHashFilter::from_bytes(&f.to_bytes()).unwrap();
        assert_eq!(again, f);
        // unsorted input reads the same
        let mut raw = vec![2u8, 9, 9, 1, 1, 5, 5];
        let g = PartialVariableHashFilter::from_bytes(&raw).unwrap();
        assert!(
            g.might_contain(&[1, 1, 0]) && g.might_contain(&[9, 9]) && !g.might_contain(&[5, 6])
        );
        raw.push(7);
        assert!(PartialVariableHashFilter::from_bytes(&raw).is_err());
        assert!(PartialVariableHashFilter::from_bytes(&[]).is_err());
        assert!(PartialVariableHashFilter::from_bytes(&[0]).is_err());
        assert!(PartialVariableHashFilter::from_bytes(&[33]).is_err());
        assert!(PartialVariableHashFilter::from_bytes(&[4])
            .unwrap()
            .is_empty());
    }
}
