import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets in constant time, so the sandbox never models the timing leak that
 * real code must avoid.
 *
 * @example
 * sameText(body.app_secret, appSecret); // true or false
 */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
