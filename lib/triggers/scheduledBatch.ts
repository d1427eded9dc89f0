import type { BatchEntry } from '../request/BatchEntry';
import { invalidRequest, misconfigured } from '../errors/MirrorError';
import type { Invocation } from '../mirror/Invocation';
import { parseBatchItems } from '../request/parseBatch';

/**
 * The batch an EventBridge schedule without input stands for: a refresh of every id the
 * endpoint's setting lists (for whiteboards `SCHEDULED_WHITEBOARD_IDS`), so that the ids live
 * in one place, the function's settings, and the schedule only says when.
 */
export function scheduledBatch(invocation: Invocation): BatchEntry[] {
  const { endpoint, settings } = invocation;
  if (endpoint.scheduledIdsSetting === undefined) {
    throw invalidRequest(
      `a schedule without input names no ${endpoint.noun}; give the schedule a payload or a batch as its input`,
    );
  }
  if (settings.scheduledIds.length === 0)
    throw misconfigured(`the schedule ran but the setting ${endpoint.scheduledIdsSetting} lists no ids`);
  const idName = endpoint.ids[0]!;
  const items = settings.scheduledIds.map((id) => ({ [idName]: id }));
  return parseBatchItems(
    items,
    { refresh: true },
    endpoint,
    settings,
    (index) => `${endpoint.scheduledIdsSetting} id ${index + 1}`,
  );
}
