/**
 * PEM blocks of one kind in a text ('CERTIFICATE', 'X509 CRL', 'PKCS7' …): base64 bodies decoded, headers and
 * stray characters ignored. Trust-store folders mix PEM files written by many tools, so this is lenient.
 */
export function pemBlocks(text: string, labels: readonly string[]): Buffer[] {
  const alt = labels.join('|');
  const re = new RegExp(`-----BEGIN (?:${alt})-----([\\s\\S]*?)-----END (?:${alt})-----`, 'g');
  const out: Buffer[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(Buffer.from(m[1]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  return out;
}
