-- The unit registry (worker/registry.ts) as the admin or UNITS_FILE last set it, and every earlier one: a verdict
-- judged with a registry names its version, and an inspector can ask what the registry said then. The current
-- registry is the row with the highest seq; a row is added only when the version (SHA-256 of the normalized JSON)
-- changes.
CREATE TABLE unit_registries (
  seq bigserial PRIMARY KEY,
  version text NOT NULL,
  registry jsonb NOT NULL,
  source text NOT NULL,
  created_at timestamptz NOT NULL
);
