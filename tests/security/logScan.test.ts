import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanLogs } from '../support/logCapture/scanCapturedLogs';

const CLEAN =
  '{"level":"INFO","message":"image mirrored","service":"feishu-image-mirror","kind":"im",' +
  '"key":"feishu/im/img_v3_02ab_8f2d1c0e6b","cached":false,"containerTokenRequests":1}';

describe('The scan of the logs captured across the suite', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'feishu-image-mirror-logscan-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('finds nothing in the lines the functions write', () => {
    // Prepare
    writeFileSync(join(directory, '1.jsonl'), `${CLEAN}\n${CLEAN}\n`);

    // Act
    const scan = scanLogs(directory);

    // Assess
    expect(scan).toEqual({ files: 1, lines: 2, leaks: [], droppedKeys: [] });
  });

  it('finds the line where the logger dropped a key it reserves', () => {
    // Prepare
    const dropped =
      '{"level":"WARN","message":"The key \\"message\\" is a reserved key and will be dropped.",' +
      '"service":"feishu-image-mirror","timestamp":"2026-12-07T09:30:00.000Z"}';
    writeFileSync(join(directory, '3.jsonl'), `${CLEAN}\n${dropped}\n`);

    // Act
    const scan = scanLogs(directory);

    // Assess
    expect(scan.droppedKeys).toEqual([{ file: '3.jsonl', line: dropped }]);
    expect(scan.leaks).toEqual([]);
  });

  it.each([
    ['a setting holding a secret', '{"leakedSettings":["FEISHU_APP_SECRET"],"line":"…"}'],
    ["the Feishu sandbox's app secret", '"cause":"app_secret=sandbox-app-secret-0000 rejected"'],
    ["the Feishu sandbox's helpdesk token", '"cause":"sandbox-helpdesk-token-0000"'],
    ['a tenant access token', `"cause":"Bearer t-${'a1b2'.repeat(10)}"`],
    ['a user access token', '"cause":"u-7fZq2kLmN0pR4sT6vX8yA1bC3d"'],
    ["a presigned URL's signature", '"url":"https://b.s3.amazonaws.com/k?X-Amz-Signature=9760819c8888bb04"'],
  ])('finds %s', (what, leak) => {
    // Prepare
    writeFileSync(
      join(directory, '2.jsonl'),
      `${CLEAN}\n${CLEAN.replace('"cached":false', `${leak},"cached":false`)}\n`,
    );

    // Act
    const scan = scanLogs(directory);

    // Assess
    expect(scan.leaks.map((found) => found.what)).toEqual([what]);
  });
});
