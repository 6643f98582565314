import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../shared/paths';

/**
 * Where the built client lives and what its entry files are called now. Names carry a hash of their content, so a
 * browser may keep them forever and a new build is fetched at the next page load; the manifest maps each entry
 * (app.js, app.css) to its current name.
 */

export interface WebManifest {
  script: string;
  style: string;
}

export function webDir(): string {
  return path.join(projectRoot(), 'dist', 'web');
}

export function assetsDir(): string {
  return path.join(webDir(), 'assets');
}

export function manifestPath(): string {
  return path.join(webDir(), 'manifest.json');
}

/** The manifest of the last build, or null when the client has not been built (`npm run build`). */
export function readManifest(): WebManifest | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(manifestPath(), 'utf8')) as Partial<WebManifest>;
    return typeof parsed.script === 'string' && typeof parsed.style === 'string' ? { script: parsed.script, style: parsed.style } : null;
  } catch {
    return null;
  }
}
