import { defineUnitRegistrySuite } from './unit-registry';

/** The unit registry in the service, on the embedded store (PGlite in DATA_DIR). */
defineUnitRegistrySuite('embedded PGlite', async () => ({ databaseUrl: null, cleanup: async () => undefined }));
