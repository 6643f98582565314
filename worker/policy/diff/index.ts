export { analyzeRevision } from './analyze';
export type { RevisionPolicy } from './context';
export { appearanceFindings } from './appearance';
export { describeViolation } from './labels';
export * from './types';
