import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/shared';

/**
 * server/ is in rooms (server/README.md): every file sits in a room, every room's README says what it owns and, on
 * its line "May import:", which other rooms (and whether the verification core, `worker`) its files may import.
 * Here every import of every file is held to that line, type-only imports and require() included, so a room that
 * reaches where it must not fails here rather than in a newcomer's head.
 */

const SERVER = path.join(REPO_ROOT, 'server');

interface Room {
  name: string;
  mayImport: Set<string>;
}

function rooms(): Room[] {
  return fs
    .readdirSync(SERVER, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const readme = fs.readFileSync(path.join(SERVER, e.name, 'README.md'), 'utf8');
      const line = readme.split('\n').find((l) => l.startsWith('May import:'));
      if (!line) throw new Error(`server/${e.name}/README.md has no "May import:" line`);
      return { name: e.name, mayImport: new Set([...line.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!)) };
    });
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.(ts|js)$/.test(e.name) ? [full] : [];
  });
}

/** Every relative module a file names: `from '…'`, `import('…')`, `require('…')`. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g)].map((m) => m[2]!);
}

/** Where an import leads: a room of server/, the verification core, or anywhere else in the repository. */
function destination(file: string, specifier: string): string {
  const rel = path.relative(REPO_ROOT, path.resolve(path.dirname(file), specifier)).split(path.sep);
  if (rel[0] === 'server') return rel[1]!;
  if (rel[0] === 'worker') return 'worker';
  return `outside:${rel[0]}`;
}

test('nothing sits at the top of server/ but its README: every file is in a room, and every room says what it owns', () => {
  const loose = fs.readdirSync(SERVER, { withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => e.name);
  expect(loose).toEqual(['README.md']);
  for (const room of rooms()) {
    const readme = fs.readFileSync(path.join(SERVER, room.name, 'README.md'), 'utf8');
    expect({ room: room.name, title: readme.split('\n')[0] }).toEqual({ room: room.name, title: expect.stringMatching(new RegExp(`^# server/${room.name} — `)) });
  }
});

test('every file of server/ imports only its own room and the rooms its README allows', () => {
  const known = rooms();
  const names = new Set(known.map((r) => r.name));
  const breaches: string[] = [];
  for (const room of known) {
    for (const allowed of room.mayImport) if (allowed !== 'worker' && !names.has(allowed)) breaches.push(`server/${room.name}/README.md allows an unknown room: ${allowed}`);
    for (const file of sources(path.join(SERVER, room.name))) {
      for (const specifier of importsOf(file)) {
        const to = destination(file, specifier);
        if (to !== room.name && !room.mayImport.has(to)) breaches.push(`${path.relative(REPO_ROOT, file)} imports ${specifier} (${to})`);
      }
    }
  }
  expect(breaches).toEqual([]);
});

test('the rooms import one way: no two rooms may import each other, directly or round about', () => {
  const allowed = new Map(rooms().map((r) => [r.name, [...r.mayImport].filter((m) => m !== 'worker')]));
  const cycles: string[] = [];
  const visit = (room: string, trail: string[]): void => {
    if (trail.includes(room)) {
      cycles.push([...trail.slice(trail.indexOf(room)), room].join(' → '));
      return;
    }
    for (const next of allowed.get(room) ?? []) visit(next, [...trail, room]);
  };
  for (const room of allowed.keys()) visit(room, []);
  expect(cycles).toEqual([]);
});
