/** @type {import('jest').Config} */
// pkijs, asn1js and their helpers ship as ES modules only; jest 29 runs tests as CommonJS, so those few packages
// (and nothing else in node_modules) are transpiled to CommonJS by ts-jest. Only the decoder cross-checks load them.
const ESM_ONLY = ['pkijs', 'asn1js', 'bytestreamjs', '@peculiar/utils', '@noble/hashes'];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
    [`node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', sourceMap: false, isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testTimeout: 120000,
};
