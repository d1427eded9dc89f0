import { randomBytes } from 'node:crypto';

let counter = 0;

/**
 * A fresh `X-Tt-Logid`, shaped like the platform's: a UTC `YYYYMMDDHHMMSS` stamp, then
 * upper-case hex. A process-wide counter makes every id unique even within one second.
 *
 * @example
 * newLogId(); // '20261121084512000001A3F09C1B2E4D7F'
 */
export function newLogId(now: Date = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:T]/g, '');
  counter = (counter + 1) % 0x1000000;
  const sequence = counter.toString(16).padStart(6, '0');
  return `${stamp}${sequence}${randomBytes(7).toString('hex')}`.toUpperCase();
}
