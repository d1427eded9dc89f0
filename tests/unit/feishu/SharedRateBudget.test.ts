import type { CounterTable } from '../../../lib/clients/Clients';
import type { LimiterClock } from '../../../lib/feishu/FeishuRateLimiter';
import { SharedRateBudget } from '../../../lib/feishu/SharedRateBudget';
import { Deadline } from '../../../lib/runtime/Deadline';
import { logger } from '../../../lib/runtime/logger';
import { MetricTally } from '../../../lib/metrics/MetricTally';
import { memoryCounterTable } from '../helpers/memoryCounterTable';
import { rejectionOf } from '../helpers/thrownBy';
import { busiestSpan } from '../../support/busiestSpan';

const APP = 'https://open.feishu.cn|cli_a1b2c3d4e5f6a7b8';
const IM = { perSecond: 50, perMinute: 1000 };
/** 2026-12-01T12:00:00.000Z: a whole minute, so tests place calls in its seconds. */
const MINUTE_START = Date.parse('2026-12-01T12:00:00.000Z');

/**
 * A clock whose sleeps pass at once, in the order they end: each ends on a turn of the event loop
 * of its own, once the calls already let go have seen the time they were let go at, and moves
 * the time on to its end. Several invocations may sleep at once.
 */
function simulatedClock(time: number): LimiterClock & { time: number } {
  const timers: { at: number; resolve(): void }[] = [];
  const fire = () => {
    timers.sort((a, b) => a.at - b.at);
    const timer = timers.shift();
    if (timer === undefined) return;
    clock.time = Math.max(clock.time, timer.at);
    timer.resolve();
  };
  const clock = {
    time,
    now: () => clock.time,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ at: clock.time + ms, resolve });
        setImmediate(fire);
      }),
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

/** The gaps between consecutive times, in order. */
const gapsOf = (times: readonly number[]): number[] => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((time, i) => time - sorted[i]!);
};

/** The item holding an endpoint's schedule. */
const PACE_KEY = `${APP}|im|pace`;
/** im's interval: 1000 calls in 61 s (paceOf). */
const IM_INTERVAL_MS = 61;

describe('Class: SharedRateBudget', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives two invocations at once slots of one schedule, one interval apart, never the same one', async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    const first = new SharedRateBudget(table, APP, { clock });
    const second = new SharedRateBudget(table, APP, { clock });

    // Act
    const times = (await Promise.all([sendTimes(first, clock, 60), sendTimes(second, clock, 60)])).flat();

    // Assess
    expect(new Set(times).size).toBe(120);
    expect(Math.min(...gapsOf(times))).toBeGreaterThanOrEqual(IM_INTERVAL_MS);
    expect(Math.max(...gapsOf(times))).toBeLessThan(2 * IM_INTERVAL_MS);
  });

  it('keeps every span of a second and of a minute within the limits across three invocations', async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    const budgets = Array.from({ length: 3 }, () => new SharedRateBudget(table, APP, { clock }));

    // Act
    const times = (await Promise.all(budgets.map((budget) => sendTimes(budget, clock, 500)))).flat();

    // Assess
    expect(busiestSpan(times, 1000)).toBeLessThanOrEqual(50);
    expect(busiestSpan(times, 60_000)).toBeLessThanOrEqual(1000);
    expect(busiestSpan(times, 60_000)).toBeGreaterThanOrEqual(950);
  });

  it('reserves the slots of several waiting calls in one request, from now when the schedule idles', async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);

    // Act
    await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 13);

    // Assess
    expect(table.moves).toEqual([
      {
        move: { key: PACE_KEY, name: 't', to: MINUTE_START + 100 + 13 * IM_INTERVAL_MS, ifBelow: MINUTE_START + 100 },
        expiresAt: Math.ceil((MINUTE_START + 100 + 13 * IM_INTERVAL_MS) / 1000) + 3600,
        moved: true,
      },
    ]);
  });

  it('sends fewer requests to the table than calls to Feishu', async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    const budget = new SharedRateBudget(table, APP, { clock });

    // Act
    await sendTimes(budget, clock, 200);

    // Assess
    expect(budget.requests).toBeLessThanOrEqual(200 / 10);
  });

  it('keeps its blocks whole while a batch keeps ten calls waiting, one request for each block', async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    const budget = new SharedRateBudget(table, APP, { clock });
    const whiteboards = budget.endpoint('whiteboard', { perSecond: 10 });
    const deadline = new Deadline(60_000);
    let next = 0;
    // As a batch runs: ten items at once, the next one taking its turn as soon as one is sent.
    const worker = async (): Promise<void> => {
      while (next < 90) {
        next += 1;
        await whiteboards.take(deadline, `whiteboard thumbnail wb${next}`);
      }
    };

    // Act
    await Promise.all(Array.from({ length: 10 }, worker));

    // Assess
    expect(budget.requests).toBeLessThanOrEqual(90 / 9 + 2);
  });

  it('takes its slots after those another invocation holds, from where it left the schedule', async () => {
    // Prepare
    const table = memoryCounterTable();
    table.items.set(PACE_KEY, { t: MINUTE_START + 5000 });
    const clock = simulatedClock(MINUTE_START + 100);

    // Act
    const times = await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 3);

    // Assess
    expect(times).toEqual([0, 1, 2].map((i) => MINUTE_START + 5000 + i * IM_INTERVAL_MS));
    expect(table.items.get(PACE_KEY)).toEqual({ t: MINUTE_START + 5000 + 3 * IM_INTERVAL_MS });
  });

  it('starts the schedule again from now when it stands in the past, whatever the invocation last saw', async () => {
    // Prepare
    const table = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    const budget = new SharedRateBudget(table, APP, { clock });
    await sendTimes(budget, clock, 1);
    clock.time += 30_000;

    // Act
    const [sentAt] = await sendTimes(budget, clock, 1);

    // Assess
    expect(sentAt).toBe(clock.time);
    expect(table.moves.map(({ moved }) => moved)).toEqual([true, true]);
  });

  it('voids a slot the invocation reached too late for it, and sends the call at a later one', async () => {
    // Prepare
    const memory = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    // The first answer takes 700 ms: the slot it grants has passed by more than half a second.
    let slow = true;
    const table: CounterTable = {
      add: (update, expiresAt, signal) => memory.add(update, expiresAt, signal),
      move: async (move, expiresAt, signal) => {
        const moved = await memory.move(move, expiresAt, signal);
        if (slow) clock.time += 700;
        slow = false;
        return moved;
      },
    };

    // Act
    const [sentAt] = await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 1);

    // Assess
    expect(sentAt).toBeGreaterThanOrEqual(MINUTE_START + 100 + 700);
    expect(memory.moves.length).toBeGreaterThanOrEqual(2);
  });

  it('paces the invocation on its own once the table failed, from the slot after its last one', async () => {
    // Prepare
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const memory = memoryCounterTable();
    const clock = simulatedClock(MINUTE_START + 100);
    let moves = 0;
    const table: CounterTable = {
      add: (update, expiresAt, signal) => memory.add(update, expiresAt, signal),
      move: async (move, expiresAt, signal) => {
        moves += 1;
        if (moves > 1) throw Object.assign(new Error('Throughput exceeded'), { name: 'ThrottlingException' });
        return memory.move(move, expiresAt, signal);
      },
    };

    // Act
    const times = await sendTimes(new SharedRateBudget(table, APP, { clock }), clock, 40);

    // Assess
    expect(Math.min(...gapsOf(times))).toBeGreaterThanOrEqual(IM_INTERVAL_MS);
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

  it("turns a call away at once when its slot would come after the invocation's deadline", async () => {
    // Prepare
    const table = memoryCounterTable();
    table.items.set(PACE_KEY, { t: MINUTE_START + 5000 });
    const clock = simulatedClock(MINUTE_START + 100);
    const endpoint = new SharedRateBudget(table, APP, { clock }).endpoint('im', IM);

    // Act
    const error = await rejectionOf(endpoint.take(new Deadline(50), 'im image img_v3_late'));

    // Assess
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  });

  it('falls back to the invocation alone when the table fails, with one warning for the invocation', async () => {
    // Prepare
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let requests = 0;
    const fail = async (): Promise<never> => {
      requests += 1;
      throw Object.assign(new Error('Throughput exceeds the current capacity of your table.'), {
        name: 'ProvisionedThroughputExceededException',
      });
    };
    const failing: CounterTable = { add: fail, move: fail };
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
    const never = (signal: AbortSignal): Promise<never> =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const silent: CounterTable = {
      add: (_update, _expiresAt, signal) => never(signal),
      move: (_move, _expiresAt, signal) => never(signal),
    };
    const budget = new SharedRateBudget(silent, APP, { clock: simulatedClock(MINUTE_START + 100), timeoutMs: 50 });

    // Act
    await budget.endpoint('im', IM).take(new Deadline(5000), 'im image img_v3_01');

    // Assess
    expect(budget.fellBack).toBe(true);
  });

  it("counts its falling back once in the invocation's metrics as SharedBudgetFallbacks", async () => {
    // Prepare
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const fail = async (): Promise<never> => {
      throw new Error('connect ECONNREFUSED');
    };
    const metrics = new MetricTally();
    const budget = new SharedRateBudget({ add: fail, move: fail }, APP, {
      clock: simulatedClock(MINUTE_START + 100),
      metrics,
    });
    const deadline = new Deadline(5000);

    // Act
    await budget.endpoint('im', IM).take(deadline, 'im image img_v3_01');
    await budget.endpoint('whiteboard', { perSecond: 10 }).take(deadline, 'whiteboard thumbnail wb1');

    // Assess
    expect(metrics.groups()).toEqual([
      { dimensions: {}, metrics: [{ name: 'SharedBudgetFallbacks', unit: 'Count', values: [1] }] },
    ]);
  });
});
