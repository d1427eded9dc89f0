import { docx } from '../lib/endpoints';
import { createHandler } from '../lib/handler/createHandler';

/** Lambda `docxImages`: see the README for its route, payload and answer. */
export const handler = createHandler(docx);
