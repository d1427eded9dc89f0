import validator from 'asl-validator';
import { docx, ENDPOINTS, im, type EndpointDescription } from '../../../lib/endpoints';
import { ERROR_CODES } from '../../../lib/errors/errorCodes';
import { DISTRIBUTED_MAP_MAX_ITEMS, STEP_FUNCTIONS_PAYLOAD_BYTES } from '../../../lib/request/parseDistributedMapBatch';
import { logicalIds } from '../../../stack/logicalIds';
import { maxConcurrency, sustainedRate } from '../../../stack/stateMachine';
import { rulesIn, SHIPPED_PARTS } from './definitionParts';

const parts = SHIPPED_PARTS;

type State = Record<string, unknown> & { Retry?: { ErrorEquals: string[]; MaxAttempts: number }[] };

/** The parts of an endpoint's definition the tests read. */
function statesOf(endpoint: EndpointDescription<string>) {
  const { definition } = parts.stateMachines[endpoint.functionName]!;
  const map = (definition.States as Record<string, Record<string, unknown>>).MirrorManifest!;
  const child = (map.ItemProcessor as { States: Record<string, State> }).States;
  return { definition, map, mirrorBatch: child.MirrorBatch!, answerBatch: child.AnswerBatch! };
}

/** The retryable names of the error table: RateLimitedError, UpstreamError, UpstreamTimeoutError, StorageError. */
const RETRYABLE = Object.values(ERROR_CODES)
  .filter((entry) => entry.retryable)
  .map((entry) => entry.name);

const EACH = ENDPOINTS.map((endpoint) => [endpoint.functionName, endpoint] as const);

describe('The generated state machines (stack/stateMachine.ts)', () => {
  it.each(EACH)("%s's definition is valid Amazon States Language", (_, endpoint) => {
    // Act
    const { isValid, errors } = validator(statesOf(endpoint).definition);

    // Assess
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('would tell a broken definition (a batcher of a negative size) from a valid one', () => {
    // Prepare
    const broken = structuredClone(statesOf(im).definition);
    (broken.States as { MirrorManifest: { ItemBatcher: { MaxItemsPerBatch: number } } }).MirrorManifest.ItemBatcher = {
      MaxItemsPerBatch: -1,
    };

    // Act
    const { isValid } = validator(broken);

    // Assess
    expect(isValid).toBe(false);
  });

  it.each(EACH)(
    "%s's Distributed Map reads the manifest the input names, as JSON Lines, from the image bucket",
    (_, e) => {
      // Assess
      expect(statesOf(e).map).toMatchObject({
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          // The functions' own setting IMAGE_BUCKET is this same variable (serverless.yml).
          Parameters: { Bucket: '${self:custom.imageBucket}', 'Key.$': '$.manifest' },
        },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      });
    },
  );

  it.each(EACH)("%s's Distributed Map writes every batch's answer under results/{kind}/", (_, endpoint) => {
    // Assess
    expect(statesOf(endpoint).map.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: '${self:custom.imageBucket}', Prefix: `results/${endpoint.kind}/` },
    });
  });

  it.each(EACH)('%s invokes only its own function, by the logical id serverless gives it', (name, endpoint) => {
    // Prepare
    const { mirrorBatch, answerBatch } = statesOf(endpoint);
    const functionArn = { 'Fn::GetAtt': [`${logicalIds(endpoint).capitalised}LambdaFunction`, 'Arn'] };

    // Assess
    expect(Object.keys(parts.functions)).toContain(name);
    for (const task of [mirrorBatch, answerBatch]) {
      expect(task).toMatchObject({
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: functionArn },
      });
    }
  });

  it(
    'hands the function batches whose answer stays within 90 % of the 256 KiB a task may answer, ' +
      'at the 3.2 KB an answer takes at most',
    () => {
      // Prepare
      const { ItemBatcher } = statesOf(im).map as { ItemBatcher: Record<string, number> };

      // Assess
      expect(ItemBatcher).toEqual({ MaxItemsPerBatch: DISTRIBUTED_MAP_MAX_ITEMS, MaxInputBytesPerBatch: 235_929 });
      expect(DISTRIBUTED_MAP_MAX_ITEMS).toBe(73);
      expect(DISTRIBUTED_MAP_MAX_ITEMS * 3_200).toBeLessThanOrEqual(0.9 * STEP_FUNCTIONS_PAYLOAD_BYTES);
    },
  );

  it('asks the function to throw for items left retryable, and answers the batch once those retries are spent', () => {
    // Prepare
    const { mirrorBatch, answerBatch } = statesOf(im);

    // Assess
    expect((mirrorBatch.Parameters as Record<string, unknown>).Payload).toEqual({
      'Items.$': '$.Items',
      BatchInput: { retryableItems: 'throw' },
    });
    expect(mirrorBatch.Catch).toEqual([{ ErrorEquals: RETRYABLE, ResultPath: '$.retriesSpent', Next: 'AnswerBatch' }]);
    expect((answerBatch.Parameters as Record<string, unknown>).Payload).toEqual({ 'Items.$': '$.Items' });
  });

  it("retries every retryable name of the error table, Lambda's own failures and a lost call", () => {
    // Prepare
    const retried = (statesOf(im).mirrorBatch.Retry ?? []).flatMap((rule) => rule.ErrorEquals);

    // Assess
    expect(retried).toEqual(expect.arrayContaining([...RETRYABLE, 'Lambda.ServiceException', 'States.Timeout']));
    expect(retried).not.toContain('InvalidRequestError');
  });

  it("matches only the product's error names, Lambda's and the States.* ones", () => {
    // Prepare
    const { definition } = statesOf(im);
    const known = new Set<string>(Object.values(ERROR_CODES).map((entry) => entry.name));
    const named = [...rulesIn(definition, 'Retry'), ...rulesIn(definition, 'Catch')].flatMap(
      (rule) => rule.ErrorEquals,
    );

    // Assess
    for (const name of named) expect(known.has(name) || /^(States|Lambda|Sandbox)\.\w+$/.test(name)).toBe(true);
  });

  it("keeps a child execution's history far under Step Functions' 25,000 events, whatever its retries", () => {
    // Prepare
    const { mirrorBatch, answerBatch } = statesOf(im);
    const attempts = (task: State): number => 1 + (task.Retry ?? []).reduce((sum, rule) => sum + rule.MaxAttempts, 0);
    // Each attempt of a Lambda task writes at most 5 events (scheduled, started, submitted, ended, state exited).
    const events = 5 * (attempts(mirrorBatch) + attempts(answerBatch));

    // Assess
    expect(events).toBeLessThan(25_000 / 100);
  });

  it('fails the run once more than 5 % of its batches failed whole, but never for the images that failed', () => {
    // Assess
    expect(statesOf(im).map.ToleratedFailurePercentage).toBe(5);
  });
});

describe('Function: maxConcurrency', () => {
  /** An invented endpoint with the given limit. */
  const limited = (rateLimit: EndpointDescription<string>['rateLimit']) => ({ ...im, rateLimit });

  it.each(EACH)('runs 2 batches of %s at once: one at its limit, one covering the next start', (_, endpoint) => {
    // Act
    const concurrency = maxConcurrency(endpoint);

    // Assess
    expect(concurrency).toBe(2);
    expect(statesOf(endpoint).map.MaxConcurrency).toBe(concurrency);
  });

  it('runs more at once for a faster limit: 1 + ceil(rate × 2 s / 73) batches', () => {
    // Act
    const concurrency = maxConcurrency(limited({ perSecond: 1000 }));

    // Assess
    expect(concurrency).toBe(1 + Math.ceil((1000 * 2) / 73));
  });

  it('paces a limit by its tightest window: per minute and per day count over hours', () => {
    // Assess
    expect(sustainedRate(limited({ perSecond: 50, perMinute: 1000 }))).toBeCloseTo(1000 / 60);
    expect(sustainedRate(limited({ perSecond: 5, perDay: 8_640 }))).toBeCloseTo(0.1);
  });

  it('paces a document endpoint by the slowest endpoint it calls, whose budget it spends too', () => {
    // Act
    const rate = sustainedRate(docx);

    // Assess: document media's 10,000 calls a day, slower than the blocks' 5/s and whiteboards' 10/s.
    expect(rate).toBeCloseTo(10_000 / 86_400);
  });
});
