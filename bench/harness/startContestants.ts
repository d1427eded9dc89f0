import type { FeishuSandbox } from '../../tests/sandbox/feishu';
import type { InvocationResult } from '../child/messages';
import type { BenchEnvironment } from './BenchEnvironment';
import { CONTESTANTS, bundleOf, type Bundles, type ContestantName } from './buildBundles';
import { ContestantProcess } from './ContestantProcess';

/** One warm process per contestant, all running the same function. */
export type Contestants = Record<ContestantName, ContestantProcess>;

/** Starts a process per contestant for one function (imImage, whiteboardImage, …). */
export async function startContestants(
  bundles: Bundles,
  environment: BenchEnvironment,
  functionName: string,
  feishu?: FeishuSandbox,
): Promise<Contestants> {
  const started = await Promise.all(
    CONTESTANTS.map((contestant) =>
      ContestantProcess.start(
        bundles.contestantProcess,
        bundleOf(bundles, contestant, functionName),
        environment.envFor(contestant, feishu),
      ),
    ),
  );
  return { ours: started[0]!, baseline: started[1]!, floor: started[2]! };
}

export async function closeContestants(contestants: Contestants): Promise<void> {
  await Promise.all(Object.values(contestants).map((process) => process.close()));
}

/** The invocation's result, or a thrown error naming the contestant and what failed. */
export function succeeded(result: InvocationResult, contestant: string, what: string): InvocationResult {
  if (result.error) throw new Error(`${contestant}, ${what}: ${result.error.name}: ${result.error.message}`);
  return result;
}
