import { setTimeout as sleep } from 'node:timers/promises';
import { credentialsFromEnvironment, regionFromEnvironment } from './AwsCredentials';
import { isRetryable, type AwsServiceError } from './AwsServiceError';
import { httpRequest, type HttpResponse } from './httpRequest';
import { signRequest } from './signatureV4';

/** One call to an AWS service. */
export interface SignedCall {
  service: string;
  method: string;
  url: URL;
  /** The encoded path exactly as sent, when the URL's would fold `.` or `..` segments away. */
  path?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string | AsyncIterable<Uint8Array>;
  payloadHash: string;
  /** At most this many attempts; a streamed body can be sent once only. */
  attempts?: number;
  /** Rejects an answer longer than this rather than read it. */
  maxBodyBytes?: number;
  /** The service's error in the answer, if it is one (S3 answers some errors with a 200). */
  errorOf: (response: HttpResponse) => AwsServiceError | undefined;
}

/** Attempts per call, as the AWS SDK's standard retry mode. */
export const MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2_000;

/**
 * Signs and sends a call with the environment's credentials, retrying throttling, 5xx answers
 * and broken connections with jittered exponential backoff (each attempt signed afresh).
 * Resolves with the successful answer; rejects with the service's error or the network's.
 *
 * @example
 * const { body } = await sendSigned({ service: 'ssm', method: 'POST', url, body: json, payloadHash: sha256Hex(json), errorOf });
 */
export async function sendSigned(call: SignedCall): Promise<HttpResponse> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const headers = signRequest(
        { method: call.method, url: call.url, path: call.path, headers: call.headers ?? {}, payloadHash: call.payloadHash },
        { service: call.service, region: regionFromEnvironment(), credentials: credentialsFromEnvironment() },
      );
      const response = await httpRequest(call.url, { method: call.method, path: call.path, headers, body: call.body, maxBodyBytes: call.maxBodyBytes });
      const error = call.errorOf(response);
      if (error) throw error;
      return response;
    } catch (error) {
      if (attempt >= (call.attempts ?? MAX_ATTEMPTS) || !isRetryable(error)) throw error;
      await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
    }
  }
}
