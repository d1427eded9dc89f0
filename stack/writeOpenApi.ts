/**
 * `npm run openapi`: writes the OpenAPI document the endpoint descriptions give
 * (stack/openApiDocument.ts) to openapi.json, which `GET /openapi.json` serves and a test keeps
 * equal to what the descriptions give now.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocumentText } from './openApiDocument';

// Bundled to .build/, one folder below the repository.
const FILE = join(__dirname, '..', 'openapi.json');

writeFileSync(FILE, openApiDocumentText());
process.stdout.write(`${FILE} written from the endpoint descriptions\n`);
