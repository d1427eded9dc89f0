import { imMessage } from '../lib/endpoints';
import { createHandler } from '../lib/handler/createHandler';

/** Lambda `messageImage`: see the README for its route, payload and answer. */
export const handler = createHandler(imMessage);
