import { MirrorError } from '../errors/MirrorError';
import type { Transport } from '../request/detectTransport';

/** An HTTP request as the receiver reads it: the body's bytes as sent, and the headers by lower-case name. */
export interface RawRequest {
  method: string;
  body: Buffer;
  headers: Readonly<Record<string, string>>;
}

interface HttpEventFields {
  body?: string | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined> | null;
  httpMethod?: string;
  requestContext?: { http?: { method?: string } };
}

/**
 * The request of an API Gateway (REST or HTTP API) or Function URL event, the body exactly as
 * the sender sent it: base64-decoded when the event says so, else the UTF-8 bytes of the text
 * (never parsed and serialised again: the signature covers these bytes). A body larger than
 * `maxBytes` is refused as PAYLOAD_TOO_LARGE before it is decoded.
 *
 * @example
 * const request = readEventRequest(event, 'rest', 1024 * 1024);
 */
export function readEventRequest(
  event: unknown,
  transport: Exclude<Transport, 'direct'>,
  maxBytes: number,
): RawRequest {
  const fields = event as HttpEventFields;
  const text = fields.body ?? '';
  const tooLarge = () => new MirrorError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`);
  // Refused before decoding: base64 holds 3 bytes in 4 characters, and UTF-8 at least a byte a character.
  if ((fields.isBase64Encoded ? Math.floor(text.length / 4) * 3 : text.length) > maxBytes) throw tooLarge();
  const body = fields.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  if (body.length > maxBytes) throw tooLarge();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields.headers ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  const method = (transport === 'rest' ? fields.httpMethod : fields.requestContext?.http?.method) ?? '';
  return { method: method.toUpperCase(), body, headers };
}
