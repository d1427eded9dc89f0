import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { rgwClient, rgwTarget } from '../sandbox/rgw/rgwTarget';
import startLogCapture from '../support/logCapture/startLogCapture';

/**
 * Jest's global setup for `npm run test:faults`: stops the run at once, saying how to start
 * RGW, when no gateway answers; starts this run's log capture. A missing gateway fails the proofs, it never skips them.
 */
export default async function requireRgw(): Promise<void> {
  startLogCapture('faults');
  const target = rgwTarget();
  const client = rgwClient(target);
  try {
    await client.send(new ListBucketsCommand({}));
  } catch (error) {
    throw new Error(
      `Ceph RGW at ${target.endpoint} does not answer (${String(error)}): start it with tests/sandbox/rgw/start.sh`,
    );
  } finally {
    client.destroy();
  }
}
