import type { EndpointDescription } from '../endpoints';
import { invalidRequest } from '../errors/MirrorError';
import type { Settings } from '../settings/Settings';
import type { MirrorRequest } from '../mirror/MirrorRequest';
import {
  checkUserTokenLifetime,
  COMMON_OPTIONS,
  describeType,
  endpointFields,
  readRequest,
  readUserToken,
  refuseUnknown,
} from './readFields';

/**
 * Reads a direct payload such as `{"imageKey": "img_v3_01", "refresh": true}`: the
 * endpoint's ids, the options and `userAccessToken`; any other field is refused.
 *
 * @example
 * parseDirectPayload({ whiteboardId: 'wb1' }, whiteboard, settings);
 */
export function parseDirectPayload(payload: unknown, endpoint: EndpointDescription, settings: Settings): MirrorRequest {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw invalidRequest(
      `the payload must be a JSON object with ${endpoint.ids.join(' and ')}, not ${describeType(payload)}`,
    );
  }
  const fields = payload as Record<string, unknown>;
  refuseUnknown(fields, [...endpoint.ids, ...endpointFields(endpoint), ...COMMON_OPTIONS, 'userAccessToken'], 'field');
  const request = {
    ...readRequest(endpoint, fields, settings),
    redirect: false,
    userAccessToken: readUserToken(endpoint, fields.userAccessToken, 'userAccessToken'),
  };
  checkUserTokenLifetime(request);
  return request;
}
