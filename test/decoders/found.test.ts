/**
 * What the cross-check with pkijs found in kiemky's decoders, kept as plain tests so the fix cannot be undone
 * unseen when the fuzzing happens not to draw the same bytes again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Asn1Error, parseDer } from '../../worker/asn1/der';
import { Certificate } from '../../worker/pki/certificate';
import { pemBlocks } from '../../worker/pki/pem';
import { REPO_ROOT } from '../helpers/shared';
import { readWithPkijs } from './pkijs-view';

const govSub = (): Buffer => pemBlocks(fs.readFileSync(path.join(REPO_ROOT, 'samples', 'pki', 'govSub.crt.pem'), 'latin1'), ['CERTIFICATE'])[0]!;

/** The certificate with the identifier octet of its tbsCertificate's last element (the extensions [3]) replaced. */
function relabelExtensions(der: Buffer, identifier: number): Buffer {
  const fields = parseDer(der).child(0).children();
  const ext = fields[fields.length - 1]!;
  expect(der[ext.start]).toBe(0xa3);
  const out = Buffer.from(der);
  out[ext.start] = identifier;
  return out;
}

test('an extensions block relabelled [1] is refused, not read as an issuerUniqueID that drops every extension', () => {
  const der = govSub();
  expect(Certificate.fromDer(der).basicConstraints).toEqual({ ca: true, pathLen: 0 });
  const relabelled = relabelExtensions(der, 0xa1);
  expect(() => Certificate.fromDer(relabelled)).toThrow(Asn1Error);
  expect(() => Certificate.fromDer(relabelled)).toThrow(/unique identifier must be primitive/);
  expect(readWithPkijs('certificate', relabelled).ok).toBe(false);
  // [2] as well, and the order is the standard's: nothing after the extensions.
  expect(() => Certificate.fromDer(relabelExtensions(der, 0xa2))).toThrow(Asn1Error);
});

test('unique identifiers, primitive and in order, are still accepted in a v3 certificate', () => {
  const der = govSub();
  const cert = parseDer(der);
  const tbs = cert.child(0);
  const fields = tbs.children();
  const ext = fields[fields.length - 1]!;
  // issuerUniqueID [1] IMPLICIT BIT STRING (no unused bits, one octet) before the extensions; lengths grow by 3.
  const id = Buffer.from([0x81, 0x02, 0x00, 0x2a]);
  const body = Buffer.concat([der.subarray(tbs.contentStart, ext.start), id, der.subarray(ext.start, tbs.contentEnd)]);
  const tbsDer = Buffer.concat([Buffer.from([0x30, 0x82, body.length >> 8, body.length & 0xff]), body]);
  const rest = der.subarray(tbs.end, cert.contentEnd);
  const all = Buffer.concat([tbsDer, rest]);
  const withId = Buffer.concat([Buffer.from([0x30, 0x82, all.length >> 8, all.length & 0xff]), all]);
  expect(Certificate.fromDer(withId).basicConstraints).toEqual({ ca: true, pathLen: 0 });
});
