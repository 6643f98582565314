/**
 * Loads asn1js and pkijs for the sample encoders. Both ship as ES modules only, and the compiled samples are CommonJS:
 * on Node 20 before 20.19 `require` cannot load them, so they are loaded once with `import()` (module nodenext keeps
 * it a real import() in the compiled CommonJS).
 */
import type * as Asn1js from 'asn1js';
import type * as Pkijs from 'pkijs';

export interface PkijsModules {
  asn1js: typeof Asn1js;
  pkijs: typeof Pkijs;
}

let loaded: Promise<PkijsModules> | undefined;

/** asn1js and pkijs (the first call loads them; later calls share the promise). */
export function loadPkijs(): Promise<PkijsModules> {
  loaded ??= Promise.all([
    esModule(() => import('asn1js'), () => require('asn1js') as typeof Asn1js),
    esModule(() => import('pkijs'), () => require('pkijs') as typeof Pkijs),
  ]).then(([asn1js, pkijs]) => ({ asn1js, pkijs }));
  return loaded;
}

/**
 * import() as Node runs it. Jest runs the tests as CommonJS in a vm without an ES module loader (that would need
 * --experimental-vm-modules), where import() throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING*; there require() reaches
 * pkijs through jest's transform (jest.config.js transpiles the ESM-only packages), so that is the fallback.
 */
async function esModule<T>(load: () => Promise<T>, inJest: () => T): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING')) return inJest();
    throw e;
  }
}
