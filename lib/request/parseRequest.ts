import type { EndpointDescription } from '../endpoints';
import type { Settings } from '../settings/Settings';
import type { MirrorRequest } from '../mirror/MirrorRequest';
import type { Transport } from './detectTransport';
import { parseDirectPayload } from './parseDirectPayload';
import { parseHttpEvent } from './parseHttpEvent';

/**
 * Turns any event the function accepts into one MirrorRequest, checking every id and option
 * before any call is made; what is wrong is an INVALID_REQUEST saying what and why.
 */
export function parseRequest(event: unknown, transport: Transport, endpoint: EndpointDescription, settings: Settings): MirrorRequest {
  return transport === 'direct' ? parseDirectPayload(event, endpoint, settings) : parseHttpEvent(event, transport, endpoint, settings);
}
