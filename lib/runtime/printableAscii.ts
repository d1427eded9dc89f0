/**
 * Whether a value may go into an HTTP header or S3 user metadata as it is: printable ASCII
 * only. Anything else breaks the request's signature on some S3 servers, or the header.
 *
 * @example
 * isPrintableAscii('2026-11-21T08:58:37.329Z'); // true
 */
export function isPrintableAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}
