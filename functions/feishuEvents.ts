import { feishuEvents } from '../lib/endpoints';
import { createReceiver } from '../lib/handler/createReceiver';

/** Lambda `feishuEvents`: the Feishu app's event URL; see the README for its route and settings. */
export const handler = createReceiver(feishuEvents);
