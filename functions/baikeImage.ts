import { baike } from '../lib/endpoints';
import { createHandler } from '../lib/handler/createHandler';

/** Lambda `baikeImage`: see the README for its route, payload and answer. */
export const handler = createHandler(baike);
