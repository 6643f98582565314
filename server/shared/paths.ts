import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The project folder, found from this file upward, so that the same code works from server/shared/ (ts-jest) and
 * from dist/server/shared/ (the installed command), wherever the user runs it from.
 */

interface PackageJson {
  name?: string;
  version?: string;
}

function readPackage(dir: string): PackageJson | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (readPackage(dir)?.name === 'kiemky') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..', '..');
    dir = parent;
  }
}

/** The trust store shipped with the program. */
export function defaultCertsDir(): string {
  return path.join(projectRoot(), 'certs');
}

/** The report contract (JSON Schema) the JSON reports are written to, shipped with the program. */
export function reportSchemaPath(): string {
  return path.join(projectRoot(), 'docs', 'report.schema.json');
}

export function version(): string {
  return readPackage(projectRoot())?.version ?? '0.0.0';
}
