-- A clerk's upload counts only for the clerk's units (store/scoped-row.ts).

-- The units of the clerk token that uploaded the batch: its rows count for these only, and a clerk of these units
-- sees the whole batch. NULL for an admin's upload or an export: not limited.
ALTER TABLE batches ADD COLUMN units jsonb;

-- False for a row that counts for no unit (a clerk's upload of a document signed by another unit's agency): it is
-- listed in its batch's report, never counted in the unit and provider summaries.
ALTER TABLE batch_items ADD COLUMN counted boolean NOT NULL DEFAULT true;
