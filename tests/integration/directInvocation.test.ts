import { createHash } from 'node:crypto';
import { pngForId } from '../sandbox/feishu';
import { FUNCTIONS, payloadFor } from '../support/handlers';
import { lambdaContext } from '../support/lambdaContext';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

describe('Direct invocation of every function', () => {
  const env = useMirrorEnvironment();

  it.each(FUNCTIONS.map((f) => [f.endpoint.functionName, f] as const))(
    '%s stores the image and answers with a working presigned URL',
    async (_, { endpoint, handler }) => {
      // Prepare
      const id = `direct_${endpoint.kind.replace('-', '_')}_1`;
      const expected = pngForId(id);

      // Act
      const answer = await handler(payloadFor(endpoint, id), lambdaContext());

      // Assess
      const fetched = await fetch((answer as { url: string }).url);
      const bytes = Buffer.from(await fetched.arrayBuffer());
      expect(answer).toMatchObject({
        kind: endpoint.kind,
        bucket: env.bucket,
        contentType: 'image/png',
        size: expected.length,
        sha256: createHash('sha256').update(expected).digest('hex'),
        cached: false,
      });
      expect(fetched.status).toBe(200);
      expect(bytes.equals(expected)).toBe(true);
      expect(fetched.headers.get('content-disposition')).toBe(`inline; filename="${id}.png"`);
    },
  );
});
