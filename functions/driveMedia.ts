import { driveMedia } from '../lib/endpoints';
import { createHandler } from '../lib/handler/createHandler';

/** Lambda `driveMedia`: see the README for its route, payload and answer. */
export const handler = createHandler(driveMedia);
