import { helpdeskFaq } from '../lib/endpoints';
import { createHandler } from '../lib/handler/createHandler';

/** Lambda `helpdeskFaqImage`: see the README for its route, payload and answer. */
export const handler = createHandler(helpdeskFaq);
