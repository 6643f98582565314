/**
 * Every place where kiemky's decoders and pkijs/asn1js are allowed to disagree, with the reason. The cross-check
 * tests accept a disagreement only when one entry here explains it; anything else fails them. Keep it short: an
 * entry is a decision, not a shrug.
 */
import type { BlobKind } from './blobs';
import type { CmsFields, Outcome, Refusal, TimestampFields } from './fields';

export interface Difference {
  id: string;
  /** Which way it goes: who accepts and who refuses, or both accept with different fields. */
  shape: 'kiemky-refuses' | 'pkijs-refuses' | 'fields-differ';
  kinds: readonly BlobKind[];
  reason: string;
  /** The disagreement is this one: from the error kiemky or pkijs gave, or from the fields that differ. */
  explains(k: Outcome<unknown>, p: Outcome<unknown>, differing: readonly string[]): boolean;
}

const ALL: readonly BlobKind[] = ['certificate', 'crl', 'ocsp', 'cms', 'timestamp'];
const kiemkyError = (re: RegExp) => (k: Outcome<unknown>, p: Outcome<unknown>) => !k.ok && p.ok && re.test(k.error);
const pkijsError = (re: RegExp) => (k: Outcome<unknown>, p: Outcome<unknown>) => k.ok && !p.ok && re.test(p.error);
/**
 * kiemky accepts and pkijs refuses, the refusal being one `when` names: decided on who refused and in which part of the
 * object (pkijs-view.ts names its steps), not on pkijs's or asn1js's wording. A crash (no refusal) is never explained.
 */
const pkijsRefuses = (when: (r: Refusal) => boolean) => (k: Outcome<unknown>, p: Outcome<unknown>) => k.ok && !p.ok && p.refusal !== undefined && when(p.refusal);
/** The certificate extensions kiemky reads only in part (AKI, AIA, CRL distribution points, subjectAltName). */
const PARTLY_READ_EXTENSIONS = ['2.5.29.35', '1.3.6.1.5.5.7.1.1', '2.5.29.31', '2.5.29.17'].map((oid) => `extension ${oid}`);

export const DIFFERENCES: readonly Difference[] = [
  {
    id: 'trailing-bytes',
    shape: 'kiemky-refuses',
    kinds: ['certificate', 'crl', 'ocsp', 'timestamp'],
    reason:
      'kiemky refuses bytes after a certificate, CRL, OCSP response or timestamp token (a signed object is exactly its encoding); asn1js reads the first element and ignores the rest. A CMS signature in a PDF may be followed by padding: both accept that.',
    explains: kiemkyError(/trailing byte/),
  },
  {
    id: 'der-strict',
    shape: 'kiemky-refuses',
    kinds: ALL,
    reason:
      'kiemky reads certificates, CRLs, OCSP and TSTInfo as DER: no indefinite lengths, no constructed strings, BOOLEAN 00/FF, minimal INTEGERs, valid times and strings. asn1js decodes BER and lets pkijs build the object anyway. DER is what is signed, so a BER form is a forged or broken object.',
    explains: kiemkyError(/runs past the enclosing element|length too large|unexpected end of data|indefinite|non-minimal|bad (UTC|Generalized)Time|time out of range|invalid calendar date|BOOLEAN|unused bits|must be constructed|must be primitive|long-form|tag number/),
  },
  {
    id: 'structure-strict',
    shape: 'kiemky-refuses',
    kinds: ALL,
    reason:
      'kiemky checks the shape RFC 5280/5652/6960/3161 give (element counts, versions, duplicate extensions, extensions in a pre-v3 certificate, negative pathLen, a known version); pkijs fills what it can and skips the rest (a malformed extension becomes parsingError, an unknown field is kept as is).',
    explains: kiemkyError(/must have|missing|unexpected|version|duplicate|malformed|negative|expected|pre-v3|v1 certificate|empty RDN|is not (signedData|TSTInfo|id-pkix-ocsp-basic)/),
  },
  {
    id: 'resource-caps',
    shape: 'pkijs-refuses',
    kinds: ALL,
    reason: 'asn1js caps nodes, depth and content length for untrusted input; kiemky caps depth (64) and time instead.',
    explains: pkijsError(/Maximum ASN\.1|depth|content length/i),
  },
  {
    id: 'skips-broken-certificate',
    shape: 'fields-differ',
    kinds: ['cms', 'timestamp', 'ocsp'],
    reason:
      'kiemky skips a certificate it cannot read inside a SignedData or an OCSP response (the signer or responder is then not found: a coded problem in the report, never a silent pass) so that one broken intermediate does not hide the rest; pkijs keeps it, or refuses the whole object.',
    explains: (k, p, differing) => {
      if (k.ok && !p.ok) return (k.notes ?? []).includes('certificate skipped');
      if (!k.ok || !p.ok || differing.length === 0 || !differing.every((f) => f === 'certificates' || f === 'cms')) return false;
      const kc = certificatesOf(k.fields);
      const pc = certificatesOf(p.fields);
      return kc.every((c) => pc.includes(c)) && kc.length < pc.length && JSON.stringify(withCertificates(k.fields, pc)) === JSON.stringify(p.fields);
    },
  },
  {
    id: 'string-outside-repertoire',
    shape: 'fields-differ',
    kinds: ALL,
    reason:
      'A name value with octets its string type does not allow (é in a PrintableString, broken UTF-8) is no valid name: kiemky decodes it as UTF-8 and shows U+FFFD, asn1js maps octets to characters one by one. Either way it matches no pinned name, and trust is by key.',
    explains: (k, p, differing) => k.ok && p.ok && differing.length > 0 && differing.every((f) => (JSON.stringify((k.fields as Record<string, unknown>)[f]) ?? '').includes('\uFFFD')),
  },
  {
    id: 'key-read-when-used',
    shape: 'pkijs-refuses',
    kinds: ['certificate'],
    reason:
      'kiemky reads an RSA key only for its modulus size, and keeps AlgorithmIdentifier parameters as given unless it needs them (RSA-PSS, the EC curve); node:crypto parses the whole SubjectPublicKeyInfo when a signature is checked and refuses a broken one there (the signature is then invalid). pkijs parses the RSAPublicKey up front, and asn1js decodes the whole tree, parameters included, and refuses a constructed NULL in place of the NULL parameters. kiemky reads the parts it decodes as strict DER (der-strict), so when asn1js refuses the bytes of a certificate kiemky accepted, the broken octets are in a part kiemky keeps undecoded.',
    explains: pkijsRefuses((r) => r.part === 'RSAPublicKey' || (r.by === 'asn1js' && r.part === 'Certificate')),
  },
  {
    id: 'unused-parts-unchecked',
    shape: 'pkijs-refuses',
    kinds: ['certificate', 'ocsp'],
    reason:
      'kiemky reads the parts it uses (the keyIdentifier of AuthorityKeyIdentifier, the OCSP URLs of AuthorityInfoAccess, the CRL URIs, an OCSP response up to its SingleResponses) and does not look at the rest (an AKI issuer/serial, other access methods, responseExtensions and singleExtensions such as the nonce; a broken responder certificate is skipped as in a SignedData): a mangled unused part changes nothing kiemky decides. pkijs checks every schema, and asn1js, decoding an extension pkijs reads lazily, throws on a GeneralizedTime whose text is no time (a bug of asn1js: its fromBER otherwise returns an error result), which the view records as asn1js refusing that extension.',
    // The view's own check of a partly read extension or asn1js refusing its extnValue (pkijs decodes it lazily;
    // kiemky reads the same value's outer SEQUENCE, so when it accepts, the broken octets lie in a field it skips,
    // such as an AKI's authorityCertIssuer), or asn1js/pkijs refusing the inner BasicOCSPResponse (its
    // ResponseData, SingleResponses, extensions, certificates); the view's checks of a SingleResponse's status are not.
    explains: pkijsRefuses((r) => PARTLY_READ_EXTENSIONS.includes(r.part) || (r.by !== 'view' && r.part === 'BasicOCSPResponse')),
  },
  {
    id: 'cms-read-lazily',
    shape: 'pkijs-refuses',
    kinds: ['cms', 'timestamp'],
    reason:
      'kiemky decodes a SignedData part only when it is used (certificates one by one, attribute values when looked up, revocation values when collected); a broken part turns into a coded problem at that point. asn1js decodes the whole tree first and refuses it at the first broken octet anywhere. The fields both read are still compared whenever both accept.',
    // asn1js or pkijs refusing while decoding; not the view's own checks (a ContentInfo that is no SignedData, a token
    // without TSTInfo), which kiemky makes too.
    explains: pkijsRefuses((r) => r.by !== 'view'),
  },
  {
    id: 'invalid-time-text',
    shape: 'fields-differ',
    kinds: ['cms', 'timestamp'],
    reason:
      'A signingTime whose text is no time (a letter in place of a digit, a month 13) is unreadable to kiemky, which reports the attribute as malformed; asn1js turns the same text into some date (1899-11-30, say). The claimed time of a signature must not be a guess.',
    explains: (k, p, differing) => k.ok && p.ok && differing.length > 0 && sameBut(k.fields, p.fields, (a) => a === 'unreadable'),
  },
  {
    id: 'attribute-values-framed',
    shape: 'fields-differ',
    kinds: ['cms', 'timestamp'],
    reason:
      "The signed attributes and their values are the elements the lengths frame; kiemky splits them by those lengths and decodes a value when it is looked up (one whose insides are no DER, an inner length running past the value's own end, is then a coded problem). asn1js, given such a value, frames what follows differently: one value where the lengths frame several, or an attribute after it (a messageDigest) swallowed into it. The signature covers the same signedAttrs octets either way (compared); only the attributes read from them may differ, pkijs's being a subset of kiemky's, and only when kiemky's view finds a signed attribute value whose insides are no DER.",
    explains: (k, p, differing) => k.ok && p.ok && (k.notes ?? []).includes('attribute value not well-formed') && differing.length > 0 && sameButAttributes(k.fields, p.fields),
  },
  {
    id: 'opaque-name-values',
    shape: 'pkijs-refuses',
    kinds: ALL,
    reason:
      'A name attribute whose value is not a string is kept by kiemky as its DER, undecoded (RFC 4514 writes it #hex); it names nobody kiemky trusts. asn1js decodes it and refuses a malformed one (a BIT STRING with 86 unused bits).',
    explains: (k, p) => k.ok && pkijsRefuses((r) => r.by === 'asn1js')(k, p) && /\["[0-9.]+","#[0-9a-f]*"\]/.test(JSON.stringify(k.fields)),
  },
];

/** a and b are equal but where `skip` holds for a's value (compared structurally). */
function sameBut(a: unknown, b: unknown, skip: (v: unknown) => boolean): boolean {
  if (skip(a)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameBut(x, b[i], skip));
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((key) => sameBut((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], skip));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The same fields but for what each signer's signed attributes say (their list and the values read from them), the
 * attribute types pkijs found being among kiemky's.
 */
function sameButAttributes(kFields: unknown, pFields: unknown): boolean {
  const cmsOf = (f: unknown): CmsFields => ('cms' in (f as object) ? (f as TimestampFields).cms : (f as CmsFields));
  const ks = cmsOf(kFields).signers;
  const ps = cmsOf(pFields).signers;
  const subset = ks.length === ps.length && ps.every((si, i) => (si.signedAttrs ?? []).every(([oid]) => (ks[i]!.signedAttrs ?? []).some(([o]) => o === oid)));
  const strip = (f: unknown): unknown => {
    const cms = cmsOf(f);
    const stripped = { ...cms, signers: cms.signers.map((si) => ({ ...si, signedAttrs: null, contentType: null, messageDigest: null, signingTime: null })) };
    return 'cms' in (f as object) ? { ...(f as TimestampFields), cms: stripped } : stripped;
  };
  return subset && JSON.stringify(strip(kFields)) === JSON.stringify(strip(pFields));
}

function certificatesOf(fields: unknown): string[] {
  const f = fields as { certificates?: string[]; cms?: { certificates?: string[] } };
  return f.certificates ?? f.cms?.certificates ?? [];
}

function withCertificates(fields: unknown, certificates: string[]): unknown {
  const f = fields as Record<string, unknown> & { cms?: Record<string, unknown> };
  return f.cms ? { ...f, cms: { ...f.cms, certificates } } : { ...f, certificates };
}

/** The entry that explains a disagreement, or null. */
export function explain(kind: BlobKind, k: Outcome<unknown>, p: Outcome<unknown>, differing: readonly string[]): Difference | null {
  return DIFFERENCES.find((d) => d.kinds.includes(kind) && d.explains(k, p, differing)) ?? null;
}

/** The top-level fields whose values differ when both accepted. */
export function differingFields(k: Outcome<unknown>, p: Outcome<unknown>): string[] {
  if (!k.ok || !p.ok) return [];
  const a = k.fields as Record<string, unknown>;
  const b = p.fields as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}
