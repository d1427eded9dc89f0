import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/** A JSON value as the emulator takes and gives them. */
type Json = Parameters<StateMachine['run']>[0];
import { containerClients } from '../../lib/clients/containerClients';
import type { ServerlessStateMachine } from '../../stack/stateMachine';
import { lambdaContext } from './lambdaContext';

/** A function as the state machine calls it: its Lambda handler. */
type Handler = (event: unknown, context?: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** What one run of a place's state machine did, as the tests read it. */
export interface PlaceRun {
  /** The state machine's output: the summary. */
  output: unknown;
  /** Invocations of the place's function (its listing steps and the summary). */
  listingSteps: number;
  /** Child executions of the documents' Distributed Map: one a document mirrored. */
  children: number;
  /** Child executions of the whiteboards' Distributed Map: one a batch of whiteboards refreshed. */
  whiteboardBatches: number;
}

/**
 * Runs a place's generated state machine (stack/placeStack.ts) as Step Functions would: the
 * definition itself runs in `aws-local-stepfunctions` (its Task and Choice states, retries,
 * paths and the context object), each Lambda task replaced by the real handler. That emulator
 * runs no Distributed Map, so the `MirrorDocuments` state becomes a task whose local handler
 * does what the Map does, from the state's own fields: reads the ItemReader's JSON Lines from
 * S3, batches them by the ItemBatcher, runs each batch through the ItemProcessor's states
 * (MirrorBatch, and AnswerBatch when its Catch says so), at most MaxConcurrency at once, and
 * writes the ResultWriter's files (`manifest.json`, `SUCCEEDED_0.json`) as Step Functions does.
 * Each listing step has `listingMs` of time, so that a large place takes several.
 *
 * @example
 * const run = await runPlaceStateMachine(parts.stateMachines.wikiSpaceImages, { spaceId }, 'r1', handlers);
 */
export async function runPlaceStateMachine(
  stateMachine: ServerlessStateMachine,
  input: Record<string, unknown>,
  run: string,
  handlers: { place: Handler; documents: Handler; whiteboards?: Handler },
  listingMs = 60_000,
): Promise<PlaceRun> {
  // Copied through JSON, not structuredClone: under jest that makes objects of another realm, which the emulator
  // does not take for plain objects (it would leave their paths unresolved).
  const definition = JSON.parse(JSON.stringify(stateMachine.definition)) as {
    States: Record<string, Record<string, unknown>>;
  };
  // Each Distributed Map becomes a task of the same ResultPath and Next, its work done by the driver.
  const maps = { MirrorDocuments: handlers.documents, RefreshWhiteboards: handlers.whiteboards ?? handlers.documents };
  const mapStates = Object.fromEntries(Object.keys(maps).map((name) => [name, definition.States[name]!]));
  for (const [name, map] of Object.entries(mapStates)) {
    definition.States[name] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      ResultPath: map.ResultPath,
      Next: map.Next,
    };
  }
  const runMap = (name: keyof typeof maps) => async (state: unknown) => {
    const results = await runDistributedMap(mapStates[name]!, state as Record<string, unknown>, maps[name]);
    if (name === 'MirrorDocuments') counts.children += results.children;
    else counts.whiteboardBatches += results.children;
    return results.output;
  };
  const counts = { listingSteps: 0, children: 0, whiteboardBatches: 0 };
  const invokePlace = async (payload: unknown) => {
    counts.listingSteps += 1;
    const step = payload as { Payload: Record<string, unknown> };
    const remaining = step.Payload.summarize === undefined ? listingMs : 60_000;
    return { Payload: await handlers.place(step.Payload, lambdaContext(remaining)) };
  };
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { checkPaths: false, checkArn: false },
  });
  const handlersOf = {
    ListPlace: invokePlace,
    Summarize: invokePlace,
    MirrorDocuments: runMap('MirrorDocuments'),
    RefreshWhiteboards: runMap('RefreshWhiteboards'),
  };
  const options: RunOptions = {
    context: { Execution: { Input: input as Json, Name: run, StartTime: new Date().toISOString() } },
    overrides: {
      taskResourceLocalHandlers: handlersOf as unknown as NonNullable<
        NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']
      >,
      retryIntervalOverrides: { ListPlace: 0, Summarize: 0 },
    },
  };
  const execution = machine.run(input as Json, options);
  return { output: await execution.result, ...counts };
}

/** The Distributed Map's work for one state input: its output, `{ ResultWriterDetails }`, and how many children ran. */
async function runDistributedMap(
  map: Record<string, unknown>,
  input: Record<string, unknown>,
  documents: Handler,
): Promise<{ output: unknown; children: number }> {
  const s3 = containerClients().s3(true);
  const bucket = process.env.IMAGE_BUCKET!;
  const reader = map.ItemReader as { Parameters: Record<string, string> };
  const key = String(input[reader.Parameters['Key.$']!.replace(/^\$\./, '')]);
  const text =
    (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? '';
  const items = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
  const perBatch = (map.ItemBatcher as { MaxItemsPerBatch: number }).MaxItemsPerBatch;
  const batches: unknown[][] = [];
  for (let start = 0; start < items.length; start += perBatch) batches.push(items.slice(start, start + perBatch));
  const processor = map.ItemProcessor as { StartAt: string; States: Record<string, Record<string, unknown>> };
  const results: Record<string, unknown>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      results.push(await runChild(processor, { Items: batch }, documents));
    }
  };
  await Promise.all(Array.from({ length: Math.min(map.MaxConcurrency as number, batches.length) }, worker));
  const prefix = `${(map.ResultWriter as { Parameters: { Prefix: string } }).Parameters.Prefix}${randomUUID()}/`;
  const put = (name: string, body: unknown) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: JSON.stringify(body) }));
  const succeeded = results.filter((result) => result.Status === 'SUCCEEDED');
  const failed = results.filter((result) => result.Status !== 'SUCCEEDED');
  const files: Record<string, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  if (succeeded.length > 0) {
    await put('SUCCEEDED_0.json', succeeded);
    files.SUCCEEDED!.push({ Key: `${prefix}SUCCEEDED_0.json`, Size: 0 });
  }
  if (failed.length > 0) {
    await put('FAILED_0.json', failed);
    files.FAILED!.push({ Key: `${prefix}FAILED_0.json`, Size: 0 });
  }
  await put('manifest.json', { DestinationBucket: bucket, MapRunArn: 'arn:local', ResultFiles: files });
  return {
    output: { MapRunArn: 'arn:local', ResultWriterDetails: { Bucket: bucket, Key: `${prefix}manifest.json` } },
    children: batches.length,
  };
}

/** One child execution: the ItemProcessor's states from StartAt, a Catch leading to its Next. */
async function runChild(
  processor: { StartAt: string; States: Record<string, Record<string, unknown>> },
  input: { Items: unknown[] },
  documents: Handler,
): Promise<Record<string, unknown>> {
  let name: string | undefined = processor.StartAt;
  const record = { Input: JSON.stringify(input) };
  while (name !== undefined) {
    const state: Record<string, unknown> = processor.States[name]!;
    const payload = { ...(state.Parameters as { Payload: Record<string, unknown> }).Payload };
    delete payload['Items.$'];
    try {
      const output = await documents({ ...payload, Items: input.Items }, lambdaContext());
      return { ...record, Output: JSON.stringify(output), Status: 'SUCCEEDED' };
    } catch (error) {
      const errorName = error instanceof Error ? error.name : 'Error';
      const caught = (state.Catch as { ErrorEquals: string[]; Next: string }[] | undefined)?.find((rule) =>
        rule.ErrorEquals.includes(errorName),
      );
      if (caught === undefined) return { ...record, Status: 'FAILED', Error: errorName, Cause: String(error) };
      name = caught.Next;
    }
  }
  return { ...record, Status: 'FAILED', Error: 'States.Runtime' };
}
