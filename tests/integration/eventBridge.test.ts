import type { BatchAnswer } from '../../lib/batch/BatchAnswer';
import type { MirrorAnswer } from '../../lib/mirror/MirrorAnswer';
import { handler as imImage } from '../../functions/imImage';
import { handler as whiteboardImage } from '../../functions/whiteboardImage';
import { answerOf } from '../support/batchTypes';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('EventBridge rules and schedules', () => {
  const env = useMirrorEnvironment();
  beforeEach(() => env.setEnv({ SCHEDULED_WHITEBOARD_IDS: undefined }));

  it('runs a batch given as constant input', async () => {
    // Prepare
    const input = loadEvent('eventbridge/schedule-constant-input.json');

    // Act
    const answer = (await whiteboardImage(input, lambdaContext())) as BatchAnswer;

    // Assess
    expect(answer).toMatchObject({ succeeded: 2, failed: 0 });
    expect(env.feishu.count('whiteboard')).toBe(2);
  });

  it("mirrors the payload in a rule event's detail", async () => {
    // Prepare
    const event = loadEvent('eventbridge/rule-detail-payload.json');

    // Act
    const answer = (await whiteboardImage(event, lambdaContext())) as MirrorAnswer;

    // Assess
    expect(answer).toMatchObject({
      kind: 'whiteboard',
      source: { whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' },
      cached: false,
    });
  });

  it("runs the batch in a rule event's detail with its options", async () => {
    // Prepare
    const event = loadEvent('eventbridge/rule-detail-batch.json');

    // Act
    const answer = (await imImage(event, lambdaContext())) as BatchAnswer;

    // Assess
    expect(answer).toMatchObject({ succeeded: 2, failed: 0 });
    expect(answer.results.map((result) => new URL(answerOf(result).url).searchParams.get('X-Amz-Expires'))).toEqual([
      '1200',
      '1200',
    ]);
  });

  it("throws the error's name when a rule's detail names an image that is gone", async () => {
    // Prepare
    const event = loadEvent<{ detail: Record<string, unknown> }>('eventbridge/rule-detail-payload.json');
    event.detail.whiteboardId = 'err-2890003';

    // Act
    const invoked = whiteboardImage(event, lambdaContext());

    // Assess
    await expect(invoked).rejects.toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('refreshes the whiteboards listed in SCHEDULED_WHITEBOARD_IDS on a schedule without input', async () => {
    // Prepare
    env.setEnv({ SCHEDULED_WHITEBOARD_IDS: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg, Xk2PqrTCKhv1bxbxNXAcSWlAbCd' });
    const event = loadEvent('eventbridge/scheduled-event.json');
    await whiteboardImage({ whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' }, lambdaContext());
    env.setEnv({ WHITEBOARD_MAX_AGE_SECONDS: '3600' });
    env.reset();

    // Act
    const answer = (await whiteboardImage(event, lambdaContext())) as BatchAnswer;

    // Assess
    env.setEnv({ WHITEBOARD_MAX_AGE_SECONDS: undefined });
    expect(answer).toMatchObject({ succeeded: 2, failed: 0 });
    expect(answer.results.map((result) => answerOf(result).cached)).toEqual([false, false]);
    expect(env.feishu.count('whiteboard')).toBe(2);
  });

  it('answers MISCONFIGURED, naming the setting, when the schedule runs with no ids set', async () => {
    // Prepare
    const event = loadEvent('eventbridge/scheduled-event.json');

    // Act
    const invoked = whiteboardImage(event, lambdaContext());

    // Assess
    await expect(invoked).rejects.toMatchObject({
      name: 'MisconfiguredError',
      message: expect.stringContaining('SCHEDULED_WHITEBOARD_IDS'),
    });
  });

  it('refuses a schedule without input on a function that has no scheduled ids', async () => {
    // Prepare
    const event = loadEvent('eventbridge/scheduled-event.json');

    // Act
    const invoked = imImage(event, lambdaContext());

    // Assess
    await expect(invoked).rejects.toMatchObject({
      name: 'InvalidRequestError',
      message: expect.stringContaining('give the schedule a payload or a batch as its input'),
    });
    expect(env.feishu.count()).toBe(0);
  });
});
