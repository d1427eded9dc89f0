import { whiteboard } from '../lib/endpoints';
import { createHandler } from '../lib/handler/createHandler';

/** Lambda `whiteboardImage`: see the README for its route, payload and answer. */
export const handler = createHandler(whiteboard);
