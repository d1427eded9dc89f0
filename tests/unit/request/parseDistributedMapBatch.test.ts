import { im, whiteboard } from '../../../lib/endpoints';
import { MirrorError } from '../../../lib/errors/MirrorError';
import {
  DISTRIBUTED_MAP_MAX_ITEMS,
  isDistributedMapBatch,
  parseDistributedMapBatch,
} from '../../../lib/request/parseDistributedMapBatch';
import { loadEvent } from '../../support/loadEvent';
import { testSettings } from '../helpers/testSettings';
import { thrownBy } from '../helpers/thrownBy';

const settings = testSettings();

describe('Function: parseDistributedMapBatch', () => {
  it("reads each item under BatchInput's options, an item's own option winning", () => {
    // Prepare
    const batch = loadEvent('distributed-map/im-batch-input.json');

    // Act
    const { entries, retryableItems } = parseDistributedMapBatch(batch, im, settings);

    // Assess
    expect(retryableItems).toBe('answer');
    expect(entries).toEqual([
      expect.objectContaining({
        source: { imageKey: 'img_v3_02ab_8f2d1c0e6b' },
        expiresInSeconds: 3600,
        download: true,
      }),
      expect.objectContaining({
        source: { imageKey: 'img_v3_02ab_0c9e7d1f2a' },
        expiresInSeconds: 600,
        download: true,
      }),
      expect.objectContaining({
        source: { imageKey: 'img_v3_02ab_3b6f1a9e4c' },
        expiresInSeconds: 3600,
        download: false,
      }),
    ]);
  });

  it("reads the state machine's batch, which asks to throw for items left retryable", () => {
    // Act
    const { entries, retryableItems } = parseDistributedMapBatch(
      loadEvent('distributed-map/whiteboard-state-machine-batch.json'),
      whiteboard,
      settings,
    );

    // Assess
    expect(retryableItems).toBe('throw');
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ expiresInSeconds: settings.presignExpiresSeconds });
  });

  it('reads a batch without BatchInput with the default options', () => {
    // Act
    const { entries, retryableItems } = parseDistributedMapBatch({ Items: [{ imageKey: 'img_v3_01' }] }, im, settings);

    // Assess
    expect(retryableItems).toBe('answer');
    expect(entries).toEqual([expect.objectContaining({ refresh: false, download: false, expiresInSeconds: 900 })]);
  });

  it('fails a bad item alone, naming it', () => {
    // Act
    const { entries } = parseDistributedMapBatch({ Items: [{ imageKey: 'img_v3_01' }, { size: 3 }] }, im, settings);

    // Assess
    expect(entries[0]).not.toBeInstanceOf(MirrorError);
    expect((entries[1] as MirrorError).message).toMatch(/^item 2: unknown field 'size'/);
  });

  it.each([
    [{ Items: { imageKey: 'a' } }, 'Items must be an array of payloads, not an object'],
    [{ Items: [], ItemSelector: {} }, "unknown Distributed Map batch field 'ItemSelector'; expected Items, BatchInput"],
    [{ Items: [], BatchInput: [] }, 'BatchInput must be an object of options, not an array'],
    [
      { Items: [], BatchInput: { manifest: 'requests/im/state-machine/a.jsonl' } },
      "unknown BatchInput field 'manifest'; expected refresh, expiresIn, download, retryableItems",
    ],
    [{ Items: [], BatchInput: { retryableItems: 'retry' } }, 'BatchInput.retryableItems must be answer or throw'],
    [
      { Items: [], BatchInput: { expiresIn: 0 } },
      'expiresIn must be a whole number of seconds from 1 to 3600 (PRESIGN_MAX_SECONDS)',
    ],
  ])('refuses %j as a whole with INVALID_REQUEST', (batch, message) => {
    // Act
    const error = thrownBy(() => parseDistributedMapBatch(batch, im, settings));

    // Assess
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', message });
  });

  it('refuses a batch whose answer Step Functions could not carry, saying how large a batch may be', () => {
    // Prepare
    const items = Array.from({ length: DISTRIBUTED_MAP_MAX_ITEMS + 1 }, (_, i) => ({ imageKey: `img_v3_${i}` }));

    // Act
    const error = thrownBy(() => parseDistributedMapBatch({ Items: items }, im, settings));

    // Assess
    expect(error).toMatchObject({
      code: 'INVALID_REQUEST',
      message:
        'the batch has 74 items; at most 73 are answered in one Distributed Map batch, ' +
        "whose answer Step Functions carries up to 256 KiB; set the ItemBatcher's MaxItemsPerBatch to at most 73",
    });
  });
});

describe('Function: isDistributedMapBatch', () => {
  it.each([
    [{ Items: [] }, true],
    [{ items: [] }, false],
    [{ imageKey: 'Items' }, false],
    [[{ Items: [] }], false],
  ])('tells %j apart', (input, expected) => {
    // Assess
    expect(isDistributedMapBatch(input)).toBe(expected);
  });
});
