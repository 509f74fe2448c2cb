//! A signing key and its signer certificate, checked to belong together:
//! what signs passes ([`crate::issue::Issuer`]) and signed documents
//! (revocation, trust and rule lists).

use super::signing_key::SigningKey;
use crate::cose;
use crate::crypto::Algorithm;
use crate::trust::certs::pem_certificates;
use crate::trust::{Kid, Signer};
use crate::{Error, TrustList, UnixTime};

/// A signing key and its certificate, checked to belong together. The
/// kid is derived from the certificate, as verifiers derive it.
///
/// Its `Debug` output shows the kid and algorithm, never key material.
#[derive(Debug)]
pub struct Credential {
    key: SigningKey,
    cert_der: Vec<u8>,
    signer: Signer,
}

impl Credential {
    /// A credential from a key and its certificate (DER).
    ///
    /// # Errors
    /// [`Error::Certificate`] if the certificate cannot be read, is a CA
    /// certificate or has an unsupported key; [`Error::Key`] if the
    /// certificate is not for this key (checked by signing and
    /// verifying a probe).
    pub fn new(key: SigningKey, cert_der: &[u8]) -> Result<Self, Error> {
        let mut list = TrustList::new();
        let kid = list.add_der(cert_der)?;
        let signer = list
            .signers(&kid)
            .first()
            .cloned()
            .ok_or(Error::Certificate("cannot read the certificate"))?;
        let probe = b"healthpass credential key/certificate probe";
        let sig = key.sign(probe)?;
        if signer.key().algorithm() != key.algorithm() || signer.key().verify(probe, &sig).is_err()
        {
            return Err(Error::Key("the certificate is not for this key"));
        }
        Ok(Credential {
            key,
            cert_der: cert_der.to_vec(),
            signer,
        })
    }

    /// A credential from a PKCS#8 PEM key and a PEM certificate (the
    /// first certificate in the text).
    ///
    /// # Errors
    /// As [`SigningKey::from_pkcs8_pem`] and [`Credential::new`].
    pub fn from_pem(key_pem: &str, cert_pem: &str) -> Result<Self, Error> {
        let key = SigningKey::from_pkcs8_pem(key_pem)?;
        let der = pem_certificates(cert_pem)?
            .into_iter()
            .next()
            .ok_or(Error::Certificate("no certificate in the pem text"))?;
        Credential::new(key, &der)
    }

    /// The kid of the certificate.
    pub fn kid(&self) -> Kid {
        self.signer.kid()
    }

    /// The signature algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.key.algorithm()
    }

    /// The certificate (DER).
    pub fn certificate_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// The certificate as a verifier reads it.
    pub(crate) fn signer(&self) -> &Signer {
        &self.signer
    }

    /// A trust list holding just this certificate.
    ///
    /// # Errors
    /// None in practice (the certificate was read once already).
    pub fn trust_list(&self) -> Result<TrustList, Error> {
        let mut list = TrustList::new();
        list.add_der(&self.cert_der)?;
        Ok(list)
    }

    /// A COSE_Sign1 (tag 18) over `body` with the given protected
    /// header.
    pub(crate) fn sign_with_protected(
        &self,
        protected: &[u8],
        body: &[u8],
    ) -> Result<Vec<u8>, Error> {
        let signature = self.key.sign(&cose::sig_structure(protected, body))?;
        Ok(cose::build(protected, body, &signature))
    }

    /// Signs a document of `content_type` (see [`crate::signed`]), issued
    /// at `issued_at`, which must lie in the certificate's validity.
    pub(crate) fn sign_document(
        &self,
        content_type: &str,
        issued_at: UnixTime,
        body: &[u8],
    ) -> Result<Vec<u8>, Error> {
        if !self.signer.valid_at(issued_at, 0) {
            return Err(Error::SignerNotValid { at: issued_at });
        }
        let protected =
            cose::document_protected_header(self.key.algorithm(), content_type, &self.kid());
        self.sign_with_protected(&protected, body)
    }
}
