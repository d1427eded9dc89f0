import { containerClients } from '../../../lib/clients/containerClients';

describe('Function: containerClients', () => {
  it('builds one S3 client per path style for the container, reused by every invocation', () => {
    // Act
    const first = containerClients().s3(true);
    const again = containerClients().s3(true);
    const virtualHosted = containerClients().s3(false);

    // Assess
    expect(again).toBe(first);
    expect(virtualHosted).not.toBe(first);
  });

  it("gives the SDK's standard retry mode with three attempts and follows region redirects", async () => {
    // Act
    const { config } = containerClients().s3(false);

    // Assess
    expect(await config.maxAttempts()).toBe(3);
    expect(((await config.retryStrategy()) as { mode?: string }).mode).toBe('standard');
    expect(config.followRegionRedirects).toBe(true);
  });

  it('keeps one SSM parameter store for the container, so its cache lasts across invocations', async () => {
    // Act
    const store = await containerClients().parameters();
    const again = await containerClients().parameters();

    // Assess
    expect(again).toBe(store);
  });
});
