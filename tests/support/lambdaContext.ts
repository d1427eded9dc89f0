import type { Context } from 'aws-lambda';

/**
 * A Lambda context as the runtime passes it, with a clock: `remainingMs` counts down from
 * the moment the context is made, as the real one does.
 */
export function lambdaContext(remainingMs = 60_000, functionName = 'feishu-image-mirror-dev-test'): Context {
  const endsAt = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `c6af9ac6-7b61-11e6-9a41-${Math.floor(Math.random() * 1e12)
      .toString()
      .padStart(12, '0')}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/21/[$LATEST]2d5a0e6e5b1d4c4f9c1c2f4b7a3e9d10',
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
