import { ImageBodyError } from '../../../lib/image/ImageBodyError';
import { bodyFailure } from '../../../lib/mirror/bodyFailure';

const SUBJECT = 'im image img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';

describe('Function: bodyFailure', () => {
  it.each([
    [
      'broken',
      { bytesRead: 3000 },
      'UPSTREAM_ERROR',
      true,
      `${SUBJECT}: the connection to Feishu broke after 3000 bytes`,
    ],
    [
      'late',
      { bytesRead: 7 },
      'UPSTREAM_TIMEOUT',
      true,
      `${SUBJECT}: Feishu did not finish sending the image in the time the invocation had left`,
    ],
    [
      'short',
      { bytesRead: 1000, expectedLength: 4000 },
      'UPSTREAM_ERROR',
      true,
      `${SUBJECT}: Feishu sent 1000 of the 4000 bytes it announced`,
    ],
    [
      'tooLarge',
      { bytesRead: 2048, maxBytes: 2047 },
      'PAYLOAD_TOO_LARGE',
      false,
      `${SUBJECT}: the image is larger than MAX_IMAGE_BYTES (2047 bytes)`,
    ],
  ] as const)('answers a %s body from Feishu with %j as %s', (problem, details, code, retryable, message) => {
    // Prepare
    const error = new ImageBodyError(problem, details);

    // Act
    const answer = bodyFailure(error, SUBJECT, '20261121085837A1B2C3D4E5F60718293A');

    // Assess
    expect(answer).toMatchObject({ code, retryable, message, logId: '20261121085837A1B2C3D4E5F60718293A' });
    expect(answer.cause).toBe(error);
  });
});
