import { defineClerkUnitSuite } from './clerk-units';

/** The clerk's unit scope through the API, on the embedded store (PGlite in DATA_DIR). */
defineClerkUnitSuite('embedded PGlite', async () => ({ databaseUrl: null, cleanup: async () => undefined }));
