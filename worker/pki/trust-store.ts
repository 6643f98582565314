/**
 * Loads the trust store folder: government/ and public/ hold CA certificates (PEM, DER, .p7b bags), crl/ holds CRLs.
 * Self-signed certificates become anchors (trusted by key); others are stored intermediates that only help build
 * chains. The first sub-folder under government/ or public/ names the provider (public/VNPT-CA/x.crt → 'VNPT-CA').
 */
import { pemBlocks } from './pem';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tag, parseDer } from '../asn1/der';
import { parseSignedDataContentInfo } from '../cms/signed-data';
import { Certificate } from './certificate';
import { CertificateList } from './crl';
import type { TrustStore } from './types';

export interface LoadedTrustStore extends TrustStore {
  /** Files skipped, with why. */
  warnings: string[];
}

const CATEGORIES = ['government', 'public'] as const;
/** Bounds on what a store folder can make us read: a store is a few hundred files, never gigabytes. */
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_DIR_DEPTH = 8;

export function emptyTrustStore(): LoadedTrustStore {
  return { anchors: [], intermediates: [], crls: [], source: null, warnings: [] };
}

export function loadTrustStore(dir: string): LoadedTrustStore {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`trust store folder not found: ${dir}`);
  const store: LoadedTrustStore = { ...emptyTrustStore(), source: path.resolve(dir) };
  const seen = new Set<string>();
  for (const category of CATEGORIES) {
    const base = path.join(dir, category);
    for (const file of listFiles(base, store.warnings)) {
      const rel = path.relative(base, file).split(path.sep);
      const provider = rel.length > 1 ? rel[0]! : null;
      let certs: Certificate[];
      try {
        const problems: string[] = [];
        certs = readCertificates(fs.readFileSync(file), problems);
        for (const pr of problems) store.warnings.push(`${file}: ${pr}`);
      } catch (e) {
        store.warnings.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      if (certs.length === 0) store.warnings.push(`${file}: no certificate found`);
      for (const certificate of certs) {
        if (seen.has(certificate.fingerprintSha256)) {
          store.warnings.push(`${file}: duplicate of a certificate already loaded (${certificate.fingerprintSha256.slice(0, 16)}…)`);
          continue;
        }
        seen.add(certificate.fingerprintSha256);
        const entry = { certificate, category, provider, file };
        // An anchor must prove possession of its own key: a self-issued name alone is not enough.
        if (certificate.isSelfIssued && certificate.isSignedBy(certificate)) store.anchors.push(entry);
        else store.intermediates.push(entry);
      }
    }
  }
  for (const file of listFiles(path.join(dir, 'crl'), store.warnings)) {
    try {
      for (const crl of CertificateList.fromFile(fs.readFileSync(file))) store.crls.push(crl);
    } catch (e) {
      store.warnings.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return store;
}

function listFiles(dir: string, warnings: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > MAX_DIR_DEPTH) {
      warnings.push(`${d}: folder nesting too deep, skipped`);
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return; // missing category folder: nothing to load
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile()) {
        if (out.length >= MAX_FILES) {
          warnings.push(`${p}: too many files, rest skipped`);
          return;
        }
        if (fs.statSync(p).size > MAX_FILE_BYTES) warnings.push(`${p}: file too large, skipped`);
        else out.push(p);
      }
    }
  };
  walk(dir, 0);
  return out;
}

/** Certificates in a file: PEM (one or more CERTIFICATE or PKCS7 blocks), DER certificate, or DER .p7b bag. */
export function readCertificates(data: Buffer, problems: string[] = []): Certificate[] {
  const head = data.subarray(0, Math.min(data.length, 4096)).toString('latin1');
  if (head.includes('-----BEGIN')) {
    const text = data.toString('latin1');
    const out = Certificate.fromPem(text);
    for (const bag of pemBlocks(text, ['PKCS7'])) out.push(...certificatesFromBag(bag, problems));
    return out;
  }
  const root = parseDer(data, { ber: true, allowTrailing: true }).expect(Tag.SEQUENCE, 'file');
  const der = data.subarray(0, root.end);
  // Only whitespace or zero padding may follow the DER; anything else means we misread the file.
  for (let i = root.end; i < data.length; i++) {
    const b = data[i];
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x00) throw new Error('unexpected bytes after the DER element');
  }
  // A certificate starts SEQUENCE { SEQUENCE tbs …}; a ContentInfo starts SEQUENCE { OID … }.
  if (root.child(0).isUniversal(Tag.OID)) return certificatesFromBag(der, problems);
  return [Certificate.fromDer(der)];
}

function certificatesFromBag(der: Buffer, problems: string[]): Certificate[] {
  const sd = parseSignedDataContentInfo(der, false);
  for (const e of sd.certificateErrors) problems.push(`certificate in bag skipped: ${e}`);
  return sd.certificates;
}
