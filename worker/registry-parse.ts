import { createHash } from 'node:crypto';
import { normalizeFingerprint } from './text/fold';
import type { RegisteredSigner, RegisteredUnit, UnitRegistry } from './registry';

/**
 * Reads a unit registry from JSON data (the CLI's --units file, the service's UNITS_FILE and PUT /api/admin/units
 * alike), refusing what would silently match nothing: a fingerprint that is not 64 hex digits, a date that is not
 * a date, a parent that is not a unit. Returns it normalized (fingerprints in lower-case hex), so two spellings of
 * one registry have one version.
 */

export type UnitRegistryErrorCode = 'UNITS_INVALID';

/**
 * What is wrong with a registry and where (`units[2].signers[0].from`), in English (`message`, for logs and the
 * command line's English) and Vietnamese (`vi`, what the admin reads first). The path is the file's own keys, the
 * same in both languages, so it can be found in the file.
 */
export class UnitRegistryError extends Error {
  readonly code: UnitRegistryErrorCode = 'UNITS_INVALID';
  readonly vi: string;
  constructor(message: string, vi: string = message) {
    super(message);
    this.vi = vi;
    this.name = 'UnitRegistryError';
  }
}

const LIMITS = { units: 10_000, names: 50, signers: 200, text: 500 };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new UnitRegistryError(`${where} must be non-empty text`, `${where} phải là chữ, không được để trống`);
  if (v.length > LIMITS.text) throw new UnitRegistryError(`${where} is longer than ${LIMITS.text} characters`, `${where} dài quá ${LIMITS.text} ký tự`);
  return v.trim();
}

function optionalText(v: unknown, where: string): string | undefined {
  return v === undefined || v === null ? undefined : text(v, where);
}

function texts(v: unknown, where: string, max: number): string[] {
  if (!Array.isArray(v)) throw new UnitRegistryError(`${where} must be a list`, `${where} phải là một danh sách [...]`);
  if (v.length > max) throw new UnitRegistryError(`${where} holds more than ${max} entries`, `${where} có quá ${max} mục`);
  return v.map((x, i) => text(x, `${where}[${i}]`));
}

function fingerprints(v: unknown, where: string): string[] {
  return texts(v, where, LIMITS.names).map((fp, i) => {
    const hex = normalizeFingerprint(fp);
    if (hex.length !== 64) throw new UnitRegistryError(
        `${where}[${i}] is not a SHA-256 fingerprint (64 hex digits)`,
        `${where}[${i}] không phải dấu vân tay SHA-256 của chứng thư số (64 chữ số thập lục phân)`,
      );
    return hex;
  });
}

function date(v: unknown, where: string): string {
  const s = text(v, where);
  const t = Date.parse(`${s}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== s) {
    throw new UnitRegistryError(`${where} must be a date YYYY-MM-DD, got "${s}"`, `${where} phải là ngày dạng YYYY-MM-DD (ví dụ 2026-01-31), đang là "${s}"`);
  }
  return s;
}

function signer(v: unknown, where: string): RegisteredSigner {
  if (!isRecord(v)) throw new UnitRegistryError(`${where} must be an object`, `${where} phải là một đối tượng {...}`);
  const out: RegisteredSigner = { name: text(v.name, `${where}.name`), from: date(v.from, `${where}.from`) };
  const commonName = optionalText(v.commonName, `${where}.commonName`);
  if (commonName !== undefined) out.commonName = commonName;
  if (v.certificates !== undefined) out.certificates = fingerprints(v.certificates, `${where}.certificates`);
  const title = optionalText(v.title, `${where}.title`);
  if (title !== undefined) out.title = title;
  if (v.to !== undefined && v.to !== null) {
    out.to = date(v.to, `${where}.to`);
    if (out.to < out.from) throw new UnitRegistryError(`${where}: "to" (${out.to}) is before "from" (${out.from})`, `${where}: ngày "to" (${out.to}) trước ngày "from" (${out.from})`);
  }
  return out;
}

function unit(v: unknown, where: string): RegisteredUnit {
  if (!isRecord(v)) throw new UnitRegistryError(`${where} must be an object`, `${where} phải là một đối tượng {...}`);
  if (v.agencyCertificates === undefined) throw new UnitRegistryError(
      `${where} needs "name" and "agencyCertificates" (SHA-256 fingerprints, may be empty)`,
      `${where} cần có "name" và "agencyCertificates" (dấu vân tay SHA-256 của chứng thư số cơ quan, có thể để trống [])`,
    );
  const out: RegisteredUnit = { name: text(v.name, `${where}.name`), agencyCertificates: fingerprints(v.agencyCertificates, `${where}.agencyCertificates`) };
  if (v.aliases !== undefined) out.aliases = texts(v.aliases, `${where}.aliases`, LIMITS.names);
  const parent = optionalText(v.parent, `${where}.parent`);
  if (parent !== undefined) out.parent = parent;
  if (v.signers !== undefined) {
    if (!Array.isArray(v.signers)) throw new UnitRegistryError(`${where}.signers must be a list`, `${where}.signers phải là một danh sách [...]`);
    if (v.signers.length > LIMITS.signers) throw new UnitRegistryError(`${where}.signers holds more than ${LIMITS.signers} people`, `${where}.signers có quá ${LIMITS.signers} người`);
    out.signers = v.signers.map((s, i) => signer(s, `${where}.signers[${i}]`));
  }
  return out;
}

export function parseUnitRegistry(data: unknown): UnitRegistry {
  if (!isRecord(data)) throw new UnitRegistryError('a unit registry is an object {"version": 2, "units": [...]}', 'danh mục đơn vị phải là một đối tượng {"version": 2, "units": [...]}');
  const version = data.version ?? 1;
  if (version !== 1 && version !== 2) throw new UnitRegistryError(`version ${String(version)} is not known (1 or 2 are)`, `phiên bản ${String(version)} không được hỗ trợ (chỉ 1 hoặc 2)`);
  if (!Array.isArray(data.units)) throw new UnitRegistryError('"units" must be an array', '"units" phải là một danh sách [...]');
  if (data.units.length > LIMITS.units) throw new UnitRegistryError(`more than ${LIMITS.units} units`, `quá ${LIMITS.units} đơn vị`);
  const units = data.units.map((u, i) => unit(u, `units[${i}]`));
  const names = new Set(units.map((u) => u.name));
  if (names.size !== units.length) throw new UnitRegistryError('two units have the same name', 'hai đơn vị trùng tên');
  for (const [i, u] of units.entries()) {
    if (u.parent !== undefined && !names.has(u.parent)) throw new UnitRegistryError(`units[${i}].parent "${u.parent}" is not a unit of the registry`, `units[${i}].parent "${u.parent}" không phải một đơn vị trong danh mục`);
    if (u.parent === u.name) throw new UnitRegistryError(`units[${i}] is its own parent`, `units[${i}] không thể là đơn vị cấp trên của chính nó`);
  }
  return { version, units };
}

/**
 * The registry's version: SHA-256 of its normalized JSON. Reports judged with a registry can name it, and the
 * service knows from it when stored facts must be judged again.
 */
export function unitRegistryVersion(registry: UnitRegistry | null | undefined): string {
  const normalized = registry ? parseUnitRegistry(registry) : { version: 2, units: [] };
  return createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
}
