import { defineClerkUnitSuite } from './clerk-units';

/** Issue 16's clerk scope through the API, on the embedded store (PGlite in DATA_DIR). */
defineClerkUnitSuite('embedded PGlite', async () => ({ databaseUrl: null, cleanup: async () => undefined }));
