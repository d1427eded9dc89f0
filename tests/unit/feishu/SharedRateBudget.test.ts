import type { CounterTable } from '../../../lib/clients/Clients';
import type { LimiterClock } from '../../../lib/feishu/FeishuRateLimiter';
import { SharedRateBudget } from '../../../lib/feishu/SharedRateBudget';
import { Deadline } from '../../../lib/runtime/Deadline';
import { logger } from '../../../lib/runtime/logger';
import { memoryCounterTable } from '../helpers/memoryCounterTable';
import { rejectionOf } from '../helpers/thrownBy';

const APP = 'https://open.feishu.cn|cli_a1b2c3d4e5f6a7b8';
const IM = { perSecond: 50, perMinute: 1000 };
/** 2026-12-01T12:00:00.000Z: a whole minute, so tests place calls in its seconds. */
const MINUTE_START = Date.parse('2026-12-01T12:00:00.000Z');

/**
 * A clock whose sleeps pass at once, moving its time on once the calls already let go have seen
 * the time they were let go at; one invocation sleeps at a time in these tests.
 */
function simulatedClock(time: number): LimiterClock & { time: number } {
  const clock = {
    time,
    now: () => clock.time,
    sleep: async (ms: number) => {
      await new Promise(setImmediate);
      clock.time += ms;
    },
  };
  return clock;
}

/** Takes `calls` slots at once and answers when each call could be sent. */
async function sendTimes(
  budget: SharedRateBudget,
  clock: { time: number },
  calls: number,
  limit = IM,
): Promise<number[]> {
  const endpoint = budget.endpoint('im', limit);
  const deadline = new Deadline(60_000);
  return Promise.all(
    Array.from({ length: calls }, (_, i) => endpoint.take(deadline, `im image img_v3_${i}`).then(() => clock.time)),
  );
}

/** How many of the times fall in each whole window of `ms`. */
function perWindow(times: readonly number[], ms: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const time of times) counts.set(Math.floor(time / ms), (counts.get(Math.floor(time / ms)) ?? 0) + 1);
  return counts;
}

describe('Class: SharedRateBudget', () => {
  afterEach(() => jest.restoreAllMocks());

  it("grants two invocations together no more than a second's limit, and the rest in the next second", async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    const first = new SharedRateBudget(table, APP, { clock });
    const second = new SharedRateBudget(table, APP, { clock });

    // Act
    const times = [...(await sendTimes(first, clock, 30)), ...(await sendTimes(second, clock, 30))];

    // Assess
    expect([...perWindow(times, 1000).values()]).toEqual([50, 10]);
  });

  it('reserves the slots of several waiting calls in one request', async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);

    // Act
    await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 13);

    // Assess
    expect(table.updates).toEqual([
      {
        key: `${APP}|im|60000|${MINUTE_START / 60_000}`,
        counts: { s0: 13, m: 13 },
        expiresAt: MINUTE_START / 1000 + 3660,
      },
    ]);
  });

  it('sends nothing in the last 150 ms of a second, where a call could reach Feishu in the next one', async () => {
    // Prepare
    const clock = simulatedClock(MINUTE_START + 900);

    // Act
    const [sentAt] = await sendTimes(new SharedRateBudget(memoryCounterTable(), APP, { clock }), clock, 1);

    // Assess
    expect(sentAt).toBe(MINUTE_START + 1000);
  });

  it('waits for the next minute once the minute is spent across invocations', async () => {
    // Prepare
    const table = memoryCounterTable();
    table.items.set(`${APP}|im|60000|${MINUTE_START / 60_000}`, { m: 995 });
    const clock = simulatedClock(MINUTE_START + 100);

    // Act
    const times = await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 10);

    // Assess
    expect(perWindow(times, 60_000)).toEqual(
      new Map([
        [MINUTE_START / 60_000, 5],
        [MINUTE_START / 60_000 + 1, 5],
      ]),
    );
  });

  it('gives back the minute slots counted in a second that was already full', async () => {
    // Prepare
    const table = memoryCounterTable();
    const minuteKey = `${APP}|im|60000|${MINUTE_START / 60_000}`;
    table.items.set(minuteKey, { s0: 50, m: 300 });
    const clock = simulatedClock(MINUTE_START + 100);

    // Act
    await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 5);

    // Assess
    expect(table.items.get(minuteKey)).toMatchObject({ s0: 55, s1: 5, m: 305 });
  });

  it("reserves the next second's slots while this one is full, so that its calls go as it starts", async () => {
    // Prepare
    const memory = memoryCounterTable();
    memory.items.set(`${APP}|im|60000|${MINUTE_START / 60_000}`, { s0: 50, m: 50 });
    const clock = simulatedClock(MINUTE_START + 100);
    const askedAt: { counts: Readonly<Record<string, number>>; at: number }[] = [];
    const table: CounterTable = {
      add: (update, expiresAt, signal) => {
        askedAt.push({ counts: update.counts, at: clock.time });
        return memory.add(update, expiresAt, signal);
      },
    };

    // Act
    const [sentAt] = await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 1);

    // Assess
    expect(sentAt).toBe(MINUTE_START + 1000);
    expect(askedAt.filter(({ counts }) => 's1' in counts)).toEqual([
      { counts: { s1: 1, m: 1 }, at: MINUTE_START + 100 },
    ]);
  });

  it('voids the slots of an answer that came within the guard band, and gives their minute back', async () => {
    // Prepare
    const memory = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 700);
    // The first answer takes 200 ms, arriving at 900 ms: too late to send in its second.
    let slow = true;
    const table: CounterTable = {
      add: async (update, expiresAt, signal) => {
        if (slow) clock.time += 200;
        slow = false;
        return memory.add(update, expiresAt, signal);
      },
    };

    // Act
    const [sentAt] = await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 1);

    // Assess
    expect(sentAt).toBe(MINUTE_START + 1000);
    expect(memory.items.get(`${APP}|im|60000|${MINUTE_START / 60_000}`)).toEqual({ s0: 1, s1: 1, m: 1 });
  });

  it("answers RATE_LIMITED once the day's calls of every invocation together reach the daily quota", async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    const media = { perSecond: 5, perDay: 3 };
    const first = new SharedRateBudget(table, APP, { clock }).endpoint('drive-media', media);
    const second = new SharedRateBudget(table, APP, { clock }).endpoint('drive-media', media);
    const deadline = new Deadline(5000);
    await Promise.all([first.take(deadline, 'drive media boxcn1'), first.take(deadline, 'drive media boxcn2')]);
    await second.take(deadline, 'drive media boxcn3');

    // Act
    const error = await rejectionOf(second.take(deadline, 'drive media boxcn4'));

    // Assess
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: false });
    expect(error.message).toContain("the endpoint's daily quota of 3 calls is used up");
  });

  it("answers RATE_LIMITED for every invocation once one was told the day's quota is used up", async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    const media = { perSecond: 5, perDay: 10_000 };
    new SharedRateBudget(table, APP, { clock }).endpoint('drive-media', media).quotaUsedUp();
    const other = new SharedRateBudget(table, APP, { clock }).endpoint('drive-media', media);

    // Act
    const error = await rejectionOf(other.take(new Deadline(5000), 'drive media boxcn1'));

    // Assess
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: false });
  });

  it("turns a call away at once when its second's turn would come after the invocation's deadline", async () => {
    // Prepare
    const clock = simulatedClock(MINUTE_START + 900);
    const endpoint = new SharedRateBudget(memoryCounterTable(), APP, { clock }).endpoint('im', IM);

    // Act
    const error = await rejectionOf(endpoint.take(new Deadline(50), 'im image img_v3_late'));

    // Assess
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  });

  it('falls back to the invocation alone when the table fails, with one warning for the invocation', async () => {
    // Prepare
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let requests = 0;
    const failing: CounterTable = {
      add: async () => {
        requests += 1;
        throw Object.assign(new Error('Throughput exceeds the current capacity of your table.'), {
          name: 'ProvisionedThroughputExceededException',
        });
      },
    };
    const budget = new SharedRateBudget(failing, APP, { clock: simulatedClock(MINUTE_START + 100) });
    const deadline = new Deadline(5000);

    // Act
    await budget.endpoint('im', IM).take(deadline, 'im image img_v3_01');
    await budget.endpoint('whiteboard', { perSecond: 10 }).take(deadline, 'whiteboard thumbnail wb1');

    // Assess
    expect(budget.fellBack).toBe(true);
    expect(requests).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      'shared rate budget unavailable',
      expect.objectContaining({ setting: 'RATE_LIMIT_TABLE', errorName: 'ProvisionedThroughputExceededException' }),
    );
  });

  it('falls back when the table does not answer within its timeout', async () => {
    // Prepare
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const silent: CounterTable = {
      add: (_update, _expiresAt, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    };
    const budget = new SharedRateBudget(silent, APP, { clock: simulatedClock(MINUTE_START + 100), timeoutMs: 50 });

    // Act
    await budget.endpoint('im', IM).take(new Deadline(5000), 'im image img_v3_01');

    // Assess
    expect(budget.fellBack).toBe(true);
  });
});
