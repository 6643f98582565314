/**
 * A limit as people read it: "50 MB" rather than 52428800, in binary units as the configuration takes them
 * (KIEMKY_MAX_REGISTER_BYTES=50MB). A size that is not a whole number of a unit is written in bytes, exactly.
 */

const UNITS: [number, string][] = [
  [1024 ** 4, 'TB'],
  [1024 ** 3, 'GB'],
  [1024 ** 2, 'MB'],
  [1024, 'KB'],
];

export function formatSize(bytes: number, lang: 'vi' | 'en' = 'vi'): string {
  if (Number.isSafeInteger(bytes) && bytes > 0) {
    for (const [unit, name] of UNITS) if (bytes % unit === 0) return `${bytes / unit} ${name}`;
  }
  return lang === 'vi' ? `${bytes} byte` : `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}
