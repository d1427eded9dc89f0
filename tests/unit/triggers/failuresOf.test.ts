import type { CompactDocumentAnswer } from '../../../lib/mirror/DocumentAnswer';
import { failuresOf } from '../../../lib/triggers/runInput';

const DOCUMENT_ID = 'doxcnR4mT8wQ2zK6vN1pL9sJ3hF';

/** A document's compact answer: 29,094 of its 30,000 images failed, 905 of them listed. */
const COMPACT: CompactDocumentAnswer = {
  kind: 'docx',
  source: { documentId: DOCUMENT_ID },
  compact: true,
  succeeded: 906,
  failed: 29_094,
  fullAnswer: {
    key: `results/docx/${DOCUMENT_ID}/2026-12-07T10:15:30.123Z-9f2c41ab.json`,
    url: `https://feishu-image-mirror-prod-images.s3.us-east-1.amazonaws.com/results/docx/${DOCUMENT_ID}/x.json`,
    expiresAt: '2026-12-07T10:30:30.123Z',
  },
  failedImages: Array.from({ length: 905 }, (_, n) => {
    const token = `boxcnT7qW2eR9yU4iO1pA6sD${n + 907}`;
    const message = `document media ${token}: not started; the invocation's time ran out (send it again)`;
    return {
      blockId: `doxcn${String(n).padStart(22, '0')}`,
      blockType: 'image',
      token,
      error: { code: 'UPSTREAM_TIMEOUT' as const, message, retryable: true },
    };
  }),
  failedImagesLeftOut: 28_189,
};

describe('Function: failuresOf', () => {
  it("counts a compact document's images by its counts, those left out of its list included", () => {
    // Act
    const failures = failuresOf(COMPACT);

    // Assess
    expect(failures).toEqual({ failed: 29_094, of: 30_000, codes: ['UPSTREAM_TIMEOUT'] });
  });

  it('counts the images of the compact documents of a batch one by one, and its other items', () => {
    // Prepare
    const notFound = { error: { code: 'NOT_FOUND' as const, message: 'docx document doxcnGone: …', retryable: false } };

    // Act
    const failures = failuresOf({ results: [COMPACT, notFound], succeeded: 1, failed: 1 });

    // Assess
    expect(failures).toEqual({ failed: 29_095, of: 30_001, codes: ['UPSTREAM_TIMEOUT', 'NOT_FOUND'] });
  });
});
