//! The HCERT pipeline: text → transport → COSE_Sign1 → signer by kid →
//! signature → CWT claims and payload → signer checks → time windows →
//! revocation → [`VerifiedPass`].

use crate::cwt::{self, CheckedPayload};
use crate::holder::{Holder, PassForm};
use crate::payload::lean;
use crate::transport;
use crate::trust::Signer;
use crate::{Error, UnixTime};

use super::verified::{prefilled_payload, Bounds, VerifiedPass};
use super::Verifier;

impl Verifier {
    /// Verifies the text of an HCERT pass (`HC1:…`, or a light pass
    /// `LT1:…`) at time `now`, and nothing else: [`Verifier::verify`] reads
    /// every format. ASCII white space around the text (a scanner's line end)
    /// is ignored; a valid pass's text never ends in a space.
    ///
    /// In order: transport (prefix, Base45, zlib), COSE structure, signature
    /// against the signers with the pass's kid, claims and payload
    /// structure, the signer's validity now and at the pass's `iat`, its
    /// allowed kinds, then `iat` and `exp`, and for an exemption its
    /// `df`/`du` window, then the revocation lists. The prefix must match
    /// the signed content (`LT1:` exactly for a light pass).
    ///
    /// # Errors
    /// The first check that fails; see [`Error::kind`] for its class.
    pub fn verify_hcert(&self, text: &str, now: UnixTime) -> Result<VerifiedPass, Error> {
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let (prefix, cose) = transport::decode_any_text(text)?;
        let pass = self.verify_hcert_cose(&cose, now)?;
        let light = pass.form() == PassForm::Light;
        if light != (prefix == transport::Prefix::Lt1) {
            return Err(Error::PrefixMismatch);
        }
        Ok(pass)
    }

    /// Verifies the COSE_Sign1 bytes of an HCERT pass at time `now` (the
    /// pipeline of [`Verifier::verify_hcert`] after transport).
    ///
    /// # Errors
    /// As [`Verifier::verify_hcert`].
    pub fn verify_hcert_cose(&self, cose: &[u8], now: UnixTime) -> Result<VerifiedPass, Error> {
        let sign1 = cwt::parse_sign1(cose)?;
        self.check_fresh(now)?;
        if let Some(expired_at) = self.trust.expires().filter(|&e| now > e) {
            return Err(Error::TrustListExpired { expired_at });
        }
        let mut sig_structure = Vec::new();
        sign1.write_sig_structure(&mut sig_structure);
        let signers = self.trust.candidates(&sign1.kid(), sign1.algorithm())?;

        let mut first_error = None;
        let mut decoded: Option<cwt::Checked> = None;
        let mut chosen = None;
        for signer in signers {
            if signer
                .key()
                .verify(&sig_structure, sign1.signature())
                .is_err()
            {
                continue;
            }
            // Only a payload whose signature verified is decoded, and once.
            let checked = match &decoded {
                Some(c) => c,
                None => decoded.insert(cwt::decode_checked(sign1.unverified_payload())?),
            };
            match self.check_signer(signer, checked, now) {
                Ok(()) => {
                    chosen = Some(signer);
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let (Some(signer), Some(decoded)) = (chosen, decoded) else {
            return Err(first_error.unwrap_or(Error::BadSignature));
        };
        let cwt::Checked {
            claims,
            member,
            payload,
            source,
        } = decoded;
        if claims.expires.is_none() && !self.missing_exp.accepts(member) {
            return Err(Error::MissingExpiry {
                member: member.as_str(),
            });
        }
        self.check_window(Some(claims.issued_at), claims.expires, now)?;
        let (holder, kind, bounds, ci, co, prefilled) = match payload {
            CheckedPayload::Eu(lean::Checked {
                name,
                date_of_birth,
                kind,
                window,
                ci,
                co,
            }) => (
                Holder::new(name, date_of_birth),
                kind,
                Bounds {
                    from: window.map(|w| w.0),
                    until: window.map(|w| w.1),
                },
                ci,
                co,
                None,
            ),
            CheckedPayload::Family(f, payload) => (
                Holder::full(f.name, f.date_of_birth),
                f.kind,
                Bounds {
                    from: f.valid_from,
                    until: f.valid_until,
                },
                f.certificate_id,
                None,
                Some(payload),
            ),
        };
        self.check_window(bounds.from, bounds.until, now)?;
        let pass = VerifiedPass {
            holder,
            kind,
            member,
            bounds,
            ci,
            co,
            source,
            claims,
            cwt: sign1.unverified_payload().into(),
            payload: prefilled_payload(prefilled),
            kid: signer.kid(),
            signer_country: signer.country().map(str::to_owned),
            alg: sign1.algorithm(),
            signature: sign1.signature().into(),
        };
        if let Some(revocation) = &self.revocation {
            revocation.check(&pass.hash_inputs(), now)?;
        }
        Ok(pass)
    }

    /// Checks only the signature of a parsed COSE_Sign1: no payload decoding,
    /// no time, no key usage. Returns the signer whose key verified it.
    /// (The conformance runner's `EXPECTEDVERIFY`; feature `internals`.)
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub fn verify_hcert_signature(
        &self,
        sign1: &crate::cose::CoseSign1<'_>,
    ) -> Result<&Signer, Error> {
        let mut sig_structure = Vec::new();
        sign1.write_sig_structure(&mut sig_structure);
        self.trust
            .candidates(&sign1.kid(), sign1.algorithm())?
            .find(|s| s.key().verify(&sig_structure, sign1.signature()).is_ok())
            .ok_or(Error::BadSignature)
    }

    /// The signer may vouch for this pass: valid now and when the pass says
    /// it was issued, and allowed to sign its kind.
    fn check_signer(
        &self,
        signer: &Signer,
        pass: &cwt::Checked,
        now: UnixTime,
    ) -> Result<(), Error> {
        if !signer.valid_at(now, self.skew) {
            return Err(Error::SignerNotValid { at: now });
        }
        // The pass-kind key usages are the EU DCC's: they restrict EU DCC
        // and light passes only.
        if let CheckedPayload::Eu(payload) = &pass.payload {
            if !signer.kinds().allows(payload.kind) {
                return Err(Error::KindNotAllowed);
            }
        }
        let issued_at = pass.claims.issued_at;
        if !signer.valid_at(issued_at, self.skew) {
            return Err(Error::IssuedOutsideSignerValidity { issued_at });
        }
        Ok(())
    }

    fn check_window(
        &self,
        from: Option<UnixTime>,
        until: Option<UnixTime>,
        now: UnixTime,
    ) -> Result<(), Error> {
        if let Some(from) = from.filter(|&f| now.saturating_add(self.skew) < f) {
            return Err(Error::NotYetValid {
                at: now,
                valid_from: from,
            });
        }
        if let Some(until) = until.filter(|&u| now.saturating_sub(self.skew) > u) {
            return Err(Error::Expired {
                at: now,
                expired_at: until,
            });
        }
        Ok(())
    }
}
