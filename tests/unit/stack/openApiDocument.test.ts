import { compileErrors, validate } from '@readme/openapi-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import packageJson from '../../../package.json';
import { ENDPOINTS, type EndpointDescription, PLACES, RECEIVERS } from '../../../lib/endpoints';
import { ERROR_CODES } from '../../../lib/errors/errorCodes';
import { ID_PATTERN } from '../../../lib/request/readFields';
import { OPENAPI_ROUTE, openApiDocument, openApiDocumentText } from '../../../stack/openApiDocument';

const ROOT = join(__dirname, '..', '..', '..');

// biome-ignore lint/suspicious/noExplicitAny: the document is read field by field, as a caller would
type Document = any;

describe('The OpenAPI document of the REST API', () => {
  const document: Document = openApiDocument();

  it('is shipped as openapi.json as the endpoint descriptions give it now (npm run openapi writes it)', () => {
    // Act
    const shipped = readFileSync(join(ROOT, 'openapi.json'), 'utf8');

    // Assess
    expect(shipped).toBe(openApiDocumentText());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    // Act
    const result = await validate(structuredClone(document));

    // Assess
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.info.version).toBe(packageJson.version);
  });

  it('has one GET per endpoint route, one POST per place and receiver route, and the route of this document', () => {
    // Assess
    const places: string[] = PLACES.map((place) => place.route);
    const posts: string[] = [...places, ...RECEIVERS.map((receiver) => receiver.route)];
    expect(Object.keys(document.paths).sort()).toEqual(
      [...ENDPOINTS.map((e) => e.route), ...posts, OPENAPI_ROUTE].sort(),
    );
    for (const [route, path] of Object.entries(document.paths) as [string, Document][]) {
      expect(Object.keys(path)).toEqual([posts.includes(route) ? 'post' : 'get']);
    }
  });

  it("has one POST per receiver's route, open without the API key, with the statuses it answers", () => {
    // Act
    const operations = RECEIVERS.map((receiver) => document.paths[receiver.route]);

    // Assess
    for (const path of operations) {
      expect(path.post.security).toEqual([]);
      expect(Object.keys(path.post.responses)).toEqual(['200', '400', '401', '413', '500']);
    }
  });

  it.each(PLACES.map((place) => [place.route, place] as const))(
    '%s: starts a run, answering 202 with its id and where its summary will be',
    (route, place) => {
      // Assess
      const operation = document.paths[route].post;
      expect(operation.operationId).toBe(place.functionName);
      expect(operation.parameters.map((parameter: Document) => parameter.name)).toEqual(
        expect.arrayContaining([...place.ids, 'refresh']),
      );
      expect(operation.responses['202'].content['application/json'].schema.required).toEqual(
        expect.arrayContaining(['run', 'summary']),
      );
    },
  );

  it('asks for the API key in x-api-key on every route', () => {
    // Assess
    expect(document.components.securitySchemes.ApiKey).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
    });
    expect(document.security).toEqual([{ ApiKey: [] }]);
  });

  it.each(ENDPOINTS.map((endpoint: EndpointDescription) => [endpoint.route, endpoint] as const))(
    '%s: its ids as path parameters matching the ids’ pattern, and its own options',
    (route, endpoint) => {
      // Prepare
      const operation = document.paths[route].get;
      const resolve = (parameter: Document): Document =>
        parameter.$ref ? document.components.parameters[parameter.$ref.split('/').pop()] : parameter;
      const parameters: Document[] = operation.parameters.map(resolve);
      const named = (where: string) => parameters.filter((p) => p.in === where).map((p) => p.name);

      // Assess
      expect(named('path')).toEqual(endpoint.ids);
      expect(document.components.schemas.Id.pattern).toBe(ID_PATTERN.source);
      expect(named('query').sort()).toEqual(
        [
          'refresh',
          'expiresIn',
          'download',
          ...(endpoint.document ? ['whiteboards'] : ['redirect']),
          ...(endpoint.placeIds ?? []),
        ].sort(),
      );
      expect(named('header')).toEqual(endpoint.acceptsUserToken ? ['x-feishu-user-token'] : []);
      expect(Object.keys(operation.responses).includes('302')).toBe(!endpoint.document);
    },
  );

  it('bounds expiresIn by the settings’ defaults: 1 to PRESIGN_MAX_SECONDS (3600), 900 when not given', () => {
    // Assess
    expect(document.components.parameters.expiresIn.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 3600,
      default: 900,
    });
  });

  it('answers every status of the error table with the error body, its codes those of that status', () => {
    // Prepare
    const statuses = [...new Set(Object.values(ERROR_CODES).map(({ status }) => String(status)))];

    // Act
    const operation = document.paths[ENDPOINTS[0].route].get;

    // Assess
    expect(Object.keys(operation.responses).filter((status) => status >= '400')).toEqual(statuses.sort());
    expect(document.components.schemas.ErrorDetail.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
    const codes500 = document.components.responses.Error500.content['application/json'].schema;
    expect(codes500.properties.error.properties.code.enum).toEqual(['MISCONFIGURED', 'QUEUE_ERROR', 'INTERNAL_ERROR']);
    expect(Object.keys(document.components.responses.Error429.headers)).toContain('Retry-After');
    expect(Object.keys(document.components.responses.Error503.headers)).not.toContain('Retry-After');
  });
});
