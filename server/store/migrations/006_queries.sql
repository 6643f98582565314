-- The pages' queries (store/queries.ts, store/summaries.ts). Needs PostgreSQL 15 or later (NULLS NOT DISTINCT: the
-- unknown unit, NULL, is one unit in the summaries as it is in the reports). Depends on 001-004 only.
-- The keys and the summary rows of what is stored already are filled, in the same transaction, by the store's
-- code after this file (migrate.ts, MIGRATION_HOOKS): they are made by the same functions as new rows' are.

-- A batch row as the document pages filter and order it: its file name and số ký hiệu as sort keys
-- (store/sort-key.ts), both folded for search, and the finding codes of its report.
ALTER TABLE batch_items ADD COLUMN file_key text;
ALTER TABLE batch_items ADD COLUMN number_key text;
ALTER TABLE batch_items ADD COLUMN search text;
ALTER TABLE batch_items ADD COLUMN codes text[];
-- No new index of batch_items holds batch_id: the report page's key lookups (REPORT_PAGE_QUERY) must go through
-- the primary key, and the planner, which takes a batch just stored for one row, would read a whole batch through
-- any other index that names it (test/store/suite.ts holds that). A page of one batch reads the batch's rows by the
-- primary key (a count of them is wanted anyway) and sorts a page's worth at the top.
CREATE INDEX batch_items_month ON batch_items (month) WHERE status = 'done';
CREATE INDEX batches_newest ON batches (created_at DESC, id DESC);

-- The list of batches reads counts, not rows: a batch's rows (set when it is created) and its done rows per unit by
-- verdict (added as rows complete), so a clerk's part of a batch is the rows of their units.
ALTER TABLE batches ADD COLUMN items integer;
CREATE TABLE batch_unit_counts (
  batch_id text NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  unit text,
  done integer NOT NULL,
  errors integer NOT NULL,
  compliant integer NOT NULL,
  noncompliant integer NOT NULL,
  CONSTRAINT batch_unit_counts_key UNIQUE NULLS NOT DISTINCT (batch_id, unit)
);
CREATE INDEX batch_unit_counts_unit ON batch_unit_counts (unit);

-- Each (unit, document, month) a counted row puts a document in: a document counts once per unit in each month it
-- is in (store/summaries.ts). `repeated` marks the documents of a unit that are in more than one month: a range
-- holding two of them counts such a document once, and these are the only rows that query reads.
CREATE TABLE unit_document_months (
  unit text,
  sha256 text NOT NULL,
  month text NOT NULL,
  repeated boolean NOT NULL DEFAULT false,
  CONSTRAINT unit_document_months_key UNIQUE NULLS NOT DISTINCT (unit, sha256, month)
);
CREATE INDEX unit_document_months_sha256 ON unit_document_months (sha256);
CREATE INDEX unit_document_months_repeated ON unit_document_months (month) WHERE repeated;

-- The unit summary's counts (report/summary.ts, UNIT_COUNTS) per unit and month, over unit_document_months.
CREATE TABLE unit_months (
  unit text,
  month text NOT NULL,
  documents integer NOT NULL,
  signed integer NOT NULL,
  two_layer integer NOT NULL,
  government_ca integer NOT NULL,
  compliant integer NOT NULL,
  errors integer NOT NULL,
  CONSTRAINT unit_months_key UNIQUE NULLS NOT DISTINCT (unit, month)
);
CREATE INDEX unit_months_month ON unit_months (month);

-- Documents per unit, month and CA provider (each provider once per document).
CREATE TABLE unit_month_providers (
  unit text,
  month text NOT NULL,
  provider text NOT NULL,
  category text NOT NULL,
  documents integer NOT NULL,
  CONSTRAINT unit_month_providers_key UNIQUE NULLS NOT DISTINCT (unit, month, provider)
);
CREATE INDEX unit_month_providers_month ON unit_month_providers (month);

-- Documents per unit, month and signer certificate (each certificate once per document).
CREATE TABLE unit_month_certificates (
  unit text,
  month text NOT NULL,
  fingerprint text NOT NULL,
  documents integer NOT NULL,
  CONSTRAINT unit_month_certificates_key UNIQUE NULLS NOT DISTINCT (unit, month, fingerprint)
);
CREATE INDEX unit_month_certificates_month ON unit_month_certificates (month);
