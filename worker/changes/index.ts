export { analyzeRevision } from './analyze';
export type { RevisionPolicy } from './context';
export { explainRevisions } from './revisions';
export * from './types';
