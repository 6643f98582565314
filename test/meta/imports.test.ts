import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/shared';

/**
 * The layers, held by a test: an import a layer must not make fails here, naming the file and what it imported.
 * docs/ARCHITECTURE.md draws the same picture. Type-only imports are allowed where the rule says "types": the policy
 * may name the shape of the facts it judges, but never run the code that reads a PDF.
 */

interface Import {
  from: string;
  /** Repository-relative path of the imported module (no extension), or the package name. */
  target: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (e.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** Every import and re-export of a file, multi-line ones included. */
function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const out: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*'([^']+)'/gms;
  for (const m of text.matchAll(re)) {
    const spec = m[4]!;
    const typeOnly = m[2] !== undefined || /^\{[^}]*\}$/s.test(m[3]!.trim()) && m[3]!.split(',').every((p) => /^\s*\{?\s*type\s/.test(p) || p.trim() === '' || p.trim() === '}');
    const target = spec.startsWith('.') ? path.join(path.dirname(file), spec).replace(/\\/g, '/') : spec;
    out.push({ from: file, target, typeOnly });
  }
  return out;
}

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);

interface Rule {
  /** The files the rule is about. */
  files: string;
  /** Folders their runtime imports may reach (their own folder always may). */
  may: string[];
  /** Folders they may import types from, besides. */
  typesFrom?: string[];
  why: string;
}

const RULES: Rule[] = [
  { files: 'worker/asn1', may: [], why: 'DER decoding stands alone' },
  { files: 'worker/pdf', may: ['worker/errors', 'worker/source'], why: 'the PDF reader knows nothing of signatures, PKI or policy' },
  { files: 'worker/pki', may: ['worker/asn1', 'worker/errors', 'worker/cms/signed-data', 'worker/report', 'worker/text'], why: 'X.509, CRL, OCSP and trust: below the CMS and the policy (a .p7b bundle is read with the SignedData decoder)' },
  { files: 'worker/cms', may: ['worker/asn1', 'worker/pki', 'worker/errors'], why: 'CMS verification needs the decoders and the algorithms, nothing above them' },
  { files: 'worker/integrity', may: ['worker/errors'], typesFrom: ['worker/pdf', 'worker/cms'], why: 'integrity is read from recorded facts' },
  { files: 'worker/changes', may: ['worker/pdf', 'worker/errors', 'worker/integrity'], why: 'the change analysis reads the PDF while facts are collected, and judges nothing' },
  {
    files: 'worker/policy',
    may: ['worker/pki', 'worker/integrity', 'worker/text', 'worker/report', 'worker/registry'],
    typesFrom: ['worker/facts', 'worker/changes', 'worker/pdf', 'worker/cms'],
    why: 'the policy judges recorded facts only: it never opens the PDF, decodes DER or runs the change analysis',
  },
  { files: 'worker/text', may: [], why: 'text helpers stand alone' },
];

const ALL = [...sourceFiles('worker'), ...sourceFiles('server'), ...sourceFiles('samples'), ...sourceFiles('bench')];
const IMPORTS = ALL.flatMap(importsOf);

test('worker/ imports only worker/ and Node built-ins: the verification core runs without the service', () => {
  const bad = IMPORTS.filter((i) => under(i.from, 'worker') && !under(i.target, 'worker') && !i.target.startsWith('node:'));
  expect(bad.map((i) => `${i.from} -> ${i.target}`)).toEqual([]);
});

test('samples/ never imports worker/: test data made by the code under test would hide its bugs', () => {
  const bad = IMPORTS.filter((i) => under(i.from, 'samples') && under(i.target, 'worker'));
  expect(bad.map((i) => `${i.from} -> ${i.target}`)).toEqual([]);
});

describe.each(RULES.map((r) => [r.files, r] as const))('%s', (files, rule) => {
  test(`imports only what its layer may: ${rule.why}`, () => {
    const bad = IMPORTS.filter((i) => {
      if (!under(i.from, files) || !under(i.target, 'worker') || under(i.target, files)) return false;
      if (rule.may.some((m) => under(i.target, m))) return false;
      if (i.typeOnly && (rule.typesFrom ?? []).some((m) => under(i.target, m))) return false;
      return true;
    });
    expect(bad.map((i) => `${i.from} -> ${i.target}${i.typeOnly ? ' (types)' : ''}`)).toEqual([]);
  });
});

test('the import reader sees multi-line and type-only imports', () => {
  const mine = importsOf('test/meta/imports.test.ts');
  expect(mine.map((i) => i.target)).toEqual(expect.arrayContaining(['node:fs', 'test/helpers/shared']));
  const judge = importsOf('worker/policy/judge.ts');
  expect(judge.find((i) => i.target === 'worker/facts')?.typeOnly).toBe(true);
  expect(judge.find((i) => i.target === 'worker/policy/signature')?.typeOnly).toBe(false);
});
