-- kiemky store, version 1. Plain SQL that PostgreSQL and PGlite both run (applied by migrate.ts, once).
-- Reports are stored as `json`, not `jsonb`: json keeps the text as written, so a stored report reads back with its
-- keys in the order the CLI prints them; the columns queried by SQL are real columns next to it.

-- One upload, export pull or API call: a set of files checked together.
CREATE TABLE batches (
  id text PRIMARY KEY,
  source text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text,
  has_register boolean NOT NULL,
  -- Batch-level findings known at creation (register rows without a PDF, refused ZIP entries …), as given.
  findings json NOT NULL
);

-- A verified document, once per content (sha256) however many batches hold it.
CREATE TABLE documents (
  sha256 text PRIMARY KEY,
  size bigint NOT NULL,
  -- The name it was first verified under; each batch row keeps its own name.
  file text NOT NULL,
  verified_at timestamptz NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('compliant', 'noncompliant', 'error')),
  unit text,
  signed boolean NOT NULL,
  two_layer boolean NOT NULL,
  government_ca boolean NOT NULL,
  intact boolean NOT NULL,
  certificates_valid boolean NOT NULL,
  strong_algorithms boolean NOT NULL,
  -- As verified: no register applied.
  report json NOT NULL
);

-- A file of a batch: the blob it is, its register row, and once verified its report as this batch sees it.
CREATE TABLE batch_items (
  batch_id text NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  file text NOT NULL,
  -- Global insertion order: "oldest first" for the reconciler.
  item_no bigint GENERATED ALWAYS AS IDENTITY,
  sha256 text NOT NULL,
  size bigint NOT NULL,
  register json,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done')),
  -- Filled when done: the unit after the register, the document month (YYYY-MM), the verdict, the report.
  unit text,
  month text,
  verdict text,
  report json,
  completed_at timestamptz,
  PRIMARY KEY (batch_id, file)
);
CREATE INDEX batch_items_queued ON batch_items (sha256) WHERE status = 'queued';
CREATE INDEX batch_items_sha256 ON batch_items (sha256);
CREATE INDEX batch_items_unit_month ON batch_items (unit, month) WHERE status = 'done';

-- The signatures of a document (the facts the provider and certificate reports group by).
CREATE TABLE signatures (
  sha256 text NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
  idx integer NOT NULL,
  type text NOT NULL,
  category text NOT NULL,
  -- The name summary.ts's providerName gives: one spelling for the SQL aggregates and the CLI.
  provider text NOT NULL,
  kind text NOT NULL,
  fingerprint text,
  common_name text,
  signing_time timestamptz,
  integrity text NOT NULL,
  certificate text NOT NULL,
  PRIMARY KEY (sha256, idx)
);
CREATE INDEX signatures_fingerprint ON signatures (fingerprint);

-- Every signer certificate seen, once.
CREATE TABLE certificates (
  fingerprint text PRIMARY KEY,
  common_name text,
  subject text,
  issuer text,
  serial_number text,
  kind text NOT NULL,
  category text NOT NULL,
  provider text NOT NULL,
  not_before timestamptz,
  not_after timestamptz,
  first_seen timestamptz NOT NULL
);

-- Findings for queries by code: a document's own (batch_id NULL), a batch's (sha256 NULL), and the register
-- cross-checks of one batch row (both set, with the row's file).
CREATE TABLE findings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256 text,
  batch_id text REFERENCES batches (id) ON DELETE CASCADE,
  file text,
  code text NOT NULL,
  severity text NOT NULL,
  signature integer,
  message text NOT NULL
);
CREATE INDEX findings_sha256 ON findings (sha256);
CREATE INDEX findings_batch ON findings (batch_id);
CREATE INDEX findings_code ON findings (code);

-- API tokens, by hash only: the token itself is never stored.
CREATE TABLE tokens (
  id text PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('admin', 'clerk', 'inspector', 'leader')),
  units jsonb NOT NULL,
  label text,
  created_at timestamptz NOT NULL
);

-- E-office exports already taken, so each becomes one batch, once.
CREATE TABLE exports (
  name text PRIMARY KEY,
  fingerprint text NOT NULL,
  batch_id text NOT NULL,
  claimed_at timestamptz NOT NULL
);
