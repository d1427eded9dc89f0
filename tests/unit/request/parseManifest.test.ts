import { im, whiteboard } from '../../../lib/endpoints';
import { MirrorError } from '../../../lib/errors/MirrorError';
import { parseManifest } from '../../../lib/request/parseManifest';
import { testSettings } from '../helpers/testSettings';
import { thrownBy } from '../helpers/thrownBy';

const settings = testSettings();

describe('Function: parseManifest', () => {
  it('reads JSON Lines with CRLF endings and blank lines, one entry per line that holds something', () => {
    // Act
    const entries = parseManifest(
      '{"imageKey":"a"}\r\n\r\n  \n{"imageKey":"b","refresh":true}\r\n',
      'export.ndjson',
      im,
      settings,
    );

    // Assess
    expect(entries).toEqual([
      expect.objectContaining({ source: { imageKey: 'a' }, refresh: false }),
      expect.objectContaining({ source: { imageKey: 'b' }, refresh: true }),
    ]);
  });

  it('names the line of each bad entry, counting blank lines', () => {
    // Act
    const entries = parseManifest(
      '{"imageKey":"a"}\n\n{"imageKey":\n["b"]\n{"imageKey":"c","userAccessToken":"u-1"}\n',
      'export.JSONL',
      im,
      settings,
    );

    // Assess
    expect(entries.map((entry) => (entry instanceof MirrorError ? entry.message : 'ok'))).toEqual([
      'ok',
      'line 3: not valid JSON; each line must hold one payload',
      'line 4: the payload must be a JSON object with imageKey, not an array',
      "line 5: userAccessToken is not accepted here: the im image API takes only the app's tenant token",
    ]);
  });

  it('reads any other name as one batch, whose options reach every item', () => {
    // Act
    const entries = parseManifest(
      '{"items":[{"whiteboardId":"wb1"},{"whiteboardId":"wb2","expiresIn":60}],"expiresIn":120}',
      'boards.json',
      whiteboard,
      settings,
    );

    // Assess
    expect(entries).toEqual([
      expect.objectContaining({ source: { whiteboardId: 'wb1' }, expiresInSeconds: 120 }),
      expect.objectContaining({ source: { whiteboardId: 'wb2' }, expiresInSeconds: 60 }),
    ]);
  });

  it.each([
    ['', 'the manifest is not valid JSON'],
    ['{"whiteboardId":"wb1"}', 'a .json manifest must be a batch, {"items": [...]}, not an object without items'],
    ['{"items":[],"after":"x"}', "unknown batch field 'after'"],
  ])('refuses the batch manifest %j as a whole', (text, message) => {
    // Act
    const thrown = thrownBy(() => parseManifest(text, 'boards.json', whiteboard, settings));

    // Assess
    expect(thrown).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining(message) });
  });
});
