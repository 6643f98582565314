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
let ready: PkijsModules | undefined;

/** asn1js and pkijs (the first call loads them; later calls share the promise). */
export function loadPkijs(): Promise<PkijsModules> {
  loaded ??= Promise.all([
    esModule(() => import('asn1js'), () => require('asn1js') as typeof Asn1js),
    esModule(() => import('pkijs'), () => require('pkijs') as typeof Pkijs),
  ]).then(([asn1js, pkijs]) => (ready ??= { asn1js, pkijs }));
  return loaded;
}

/**
 * asn1js and pkijs for the synchronous encoders (cms-pkijs.ts: the scenario builders sign synchronously). Once
 * loadPkijs() has resolved, its modules; otherwise require(), which reaches them under jest (through its transform) and
 * on Node 20.19 and later (require of an ES module). The programs that build samples (samples/make.ts, the benches)
 * await loadPkijs() first, so they run on any Node 20.
 */
export function pkijsNow(): PkijsModules {
  if (ready) return ready;
  try {
    ready = { asn1js: require('asn1js') as typeof Asn1js, pkijs: require('pkijs') as typeof Pkijs };
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_REQUIRE_ESM') throw e;
    throw new Error('pkijs-modules: this Node cannot require() an ES module; await loadPkijs() before building CMS samples', { cause: e });
  }
  return ready;
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
