import { wikiSpace } from '../lib/endpoints';
import { createPlaceHandler } from '../lib/handler/createPlaceHandler';

/** Lambda `wikiSpaceImages`: see the README for its route, payload and answer. */
export const handler = createPlaceHandler(wikiSpace);
