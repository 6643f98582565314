import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { trustStoreVersion } from '../../worker/pki/trust-version';

/**
 * The certs folder, watched by looking: a root added or withdrawn, a CRL dropped into crl/, must reach the next
 * verification and the stored verdicts without a restart. fs.watch is not used: it misses changes on network and
 * container-mounted folders, and an operator copying a dozen files would fire it a dozen times. Instead each look
 * lists the folder (names, sizes, times: cheap, a few dozen files) and only when that changed loads the store and
 * hashes it — a touched file whose contents did not change gives the same version and changes nothing.
 */
export class TrustFolder {
  private listing: string | null = null;
  private held: string | null = null;

  constructor(private readonly certsDir: string) {}

  /** The version of the trust store last loaded (null until the first look). */
  get version(): string | null {
    return this.held;
  }

  /**
   * Looks at the folder: the new version when the trust store it holds changed since the last look, else null.
   * The first look only takes the current version. Throws when the folder changed and no longer loads: the caller
   * must not go on judging as if nothing happened.
   */
  look(): string | null {
    const listing = folderListing(this.certsDir);
    if (listing === this.listing) return null;
    const version = trustStoreVersion(loadTrustStore(this.certsDir));
    this.listing = listing;
    const before = this.held;
    this.held = version;
    return before !== null && before !== version ? version : null;
  }
}

/** Every file under `dir` with its size and modification time, hashed. */
function folderListing(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string, depth: number): void => {
    // The trust store's own layout is two levels deep (category/provider/file, crl/file); links and deeper
    // trees are not followed, so a loop cannot hang a look.
    if (depth > 4) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(p, depth + 1);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        // A linked file (a deployment that links certs from elsewhere) counts by what it points to.
        const st = fs.statSync(p, { throwIfNoEntry: false });
        if (st?.isFile()) lines.push(`${path.relative(dir, p)}\u0000${st.size}\u0000${st.mtimeMs}`);
      }
    }
  };
  walk(dir, 0);
  return crypto.createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}
