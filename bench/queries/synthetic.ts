import type { SqlQueryable } from '../../server/store/sql';

/**
 * A province's years of documents made in SQL (generate_series), not through the API: a million documents
 * verified and stored one by one would take hours, and the queries measured read only what is stored. Document i
 * is in unit i mod 60 and month (i div 60) mod 12 of 2025; signed 90 %, two-layer 70 %, with the government CA
 * two times in three; signed with the government CA or one of seven other providers (six public CAs, one
 * untrusted), by one of the unit's certificates. Batches hold a month of five units each (about 7,000 documents
 * at a million); `bench-page` holds the first `pageBatch` documents again, the batch whose page is timed.
 *
 * Every column the store fills is filled as the store fills it: reports with checks, signatures and findings,
 * signatures and certificates rows, the rows' keys (store/sort-key.ts; the benchmark checks a sample against
 * sortKey), finding codes. The summary rows are then made by the store's own rebuildSummaries.
 */

export const UNITS = 60;
export const MONTHS = Array.from({ length: 12 }, (_, m) => `2025-${String(m + 1).padStart(2, '0')}`);
export const PROVIDERS: Array<[string, 'government' | 'public' | 'untrusted']> = [
  ['Ban Cơ yếu Chính phủ', 'government'],
  ['VNPT-CA', 'public'],
  ['Viettel-CA', 'public'],
  ['FPT-CA', 'public'],
  ['BKAV-CA', 'public'],
  ['CA2', 'public'],
  ['SmartSign', 'public'],
  ['Không tin cậy', 'untrusted'],
];

export const unitName = (u: number): string => `UBND xã Số ${String(u + 1).padStart(2, '0')}`;

/** Rows of each generated range, per statement. */
const STEP = 100_000;

/** The columns of document i (alias g), from generate_series($1, $2) AS i. */
const GENERATED = `
  SELECT i, lpad(to_hex(i), 64, '0') AS sha,
         'CV-' || lpad(i::text, 7, '0') || '.pdf' AS file,
         'UBND xã Số ' || lpad((i % ${UNITS} + 1)::text, 2, '0') AS unit,
         i % ${UNITS} AS u,
         '2025-' || lpad(((i / ${UNITS}) % 12 + 1)::text, 2, '0') AS month,
         (i % 10 <> 0) AS signed,
         (i % 10 <> 0 AND i % 10 NOT IN (1, 2)) AS two_layer,
         (i % 10 <> 0 AND i % 3 <> 0) AS gov,
         CASE WHEN i % 3 <> 0 THEN 0 ELSE 1 + (i / 3) % 7 END AS p
  FROM generate_series($1::bigint, $2::bigint) AS i`;

/** The providers as a VALUES list joined by index. */
const PROVIDER_VALUES = PROVIDERS.map(([name, category], i) => `(${i}, '${name}', '${category}')`).join(', ');

/** A signer certificate's fingerprint: one per unit, kind (0 organization, 1 personal) and provider. */
const FINGERPRINT = (kind: number): string => `lpad(to_hex(1000000 + g.u * 100 + ${kind} * 10 + g.p), 64, 'c')`;

const SIGNATURE = (index: number, kind: 'organization' | 'personal'): string => `json_build_object(
    'index', ${index}, 'field', 'Signature${index}', 'type', 'signature', 'subFilter', 'adbe.pkcs7.detached', 'revision', ${index - 1},
    'signingTime', g.month || '-15T02:00:00Z', 'signingTimeSource', 'signingTime',
    'signer', json_build_object('kind', '${kind}', 'commonName', ${kind === 'organization' ? 'g.unit' : "'Nguyễn Văn ' || g.u"},
      'fingerprintSha256', ${FINGERPRINT(kind === 'organization' ? 0 : 1)}, 'serialNumber', to_hex(g.u * 100 + g.p)),
    'ca', json_build_object('category', pr.category, 'provider', pr.name, 'root', NULL),
    'integrity', 'valid', 'certificate', 'valid', 'coversWholeFile', ${index === 2 ? 'true' : 'false'}, 'changesAfter', 'allowed',
    'digestAlgorithm', 'sha256', 'signatureAlgorithm', 'rsa', 'weakAlgorithm', false)`;

const VERDICT = `CASE WHEN NOT g.signed THEN 'noncompliant' WHEN g.two_layer AND g.gov THEN 'compliant' ELSE 'noncompliant' END`;

const REPORT = `json_build_object(
    'file', g.file, 'sha256', g.sha, 'size', 150000, 'unit', g.unit, 'verdict', ${VERDICT},
    'checks', json_build_object('signed', g.signed, 'twoLayer', g.two_layer, 'governmentCa', g.gov, 'intact', true,
                                'certificatesValid', true, 'strongAlgorithms', true),
    'signatures', CASE WHEN NOT g.signed THEN '[]'::json
                       WHEN g.two_layer THEN json_build_array(${SIGNATURE(1, 'personal')}, ${SIGNATURE(2, 'organization')})
                       ELSE json_build_array(${SIGNATURE(1, 'organization')}) END,
    'findings', CASE WHEN NOT g.signed THEN json_build_array(json_build_object('code', 'NOT_SIGNED', 'severity', 'error',
                       'message', 'Văn bản chưa được ký số.', 'messageEn', 'The document is not digitally signed.', 'signature', NULL))
                     WHEN NOT g.gov THEN json_build_array(json_build_object('code', 'NOT_GOVERNMENT_CA', 'severity', 'error',
                       'message', 'Chữ ký không dùng chứng thư số chuyên dùng Chính phủ.', 'messageEn',
                       'The signature does not use a government CA certificate.', 'signature', 1))
                     ELSE '[]'::json END)`;

const FROM = `FROM (${GENERATED}) g JOIN (VALUES ${PROVIDER_VALUES}) AS pr(idx, name, category) ON pr.idx = g.p`;

export async function fillSynthetic(db: SqlQueryable, docs: number, pageBatch: number, progress: (line: string) => void): Promise<void> {
  await db.query(
    `INSERT INTO certificates (fingerprint, common_name, subject, issuer, serial_number, kind, category, provider, not_before, not_after, first_seen)
     SELECT lpad(to_hex(1000000 + u * 100 + k * 10 + pr.idx), 64, 'c'), 'Chứng thư ' || u || '-' || k || '-' || pr.idx, 'CN=' || u, 'CN=CA',
            to_hex(u * 100 + pr.idx), CASE k WHEN 0 THEN 'organization' ELSE 'personal' END, pr.category, pr.name,
            '2024-01-01'::timestamptz, now() + ((u - 5) * interval '10 days'), now()
     FROM generate_series(0, ${UNITS - 1}) AS u CROSS JOIN generate_series(0, 1) AS k CROSS JOIN (VALUES ${PROVIDER_VALUES}) AS pr(idx, name, category)`,
  );
  await db.query(
    `INSERT INTO batches (id, source, created_at, created_by, has_register, findings, units)
     SELECT 'b-' || m || '-g' || grp, 'upload', '2025-01-01'::timestamptz + (m * 30 + grp) * interval '1 day', NULL, true, '[]', NULL
     FROM generate_series(1, 12) AS m CROSS JOIN generate_series(0, ${UNITS / 5 - 1}) AS grp`,
  );
  await db.query(`INSERT INTO batches (id, source, created_at, created_by, has_register, findings, units)
                  VALUES ('bench-page', 'upload', now(), NULL, true, '[]', NULL)`);
  for (let from = 0; from < docs; from += STEP) {
    const to = Math.min(docs, from + STEP) - 1;
    const range = [from, to];
    await db.query(
      `INSERT INTO documents (sha256, size, file, verified_at, verdict, unit, signed, two_layer, government_ca, intact,
                              certificates_valid, strong_algorithms, report)
       SELECT g.sha, 150000, g.file, now(), ${VERDICT}, g.unit, g.signed, g.two_layer, g.gov, true, true, true, ${REPORT} ${FROM}`,
      range,
    );
    await db.query(
      `INSERT INTO signatures (sha256, idx, type, category, provider, kind, fingerprint, common_name, signing_time, integrity, certificate)
       SELECT g.sha, 1, 'signature', pr.category, pr.name, CASE WHEN g.two_layer THEN 'personal' ELSE 'organization' END,
              CASE WHEN g.two_layer THEN ${FINGERPRINT(1)} ELSE ${FINGERPRINT(0)} END, g.unit, (g.month || '-15T02:00:00Z')::timestamptz, 'valid', 'valid'
       ${FROM} WHERE g.signed
       UNION ALL
       SELECT g.sha, 2, 'signature', pr.category, pr.name, 'organization', ${FINGERPRINT(0)}, g.unit, (g.month || '-15T02:00:00Z')::timestamptz, 'valid', 'valid'
       ${FROM} WHERE g.two_layer`,
      range,
    );
    // Each document a row of its month's batch; the first pageBatch a row of bench-page too.
    for (const [batch, where] of [
      [`'b-' || ((g.i / ${UNITS}) % 12 + 1) || '-g' || (g.u / 5)`, 'true'],
      [`'bench-page'`, `g.i < ${pageBatch}`],
    ] as const) {
      await db.query(
        `INSERT INTO batch_items (batch_id, file, sha256, size, register, status, unit, month, verdict, report, completed_at, counted,
                                  file_key, number_key, search, codes)
         SELECT ${batch}, g.file, g.sha, 150000,
                json_build_object('line', g.i + 2, 'file', g.file, 'number', g.i || '/UBND', 'date', g.month || '-15', 'summary', 'Công văn số ' || g.i,
                                  'signer', NULL, 'unit', g.unit),
                'done', g.unit, g.month, ${VERDICT}, ${REPORT}, now(), true,
                'cv-' || chr(48 + length(g.i::text)) || g.i || '.pdf', chr(48 + length(g.i::text)) || g.i || '/ubnd',
                lower(g.file) || chr(1) || g.i || '/ubnd',
                CASE WHEN NOT g.signed THEN ARRAY['NOT_SIGNED'] WHEN NOT g.gov THEN ARRAY['NOT_GOVERNMENT_CA'] ELSE ARRAY[]::text[] END
         ${FROM} WHERE ${where}`,
        range,
      );
    }
    progress(`  ${to + 1} documents`);
  }
}
