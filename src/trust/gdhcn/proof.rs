//! The JsonWebSignature2020 proof of a GDHCN DID document, checked offline.
//!
//! Signing input (measured on the WHO lists, see the module docs):
//! `b64url(header) + "." + SHA-256(URDNA2015(proof options without jws, with
//! "@context": security v3)) ‖ SHA-256(URDNA2015(document without proof))`;
//! the header is exactly `{"b64":false,"crit":["b64"],"alg":"ES256"}` and
//! the signature is ASN.1 DER.

use std::collections::HashMap;
use std::sync::Arc;

use base64ct::{Base64UrlUnpadded, Encoding as _};
use iref::IriBuf;
use json_ld::{JsonLdProcessor as _, RemoteDocument};
use json_syntax::Parse as _;
use sha2::{Digest as _, Sha256};

use crate::crypto::{CertSignatureAlgorithm, CryptoBackend};
use crate::Error;

/// The contexts a document may use, by IRI: nothing else is ever loaded.
const CONTEXTS: [(&str, &str); 6] = [
    (
        "https://www.w3.org/ns/did/v1",
        include_str!("contexts/did_v1.json"),
    ),
    (
        "https://w3id.org/security/suites/jws-2020/v1",
        include_str!("contexts/jws-2020_v1.json"),
    ),
    (
        "https://w3id.org/security/v3",
        include_str!("contexts/security-v3-unstable.jsonld"),
    ),
    (
        "https://smart.who.int/trust/tng-context/v1-DEV.jsonld",
        include_str!("contexts/v1-dev.jsonld"),
    ),
    (
        "https://smart.who.int/trust/tng-context/v1-UAT.jsonld",
        include_str!("contexts/v1-uat.jsonld"),
    ),
    (
        "https://smart.who.int/trust/tng-context/v1.jsonld",
        include_str!("contexts/v1.jsonld"),
    ),
];

/// The context of the proof options, as JsonWebSignature2020 signs them.
const PROOF_CONTEXT: &str = "https://w3id.org/security/v3";

/// The only JWS header a GDHCN proof has.
const HEADER: (&str, &str) = ("b64", "ES256");

/// A bound on the work of canonicalising blank nodes (URDNA2015's
/// "hash N-degree quads"): real lists need none of it; a poison dataset
/// built to need exponentially many is refused.
const HNDQ_CALL_LIMIT: usize = 4_000;

fn did_error(reason: &'static str) -> Error {
    Error::DidDocument(reason)
}

fn loader() -> Result<HashMap<IriBuf, RemoteDocument>, Error> {
    let mut map = HashMap::new();
    for (iri, text) in CONTEXTS {
        let (value, _) = json_syntax::Value::parse_str(text)
            .map_err(|_| Error::Internal("a bundled json-ld context does not parse"))?;
        let iri = IriBuf::new(iri.to_owned())
            .map_err(|_| Error::Internal("a bundled json-ld context iri"))?;
        map.insert(iri.clone(), RemoteDocument::new(Some(iri), None, value));
    }
    Ok(map)
}

/// The most blank nodes a document's graph may hold before it is
/// canonicalised: the WHO lists have none (their proof options one), and
/// URDNA2015's cost grows with them, factorially where they look alike.
const MAX_BLANK_NODES: usize = 8;

/// The URDNA2015 canonical N-Quads of a JSON-LD document, expanded with the
/// bundled contexts (`loader`) only, and the quads themselves (what the
/// canonical form, and so the proof, covers).
fn canonical_nquads(
    doc: &serde_json::Value,
    loader: &HashMap<IriBuf, RemoteDocument>,
) -> Result<(String, Vec<oxrdf::Quad>), Error> {
    let (value, _) = json_syntax::Value::parse_str(&doc.to_string())
        .map_err(|_| did_error("the document is not json"))?;
    let remote = RemoteDocument::new(None, None, value);
    let mut generator = rdf_types::generator::Blank::new();
    let mut rdf = pollster::block_on(remote.to_rdf(&mut generator, loader)).map_err(|_| {
        did_error("json-ld: the document does not expand (or uses a context that is not bundled)")
    })?;
    let mut quads = Vec::new();
    for rdf_types::Quad(s, p, o, g) in rdf.cloned_quads() {
        let rdf_types::Id::Iri(p) = p else {
            return Err(did_error("json-ld: a blank node as predicate"));
        };
        let object: oxrdf::Term = match o {
            rdf_types::Term::Id(id) => subject(id)?.into(),
            rdf_types::Term::Literal(l) => match l.type_ {
                rdf_types::LiteralType::Any(t) => oxrdf::Literal::new_typed_literal(
                    l.value,
                    oxrdf::NamedNode::new(t.as_str())
                        .map_err(|_| did_error("json-ld: a bad iri"))?,
                )
                .into(),
                rdf_types::LiteralType::LangString(tag) => {
                    oxrdf::Literal::new_language_tagged_literal(l.value, tag.as_str())
                        .map_err(|_| did_error("json-ld: a bad language tag"))?
                        .into()
                }
            },
        };
        let graph = match g {
            None => oxrdf::GraphName::DefaultGraph,
            Some(id) => match subject(id)? {
                oxrdf::Subject::NamedNode(n) => n.into(),
                oxrdf::Subject::BlankNode(b) => b.into(),
                #[allow(unreachable_patterns)]
                _ => return Err(did_error("json-ld: a bad graph name")),
            },
        };
        quads.push(oxrdf::Quad::new(
            subject(s)?,
            oxrdf::NamedNode::new(p.as_str()).map_err(|_| did_error("json-ld: a bad iri"))?,
            object,
            graph,
        ));
    }
    let mut blank = std::collections::HashSet::new();
    for q in &quads {
        if let oxrdf::Subject::BlankNode(b) = &q.subject {
            blank.insert(b.as_str().to_owned());
        }
        if let oxrdf::Term::BlankNode(b) = &q.object {
            blank.insert(b.as_str().to_owned());
        }
        if blank.len() > MAX_BLANK_NODES {
            return Err(did_error(
                "the document has more blank nodes than a trust list has",
            ));
        }
    }
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(HNDQ_CALL_LIMIT),
    };
    let canonical = rdf_canon::canonicalize_quads_with::<sha2_10::Sha256>(&quads, &options)
        .map_err(|_| did_error("the document cannot be canonicalised (urdna2015 bound)"))?;
    Ok((canonical, quads))
}

fn subject(id: rdf_types::Id) -> Result<oxrdf::Subject, Error> {
    match id {
        rdf_types::Id::Iri(iri) => Ok(oxrdf::NamedNode::new(iri.as_str())
            .map_err(|_| did_error("json-ld: a bad iri"))?
            .into()),
        rdf_types::Id::Blank(b) => {
            let label = b.as_str().strip_prefix("_:").unwrap_or(b.as_str());
            Ok(oxrdf::BlankNode::new(label)
                .map_err(|_| did_error("json-ld: a bad blank node"))?
                .into())
        }
    }
}

/// What a verified proof covers: its `created` time as written, and the
/// document's graph (without the proof), quad by quad.
pub(crate) struct Covered {
    pub(crate) created: String,
    pub(crate) quads: Vec<oxrdf::Quad>,
}

/// Checks the proof of `doc` (a DID document, its `proof` included) by the
/// key `spki` (P-256) whose DID is `signer_id`.
pub(crate) fn check(
    doc: &serde_json::Value,
    signer_id: &str,
    spki: &[u8],
    backend: &Arc<dyn CryptoBackend>,
) -> Result<Covered, Error> {
    let mut doc = doc.clone();
    let object = doc
        .as_object_mut()
        .ok_or(did_error("the document is not an object"))?;
    let mut proof = match object.remove("proof") {
        Some(serde_json::Value::Object(p)) => p,
        _ => return Err(did_error("the document has no proof")),
    };
    let text = |p: &serde_json::Map<String, serde_json::Value>, k: &str| {
        p.get(k).and_then(|v| v.as_str()).map(str::to_owned)
    };
    if text(&proof, "type").as_deref() != Some("JsonWebSignature2020") {
        return Err(did_error("the proof is not a JsonWebSignature2020"));
    }
    if text(&proof, "proofPurpose").as_deref() != Some("assertionMethod") {
        return Err(did_error("the proof's purpose is not assertionMethod"));
    }
    if text(&proof, "verificationMethod").as_deref() != Some(signer_id) {
        return Err(did_error("the proof is by another key than the signer's"));
    }
    let created = text(&proof, "created").ok_or(did_error("the proof has no created time"))?;
    let jws = match proof.remove("jws") {
        Some(serde_json::Value::String(s)) => s,
        _ => return Err(did_error("the proof has no jws")),
    };
    if proof.contains_key("@context") {
        return Err(did_error("the proof carries its own context"));
    }
    proof.insert("@context".into(), PROOF_CONTEXT.into());

    let (header, signature) = jws
        .split_once("..")
        .ok_or(did_error("the jws is not detached"))?;
    let header_json: serde_json::Value = Base64UrlUnpadded::decode_vec(header)
        .ok()
        .and_then(|h| serde_json::from_slice(&h).ok())
        .ok_or(did_error("the jws header is not base64url json"))?;
    let expected = serde_json::json!({"b64": false, "crit": [HEADER.0], "alg": HEADER.1});
    if header_json != expected {
        return Err(did_error(
            "the jws header is not {\"b64\":false,\"crit\":[\"b64\"],\"alg\":\"ES256\"}",
        ));
    }
    let signature =
        Base64UrlUnpadded::decode_vec(signature).map_err(|_| did_error("the jws signature"))?;

    // The bundled contexts, parsed once for both canonicalisations.
    let loader = loader()?;
    let mut input = format!("{header}.").into_bytes();
    let (options, _) = canonical_nquads(&serde_json::Value::Object(proof), &loader)?;
    input.extend_from_slice(&Sha256::digest(options.as_bytes()));
    let (document, quads) = canonical_nquads(&doc, &loader)?;
    input.extend_from_slice(&Sha256::digest(document.as_bytes()));
    backend
        .verify_certificate_signature(
            spki,
            CertSignatureAlgorithm::EcdsaSha256,
            &input,
            &signature,
        )
        .map_err(|_| Error::BadSignature)?;
    Ok(Covered { created, quads })
}
