import { im } from '../lib/endpoints';
import { createHandler } from '../lib/handler/createHandler';

/** Lambda `imImage`: see the README for its route, payload and answer. */
export const handler = createHandler(im);
