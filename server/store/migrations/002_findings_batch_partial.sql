-- A document's own findings (batch_id NULL) are only ever looked up by sha256. Indexed by batch_id, those NULLs
-- let the planner answer "WHERE sha256 = ANY(…) AND batch_id IS NULL" from this index when its statistics lag
-- behind a table growing during an upload — reading every document's findings for each group of reports saved,
-- O(documents) per save. Without the NULLs it cannot: the sha256 index answers, in time proportional to the group.
DROP INDEX findings_batch;
CREATE INDEX findings_batch ON findings (batch_id) WHERE batch_id IS NOT NULL;
