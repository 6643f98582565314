import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * What EXPORT_DIR holds right now: each export (a sub-folder or a .zip) with a fingerprint of its files' names,
 * sizes and times, and whether the exporter is still writing it (a `*.part` or `*.lock` inside, or beside it).
 */

/** A file still being written by the exporter: `x.pdf.part`, `.lock`, `export.lock`. */
export function isMarker(name: string): boolean {
  return /\.(part|lock)$/i.test(name) || name === '.lock';
}

export interface Listed {
  /** Path relative to the export, with forward slashes. */
  rel: string;
  full: string;
  size: number;
  mtimeMs: number;
}

/** Every regular file under a folder (links not followed: a loop would walk forever, a link could leave the export). */
export function listFiles(root: string): Listed[] {
  const out: Listed[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(full, rel);
      else if (entry.isFile()) {
        const st = fs.statSync(full);
        out.push({ rel, full, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  walk(root, '');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

export interface Candidate {
  name: string;
  kind: 'folder' | 'zip';
  full: string;
  fingerprint: string;
  busy: boolean;
}

function fingerprintOf(parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** The exports in EXPORT_DIR as they look right now. */
export function scanDir(exportDir: string): Candidate[] {
  const entries = fs.readdirSync(exportDir, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  const out: Candidate[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(exportDir, entry.name);
    try {
      if (entry.isDirectory()) {
        const files = listFiles(full);
        out.push({
          name: entry.name,
          kind: 'folder',
          full,
          fingerprint: fingerprintOf(files.map((f) => `${f.rel}\t${f.size}\t${f.mtimeMs}`)),
          busy: files.some((f) => isMarker(path.basename(f.rel))) || names.has(`${entry.name}.lock`) || names.has(`${entry.name}.part`),
        });
      } else if (entry.isFile() && /\.zip$/i.test(entry.name)) {
        const st = fs.statSync(full);
        out.push({
          name: entry.name,
          kind: 'zip',
          full,
          fingerprint: fingerprintOf([`${st.size}\t${st.mtimeMs}`]),
          busy: names.has(`${entry.name}.lock`) || names.has(`${entry.name}.part`),
        });
      }
    } catch {
      // Removed or renamed while we looked: it will be seen, or not, at the next scan.
    }
  }
  return out;
}
