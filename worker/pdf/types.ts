/**
 * Facts the PDF layer records about a file: revisions, signature dictionaries, DSS, permissions. No judgement
 * here: whether a byte range is acceptable or a change is allowed is the policy layer's call.
 * Offsets are byte offsets in the file; revisions are numbered 0 (the original) upwards in file order.
 */

export interface PdfLimits {
  /** Largest decoded stream the parser will inflate (object streams, xref streams, DSS entries). */
  maxStreamBytes: number;
  /** Deepest nesting of arrays/dictionaries accepted. */
  maxDepth: number;
  /** Most indirect objects followed while walking the field tree or page tree. */
  maxObjects: number;
  /**
   * Most signatures a document may make kiemky examine: signature fields with a value in one revision, and distinct
   * signature dictionaries in all. Each costs a CMS parse and a hash of up to the whole file, so a file with a
   * hundred thousand of them is refused (TOO_COMPLEX) before any is read; real documents carry a handful (the
   * shared corpus at most 25).
   */
  maxSignatures: number;
  /**
   * Most bytes the document's streams may decode to, all streams together (object streams, xref streams, DSS
   * entries): each is bounded by maxStreamBytes, and this bounds how many of them a file can make kiemky hold.
   */
  maxDecodedBytes: number;
}

export const DEFAULT_LIMITS: PdfLimits = {
  maxStreamBytes: 64 * 1024 * 1024,
  maxDepth: 64,
  maxObjects: 200_000,
  maxSignatures: 1_000,
  maxDecodedBytes: 256 * 1024 * 1024,
};

export interface RevisionInfo {
  index: number;
  /** Offset the revision's startxref points at (for a linearized original: the first-page xref). */
  xrefOffset: number;
  xrefKind: 'table' | 'stream' | 'hybrid';
  /** Offset of the `%%EOF` marker that closes this revision. */
  eofOffset: number;
  /** Offset just past `%%EOF` and its end-of-line marker, if any. */
  end: number;
  /** Object numbers written (in use) by this revision's xref section(s). */
  objects: number[];
  /** Object numbers this revision's section marks free (object 0 excluded). */
  freed: number[];
  /** Catalog object number named by this revision's trailer /Root. */
  rootObject: number | null;
  /**
   * How this revision's xref section contradicts itself (rows miscounted, a header without rows, a section out of
   * file order): a section that lies about its update may hide objects from a conforming reader.
   */
  xrefDamage: string[];
  /**
   * Objects this revision's bytes define that its xref section does not list — found by scanning the update as a
   * repairing reader (poppler, qpdf) would, and read as part of the revision (they are in `objects` too). Object
   * streams count: a member the xref does not list is here as well.
   */
  unlisted: number[];
  /**
   * Objects the xref lists (or frees) that the update's bytes also define elsewhere, later: a conforming reader
   * and a repairing reader would show different objects under the same number.
   */
  conflicting: number[];
}

export interface EncryptionInfo {
  filter: string | null;
  subFilter: string | null;
  v: number | null;
  r: number | null;
  /** True when the file could be decrypted (standard handler, empty user password). */
  decrypted: boolean;
}

export interface SignatureReference {
  transformMethod: string | null; // 'DocMDP', 'FieldMDP', 'UR', 'UR3' …
  permission: number | null; // DocMDP /P
  action: string | null; // FieldMDP /Action
  fields: string[]; // FieldMDP /Fields
}

export interface WidgetInfo {
  /** 0-based page index, or null when the widget's page could not be determined. */
  page: number | null;
  rect: [number, number, number, number] | null;
  /** The widget has a normal appearance stream (/AP /N). */
  hasAppearance: boolean;
  /** The appearance draws at least one image XObject. */
  hasImage: boolean;
}

export interface PdfSignatureInfo {
  /** Object number of the signature dictionary; null when it is a direct dictionary inside the field. */
  objectNumber: number | null;
  /** Fully qualified names of every field whose /V is this dictionary (a dictionary shared by two fields counts once). */
  fieldNames: string[];
  /** /Type of the dictionary: 'Sig', 'DocTimeStamp', or null when absent. */
  type: string | null;
  filter: string | null;
  subFilter: string | null;
  /** /ByteRange as written; null when absent or not an array of numbers. */
  byteRange: number[] | null;
  /** Decoded /Contents bytes; null when absent, empty-typed or not a string. */
  contents: Buffer | null;
  contentsIsHex: boolean;
  /**
   * File offsets of the `<` and one past the `>` of the /Contents hex string, as written in the revision the
   * signature covers. Null when the string does not sit in the file as such (literal string, indirect reference,
   * dictionary inside an object stream, encrypted …).
   */
  contentsSpan: { start: number; end: number } | null;
  /**
   * /Cert (adbe.x509.rsa_sha1 carries its certificates here, not in /Contents): one entry per string, the signer's
   * first, then its chain. A single string is a list of one; an element (or a value) that is not a string is a
   * null entry, so the list says where it stood. Null when the key is absent.
   */
  cert: (Buffer | null)[] | null;
  /** Revision whose end the byte range reaches (byteRange[2] + byteRange[3]); null when it reaches none. */
  revision: number | null;
  /** Revision the dictionary was read from. */
  definedInRevision: number;
  /** The dictionary object is redefined by a revision after the one the signature covers. */
  modifiedAfterSigning: boolean;
  name: string | null;
  reason: string | null;
  location: string | null;
  contactInfo: string | null;
  /** /M exactly as written, and parsed. */
  m: string | null;
  mDate: Date | null;
  references: SignatureReference[];
  /** Referenced from the catalog's /Perms /DocMDP: a certification signature. */
  certification: boolean;
  widgets: WidgetInfo[];
}

export interface DssInfo {
  certificates: Buffer[];
  crls: Buffer[];
  ocsps: Buffer[];
  /** Revision whose catalog first carries this /DSS. */
  revision: number;
}

export interface StructureWarning {
  code: string; // e.g. 'XREF_REPAIRED', 'XREF_OFFSET_WRONG', 'HEADER_OFFSET'
  detail: string;
}

export interface PdfStructure {
  size: number;
  headerVersion: string | null;
  /** Bytes before `%PDF-`. */
  headerOffset: number;
  linearized: boolean;
  revisions: RevisionInfo[];
  /** The xref could not be followed and objects were found by scanning the file. */
  xrefRepaired: boolean;
  encryption: EncryptionInfo | null;
  /** Distinct signature dictionaries, in revision order (byte range end), usage-rights signatures excluded. */
  signatures: PdfSignatureInfo[];
  /** /Perms /UR or /UR3 signatures: Reader-extension rights, never document signatures. */
  usageRightsSignatures: number;
  docMdp: { signatureObject: number | null; permission: number } | null;
  dss: DssInfo | null;
  /** Bytes after the last revision's end other than whitespace and NUL padding. */
  trailingBytes: number;
  /** Offset of trailing bytes that begin an update (object headers) but never reach %%EOF; null when none. */
  cutShortUpdateAt: number | null;
  warnings: StructureWarning[];
}
