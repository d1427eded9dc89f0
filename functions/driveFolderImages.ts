import { driveFolder } from '../lib/endpoints';
import { createPlaceHandler } from '../lib/handler/createPlaceHandler';

/** Lambda `driveFolderImages`: see the README for its route, payload and answer. */
export const handler = createPlaceHandler(driveFolder);
