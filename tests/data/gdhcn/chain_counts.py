"""Independent count (Python cryptography) of the DSCs of a GDHCN DID trust
list v2 that chain to their SCA, by reason: the figures tests/trust_chain.rs
expects. Usage: python chain_counts.py LIST.did.json"""
import json,base64,collections,sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID, ExtensionOID
d=json.load(open(sys.argv[1]))
def load(b): return x509.load_der_x509_certificate(base64.b64decode(b))
def country(c):
    a=c.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME); return a[0].value if a else None
KNOWN={ExtensionOID.BASIC_CONSTRAINTS,ExtensionOID.KEY_USAGE,ExtensionOID.EXTENDED_KEY_USAGE,ExtensionOID.SUBJECT_KEY_IDENTIFIER,ExtensionOID.AUTHORITY_KEY_IDENTIFIER,ExtensionOID.SUBJECT_ALTERNATIVE_NAME,ExtensionOID.ISSUER_ALTERNATIVE_NAME,ExtensionOID.CRL_DISTRIBUTION_POINTS,ExtensionOID.CERTIFICATE_POLICIES,ExtensionOID.PRIVATE_KEY_USAGE_PERIOD}
def why_not(dsc, ca):
    try: return why_not2(dsc,ca)
    except ValueError as e: return 'bad der'
def why_not2(dsc, ca):
    if dsc.issuer.public_bytes()!=ca.subject.public_bytes(): return 'issuer name'
    try: bc=ca.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
    except x509.ExtensionNotFound: return 'ca: no basicConstraints'
    if not bc.ca: return 'ca: not a ca'
    try: ku=ca.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    except x509.ExtensionNotFound: return 'ca: no keyUsage'
    if not ku.key_cert_sign: return 'ca: no keyCertSign'
    for c in (dsc,ca):
        for e in c.extensions:
            if e.critical and e.oid not in KNOWN: return 'unknown critical '+e.oid.dotted_string
    try:
        bcd=dsc.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
        if bcd.ca: return 'dsc is a ca'
    except x509.ExtensionNotFound: pass
    alg=dsc.signature_algorithm_oid._name
    pss = alg=='rsassaPss' and dsc.signature_hash_algorithm.name=='sha256' and dsc.signature_algorithm_parameters._salt_length==32
    if alg not in ('ecdsa-with-SHA256','ecdsa-with-SHA384','ecdsa-with-SHA512','sha256WithRSAEncryption','sha384WithRSAEncryption','sha512WithRSAEncryption') and not pss: return 'alg '+alg
    pk=ca.public_key()
    # (A CA key with explicit EC parameters equal to a named curve's is read
    # as that curve, as the crate reads it since issue 23.)
    dk=dsc.public_key()
    if isinstance(dk,ec.EllipticCurvePublicKey) and dk.curve.name not in ('secp256r1','secp384r1'): return 'dsc curve'
    try:
        if isinstance(pk,ec.EllipticCurvePublicKey):
            if pk.curve.name not in ('secp256r1','secp384r1','secp521r1'): return 'ca curve'
            pk.verify(dsc.signature,dsc.tbs_certificate_bytes,ec.ECDSA(dsc.signature_hash_algorithm))
        else:
            if not (2048<=pk.key_size<=4096): return 'ca rsa size'
            pk.verify(dsc.signature,dsc.tbs_certificate_bytes,dsc.signature_algorithm_parameters if pss else padding.PKCS1v15(),dsc.signature_hash_algorithm)
    except Exception as e: return 'signature'
    if country(dsc) is None or country(dsc)!=country(ca): return 'country %s vs %s'%(country(dsc),country(ca))
    return None
vms=[v for v in d['verificationMethod'] if isinstance(v,dict)]
def parts(v):
    p=v['id'].split('#')[0].split(':'); return p[-3],p[-2],p[-1]  # domain, participant, usage
scas=collections.defaultdict(list)
for v in vms:
    dom,par,use=parts(v)
    if use=='SCA': scas[par]+= [load(b) for b in v['publicKeyJwk'].get('x5c',[])[:1]]

r1=collections.Counter(); r2=collections.Counter()
for v in vms:
    dom,par,use=parts(v)
    if use!='DSC': continue
    x5c=v['publicKeyJwk'].get('x5c',[])
    dsc=load(x5c[0])
    try: dsc.extensions
    except ValueError: r1['bad der dsc']+=1; r2['bad der dsc']+=1; continue
    if len(x5c)>=2:
        r1[why_not(dsc,load(x5c[1])) or 'chains']+=1
    # any listed SCA of the participant
    reasons=[why_not(dsc,ca) for ca in scas[par]]
    # The reason of an SCA that names the DSC's issuer, if any.
    named=[r for r in reasons if r!='issuer name']
    r2['chains' if None in reasons else ('no sca' if not reasons else (named or reasons)[0])]+=1
print('x5c[1]:',dict(r1)); print('listed SCAs of participant:',dict(r2))

# As the crate selects: per domain, each DSC's kid checked against x5c[0],
# then chained to an SCA its participant lists, or one of its own x5c that
# the list holds as an SCA key (issue 22: an SCA only a key's own x5c names
# vouches for nothing).
listed_scas = {base64.b64decode(v['publicKeyJwk']['x5c'][0]) for v in vms
               if parts(v)[2] == 'SCA' and v['publicKeyJwk'].get('x5c')}
import hashlib
per_domain = collections.defaultdict(collections.Counter)
for v in vms:
    dom, par, use = parts(v)
    if use != 'DSC':
        continue
    jwk = v['publicKeyJwk']
    x5c = jwk.get('x5c', [])
    if not x5c:
        per_domain[dom]['no x5c'] += 1
        continue
    der = base64.b64decode(x5c[0])
    kid = jwk.get('kid') or v['id'].split('#')[1]
    try:
        kid_ok = base64.b64decode(kid, validate=True) == hashlib.sha256(der).digest()[:8]
    except Exception:
        kid_ok = False
    if not kid_ok:
        per_domain[dom]['kid'] += 1
        continue
    dsc = load(x5c[0])
    try:
        dsc.extensions
    except ValueError:
        per_domain[dom]['bad der dsc'] += 1
        continue
    cands = [load(b) for b in x5c[1:] if base64.b64decode(b) in listed_scas] + scas[par]
    reasons = [why_not(dsc, ca) for ca in cands]
    named = [r for r in reasons if r != 'issuer name']
    per_domain[dom]['chains' if None in reasons else ('no sca' if not reasons else (named or reasons)[0])] += 1
print('selected per domain:', {d: dict(c) for d, c in sorted(per_domain.items())})
