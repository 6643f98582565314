/**
 * The OpenAPI paths and schemas of signing in and of the admin's routes (session-routes.ts, admin-routes.ts),
 * spread into openapi.ts's document: kept apart so that each part of the API describes itself next to its routes.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string): Json => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const json = (description: string, schema: Json): Json => ({ description, content: { 'application/json': { schema } } });
const body = (schema: Json): Json => ({ required: true, content: { 'application/json': { schema } } });
const ROLE: Json = { type: 'string', enum: ['admin', 'clerk', 'inspector', 'leader'] };
const UNITS: Json = { type: 'array', items: { type: 'string' }, description: 'Đơn vị của văn thư (clerk: ít nhất một) / a clerk’s units (at least one); empty for other roles' };
const USERNAME: Json = { type: 'string', pattern: '^[\\p{L}\\p{M}\\p{N}._@-]{1,64}$', description: 'So khớp không phân biệt hoa thường (NFC) / compared without case (NFC)' };
const PASSWORD: Json = { type: 'string', minLength: 10, maxLength: 1024, format: 'password' };
const auth = { '401': error('UNAUTHORIZED, INVALID_TOKEN'), '403': error('FORBIDDEN (not admin), CSRF (session without X-CSRF-Token)') };
const items = (name: string): Json => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref(name) } } });
const pathParam = (name: string): Json => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export const accountPaths: Record<string, Json> = {
  '/api/session': {
    post: {
      summary: 'Đăng nhập / sign in (sets the kiemky_session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS)',
      security: [],
      requestBody: body({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string', format: 'password' } } }),
      responses: {
        '200': json('The user and the CSRF token to send as X-CSRF-Token on POST/PUT/PATCH/DELETE', ref('Session')),
        '400': error('BAD_REQUEST'),
        '401': error('LOGIN_FAILED: wrong name or password, or a disabled account (one answer for all)'),
        '403': error('CSRF: posted from another site (Origin / Sec-Fetch-Site)'),
        '429': {
          description: 'LOGIN_THROTTLED: too many failures for the account or the address',
          headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
          content: { 'application/json': { schema: ref('Error') } },
        },
      },
    },
    get: {
      summary: 'Phiên đang đăng nhập / the current session (cookie)',
      security: [{ session: [] }],
      responses: { '200': json('The same body as the sign-in, same CSRF token', ref('Session')), '401': error('UNAUTHORIZED') },
    },
    delete: {
      summary: 'Đăng xuất / sign out: the session is revoked on the server and the cookie cleared',
      security: [{ session: [] }],
      parameters: [{ name: 'X-CSRF-Token', in: 'header', required: true, schema: { type: 'string' } }],
      responses: { '204': { description: 'Signed out (also when the session had already ended)' }, '403': error('CSRF') },
    },
  },
  '/api/users': {
    get: { summary: 'Tài khoản / accounts (admin)', responses: { '200': json('Accounts by name', items('User')), ...auth } },
    post: {
      summary: 'Tạo tài khoản / create an account (admin)',
      requestBody: body({ type: 'object', required: ['username', 'password', 'role'], properties: { username: USERNAME, password: PASSWORD, role: ROLE, units: UNITS } }),
      responses: {
        '201': json('The account', ref('User')),
        '400': error('BAD_USERNAME, PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG, BAD_ROLE, CLERK_NEEDS_UNIT, BAD_REQUEST'),
        '409': error('USERNAME_TAKEN'),
        ...auth,
      },
    },
  },
  '/api/users/{username}': {
    patch: {
      summary: 'Sửa tài khoản / change an account (admin): disabling it or setting its password ends its sessions',
      parameters: [pathParam('username')],
      requestBody: body({
        type: 'object',
        additionalProperties: false,
        properties: { role: ROLE, units: UNITS, disabled: { type: 'boolean' }, password: PASSWORD },
      }),
      responses: {
        '200': json('The account as changed', ref('User')),
        '400': error('PASSWORD_TOO_SHORT, BAD_ROLE, CLERK_NEEDS_UNIT, BAD_REQUEST'),
        '404': error('USER_NOT_FOUND'),
        ...auth,
      },
    },
  },
  '/api/tokens/{id}': {
    delete: {
      summary: 'Thu hồi mã truy cập / revoke a token (admin)',
      parameters: [pathParam('id')],
      responses: { '204': { description: 'Revoked' }, '404': error('TOKEN_NOT_FOUND'), ...auth },
    },
  },
  '/api/admin/units': {
    get: {
      summary: 'Danh mục đơn vị / the unit registry the service verifies with (admin): units, aliases, parent, pinned agency certificates, the people who may sign and when',
      responses: { '200': json('The current registry (an empty one with source "none" when never set)', ref('StoredUnitRegistry')), ...auth },
    },
    put: {
      summary: 'Thay danh mục đơn vị / replace the unit registry (admin); documents verified after it use it',
      requestBody: body(ref('UnitRegistry')),
      responses: { '200': json('The stored registry and its version', ref('StoredUnitRegistry')), '400': error('UNITS_INVALID (the message says where), BAD_REQUEST'), ...auth },
    },
  },
  '/api/trust': {
    get: { summary: 'Kho chứng thư tin cậy / the trust store the service verifies with (admin)', responses: { '200': json('Roots, then CA certificates', items('TrustEntry')), ...auth } },
  },
  '/api/exports': {
    get: {
      summary: 'Thư mục xuất E-office / the export folder’s status (admin)',
      responses: {
        '200': json('Status', {
          type: 'object',
          required: ['configured', 'dir', 'intervalSeconds', 'lastScanAt', 'taken'],
          properties: {
            configured: { type: 'boolean' },
            dir: { type: 'string', nullable: true },
            intervalSeconds: { type: 'integer' },
            lastScanAt: { type: 'string', format: 'date-time', nullable: true, description: 'Last scan by the serve that answers' },
            taken: {
              type: 'array',
              description: 'Exports taken as batches, newest first (at most 100)',
              items: {
                type: 'object',
                required: ['name', 'batchId', 'takenAt'],
                properties: { name: { type: 'string' }, batchId: { type: 'string' }, takenAt: { type: 'string', format: 'date-time' } },
              },
            },
          },
        }),
        ...auth,
      },
    },
  },
};

/** GET /api/tokens sits beside POST /api/tokens (openapi.ts). */
export const tokenListOperation: Json = {
  summary: 'Mã truy cập / API tokens (admin); the secrets are never shown again',
  responses: { '200': json('Tokens', items('Token')), ...auth },
};

const FINGERPRINT: Json = { type: 'string', description: 'SHA-256, 64 hex digits (case and separators ignored)' };
const DATE: Json = { type: 'string', format: 'date' };

export const accountSchemas: Record<string, Json> = {
  UnitRegistry: {
    type: 'object',
    required: ['units'],
    properties: {
      version: { type: 'integer', enum: [1, 2], description: '1: units and certificates only; 2: with parent and signers' },
      units: { type: 'array', items: ref('RegisteredUnit') },
    },
  },
  RegisteredUnit: {
    type: 'object',
    required: ['name', 'agencyCertificates'],
    properties: {
      name: { type: 'string' },
      aliases: { type: 'array', items: { type: 'string' } },
      parent: { type: 'string', description: 'The name of another unit of the registry' },
      agencyCertificates: { type: 'array', items: FINGERPRINT },
      signers: { type: 'array', items: ref('RegisteredSigner'), description: 'Who may sign personally for the unit; empty: not checked' },
    },
  },
  RegisteredSigner: {
    type: 'object',
    required: ['name', 'from'],
    properties: {
      name: { type: 'string' },
      commonName: { type: 'string', description: 'The name as the certificate spells it, if not `name` (compared without diacritics or case)' },
      certificates: { type: 'array', items: FINGERPRINT, description: 'When given, the signer is matched by these only' },
      title: { type: 'string' },
      from: DATE,
      to: DATE,
    },
  },
  StoredUnitRegistry: {
    type: 'object',
    required: ['registry', 'version', 'source', 'updatedAt'],
    properties: {
      registry: ref('UnitRegistry'),
      version: { type: 'string', description: 'SHA-256 of the normalized registry' },
      source: { type: 'string', description: '`api:<user>`, `file:<path>` (UNITS_FILE) or `none`' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  Session: {
    type: 'object',
    required: ['user', 'csrfToken'],
    properties: {
      user: { type: 'object', required: ['username', 'role', 'units'], properties: { username: { type: 'string' }, role: ROLE, units: { type: 'array', items: { type: 'string' } } } },
      csrfToken: { type: 'string' },
    },
  },
  User: {
    type: 'object',
    required: ['username', 'role', 'units', 'disabled', 'createdAt', 'lastLoginAt'],
    properties: {
      username: { type: 'string' },
      role: ROLE,
      units: { type: 'array', items: { type: 'string' } },
      disabled: { type: 'boolean' },
      createdAt: { type: 'string', format: 'date-time' },
      lastLoginAt: { type: 'string', format: 'date-time', nullable: true },
    },
  },
  TrustEntry: {
    type: 'object',
    required: ['fingerprint', 'subject', 'commonName', 'kind', 'category', 'provider', 'notBefore', 'notAfter'],
    properties: {
      fingerprint: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the certificate' },
      subject: { type: 'string' },
      commonName: { type: 'string', nullable: true },
      kind: { type: 'string', enum: ['root', 'intermediate'] },
      category: { type: 'string', enum: ['government', 'public'], description: 'government: CA Chính phủ; public: CA công cộng (commercial)' },
      provider: { type: 'string', nullable: true, description: 'The provider folder (certs/public/VNPT-CA → VNPT-CA)' },
      notBefore: { type: 'string', format: 'date-time' },
      notAfter: { type: 'string', format: 'date-time' },
    },
  },
};

export const sessionSecurityScheme: Json = {
  type: 'apiKey',
  in: 'cookie',
  name: 'kiemky_session',
  description: 'Set by POST /api/session; POST/PUT/PATCH/DELETE also need the header X-CSRF-Token',
};
