-- A batch row's figures for its batch's unit summary (store/batch-summary.ts): the checks the summary counts and its
-- CA providers, as the row's own report has them. Filled when the row completes (sql-store.ts, completeRows), so a
-- batch's summary reads a few columns per row instead of parsing each stored report; NULL while the row waits.
-- The rows done before this are filled, in the same transaction, by the store's code after this file (migrate.ts,
-- MIGRATION_HOOKS). Depends on 001-006 only.
ALTER TABLE batch_items ADD COLUMN signed boolean;
ALTER TABLE batch_items ADD COLUMN two_layer boolean;
ALTER TABLE batch_items ADD COLUMN government_ca boolean;
-- [{provider, category}]: each provider of the report's signatures once (summary.ts providerName), document
-- timestamps left out.
ALTER TABLE batch_items ADD COLUMN providers json;
