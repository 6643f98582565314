-- A document's facts (worker/facts-record.ts), kept so it can be judged again without its PDF, and the history of
-- its verdicts. The facts are JSON compressed with gzip, as base64 text (one form on both engines); the certificates,
-- CRLs and OCSP responses they reference are in facts_der once each, by SHA-256, since a batch's documents share
-- their CAs. No foreign key to documents: facts and report are saved by separate gathered writes. Depends on 001 only.
CREATE TABLE document_facts (
  sha256 text PRIMARY KEY,
  version integer NOT NULL,
  facts text NOT NULL,
  -- The hashes of facts_der rows the facts reference.
  der_refs json NOT NULL,
  -- When the facts were collected: the "now" a signature without any time is judged at, kept so that judging again
  -- gives the same answer as the first time.
  collected_at timestamptz NOT NULL,
  -- trust store / revocation / units versions the stored report was last judged with (rejudge.ts judgedWithKey).
  judged_with text
);
CREATE INDEX document_facts_judged_with ON document_facts (judged_with);
CREATE TABLE facts_der (
  hash text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('certificate', 'crl', 'ocsp')),
  der text NOT NULL
);
-- Every judgement that gave a document a report: its verification, then each re-judgement that changed it.
CREATE TABLE verdict_history (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256 text NOT NULL,
  judged_at timestamptz NOT NULL,
  reason text NOT NULL CHECK (reason IN ('verified', 'rejudged')),
  verdict text NOT NULL CHECK (verdict IN ('compliant', 'noncompliant', 'error')),
  checks json NOT NULL,
  -- The finding codes of the report, in its order.
  findings json NOT NULL,
  trust_store text,
  revocation text,
  units text
);
CREATE INDEX verdict_history_sha256 ON verdict_history (sha256, seq);
