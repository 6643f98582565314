import * as fs from 'node:fs';
import { Budget } from '../worker/errors';
import { collectFacts } from '../worker/facts';
import { analyzePdf } from '../worker/pdf/index';
import { loadTrustStore } from '../worker/pki/trust-store';
import { explainRevisions } from '../worker/changes/revisions';
import { BufferSource } from '../worker/source';
import { verifyDocument } from '../worker/verify';

/**
 * The target: change analysis costs at most a fifth of verifying a typical two-signature document. Measured
 * in-process on bench documents, interleaved with whole verifications, medians so a GC pause does not decide.
 */
export async function changeAnalysisShare(files: string[], trustDir: string): Promise<{ share: number; verifyMs: number; analysisMs: number }> {
  const trust = loadTrustStore(trustDir);
  const verifyNs: number[] = [];
  const analysisNs: number[] = [];
  const sample = files.slice(0, 200);
  for (let round = 0; round < 2; round++) {
    for (const file of sample) {
      const source = new BufferSource(fs.readFileSync(file));
      let t0 = process.hrtime.bigint();
      await verifyDocument(source, trust, { fileName: file });
      const verify = Number(process.hrtime.bigint() - t0);
      const facts = collectFacts(source, { fileName: file });
      // A freshly opened document, so the analysis cannot lean on what the verification already parsed.
      const { doc, structure } = analyzePdf(source);
      t0 = process.hrtime.bigint();
      explainRevisions(doc, structure, facts.signatures, Budget.unlimited());
      const analysis = Number(process.hrtime.bigint() - t0);
      if (round === 1) {
        verifyNs.push(verify);
        analysisNs.push(analysis);
      }
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const verifyMs = median(verifyNs) / 1e6;
  const analysisMs = median(analysisNs) / 1e6;
  return { share: analysisMs / verifyMs, verifyMs, analysisMs };
}
