import { judgeContextFrom, rejudgeStored, versionsOf, type RejudgeResult, type UnitRegistry } from '../pool/rejudge';
import { revocationFetcher, serviceRevocation } from '../pool/revocation/settings';
import { factsStoreOf } from '../queue/processor';
import type { RejudgeScope, ServiceConfig } from '../shared/types';
import { openStore } from '../store/open';
import type { RejudgeJobView } from '../api/rejudge-routes';
import { askServe } from './control-client';

/**
 * `kiemky rejudge`: the stored documents of a batch, a period or all, judged again from their facts with the trust
 * store of `certsDir` and the unit registry given. While a serve of the same DATA_DIR holds the embedded database,
 * it is asked to do it (control channel, with its own trust store and revocation setting), and the job runs there
 * in the background. With `--revocation online` (or KIEMKY_REVOCATION=online) each document's revocation is
 * fetched again and kept with its facts.
 */

export type RejudgeCommandResult =
  | { through: 'serve'; port: number; job: RejudgeJobView }
  | { through: 'store'; result: RejudgeResult; trustStore: string };

export async function rejudgeCommand(
  cfg: Pick<ServiceConfig, 'databaseUrl' | 'dataDir' | 'certsDir'> & Partial<Pick<ServiceConfig, 'revocation'>>,
  scope: RejudgeScope,
  registry: UnitRegistry | undefined,
): Promise<RejudgeCommandResult> {
  if (!cfg.databaseUrl) {
    const answer = await askServe<RejudgeJobView>(cfg.dataDir, '/rejudge', scope);
    if (answer) return { through: 'serve', port: answer.port, job: answer.result };
  }
  const ctx = judgeContextFrom(cfg.certsDir, registry);
  const store = await openStore({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  try {
    const facts = factsStoreOf(store);
    if (!facts) throw new Error('this store keeps no facts');
    // Online, the revocation is fetched again into the cache serve and the workers share (DATA_DIR/cache/revocation).
    const revocation = revocationFetcher(serviceRevocation(cfg.revocation ?? 'offline', cfg.dataDir));
    return { through: 'store', result: await rejudgeStored(facts, ctx, scope, revocation ? { revocation } : {}), trustStore: versionsOf(ctx).trustStore };
  } finally {
    await store.close();
  }
}
