-- Batches clerks uploaded before 003 get their token's units, and those of their rows that were counted outside
-- them (a register row naming another unit, another unit's certificate) or for no unit at all are made to wait
-- again: the reconciler's jobs complete them from the stored report, under the rules of store/scoped-row.ts,
-- without verifying anything again. Rows already counted for the clerk's own unit stay as they were.
-- Every statement only finds what is left to do, so running this again changes nothing.

UPDATE batches b SET units = t.units
FROM tokens t
WHERE b.units IS NULL AND t.id = b.created_by AND t.role = 'clerk' AND jsonb_array_length(t.units) > 0;

-- The register cross-checks stored with those rows go with them; completing a row writes its findings anew.
DELETE FROM findings f
USING batch_items bi, batches b
WHERE f.batch_id = bi.batch_id AND f.file = bi.file AND f.sha256 IS NOT NULL
  AND b.id = bi.batch_id AND b.units IS NOT NULL AND bi.status = 'done'
  AND (bi.unit IS NULL OR bi.unit NOT IN (SELECT jsonb_array_elements_text(b.units)))
  AND bi.counted;

UPDATE batch_items bi
SET status = 'queued', unit = NULL, month = NULL, verdict = NULL, report = NULL, completed_at = NULL
FROM batches b
WHERE b.id = bi.batch_id AND b.units IS NOT NULL AND bi.status = 'done'
  AND (bi.unit IS NULL OR bi.unit NOT IN (SELECT jsonb_array_elements_text(b.units)))
  AND bi.counted;
