import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handler as imImage } from '../../functions/imImage';
import { FUNCTIONS, payloadFor } from '../support/handlers';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('SQS messages', () => {
  const env = useMirrorEnvironment();

  it('mirrors a payload message and a batch message and reports no failure', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs/im-messages.json');

    // Act
    const answer = await imImage(event, lambdaContext());

    // Assess
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(await env.keys()).toEqual(
      expect.arrayContaining([
        'feishu/im/img_v3_02ab_sqs_payload',
        'feishu/im/img_v3_02ab_sqs_batch_1',
        'feishu/im/img_v3_02ab_sqs_batch_2',
      ]),
    );
  });

  it('reports exactly the messages that are invalid or hold a failed item, and still runs the others', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs/im-failing-message.json');

    // Act
    const answer = (await imImage(event, lambdaContext())) as SQSBatchResponse;

    // Assess
    expect(answer.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      '2e1424d4-f796-459a-8184-9c92662be6da',
      '7b2a9c1e-4f3d-4e8a-9b6c-1d2e3f4a5b6c',
    ]);
    expect(await env.keys()).toEqual(
      expect.arrayContaining([
        'feishu/im/img_v3_02ab_sqs_good',
        'feishu/im/img_v3_02ab_sqs_ok',
        'feishu/im/img_v3_02ab_sqs_last',
      ]),
    );
  });

  it('lists every message when all of them fail, rather than failing the whole invocation', async () => {
    // Prepare
    const event = loadEvent<SQSEvent>('sqs/im-messages.json');
    for (const record of event.Records) record.body = JSON.stringify({ imageKey: 'err-234005' });

    // Act
    const answer = (await imImage(event, lambdaContext())) as SQSBatchResponse;

    // Assess
    expect(answer.batchItemFailures).toHaveLength(2);
  });

  it.each(FUNCTIONS.map((f) => [f.endpoint.functionName, f] as const))(
    '%s takes its payloads from SQS too',
    async (_, { endpoint, handler }) => {
      // Prepare
      const event = loadEvent<SQSEvent>('sqs/im-messages.json');
      event.Records = event.Records.slice(0, 1);
      event.Records[0]!.body = JSON.stringify(payloadFor(endpoint, 'sqs_each'));

      // Act
      const answer = await handler(event, lambdaContext());

      // Assess
      expect(answer).toEqual({ batchItemFailures: [] });
      expect(env.feishu.requests.filter((request) => request.endpoint !== 'token')).toHaveLength(1);
    },
  );
});
