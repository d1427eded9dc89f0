/**
 * `npm run bench:flexible`: rate-limiter-flexible's RateLimiterDynamo against the shared budget,
 * the same calls on the clock (one, then a batch across a window's end), on dynalite: the most
 * calls each let into one of Feishu's whole seconds, and what the library counts for calls it
 * rejected. docs/architecture.md quotes the figures.
 */
import { measureRateLimiterDynamo, measureSharedRateBudget } from './figures/rateLimiterFlexible';

async function main(): Promise<void> {
  const limit = 10;
  const flexible = await measureRateLimiterDynamo(limit);
  const ours = await measureSharedRateBudget(limit);
  console.log(`limit: ${limit} calls a second, counted by Feishu in whole seconds of its clock`);
  console.log(`rate-limiter-flexible RateLimiterDynamo: ${flexible.busiestAlignedSecond} calls in one whole second`);
  console.log(`  ${2 * limit} calls at once in one of its windows: its item counts ${flexible.countedPoints} points`);
  console.log(`SharedRateBudget: ${ours.busiestAlignedSecond} calls in one whole second`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
