import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handler as openApiHandler } from '../../functions/openApiDocument';
import { im, RECEIVERS } from '../../lib/endpoints';
import { fillPath } from '../../lib/feishu/feishuUrl';
import { ALL_FUNCTIONS } from '../support/handlers';
import { lambdaContext } from '../support/lambdaContext';
import { loadEvent } from '../support/loadEvent';
import { PACKAGING_TIMEOUT_MS, packagedTemplate, type Template } from '../support/packagedStack';
import { useMirrorEnvironment } from '../support/useMirrorEnvironment';

// biome-ignore lint/suspicious/noExplicitAny: the document is read field by field, as a caller would
type Document = any;

const DOCUMENT: Document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));

/** Ids the Feishu sandbox serves an image (or, for a document, one image and one whiteboard) for. */
const IDS: Record<string, string> = {
  whiteboardId: 'wb_openapi_1',
  fileToken: 'boxcn_openapi_1',
  faqId: '6936004780707807251',
  imageKey: 'img_openapi_1',
  messageId: 'om_openapi_1',
  fileKey: 'img_openapi_chat_1',
  documentId: 'docgen-1-1-1',
};

/** The validator of the schema at `pointer` in openapi.json, resolving its references within the document. */
function schemaAt(...pointer: string[]) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(DOCUMENT, 'openapi.json');
  const escaped = pointer.map((part) => encodeURIComponent(part.replaceAll('~', '~0').replaceAll('/', '~1')));
  return ajv.compile({ $ref: `openapi.json#/${escaped.join('/')}` });
}

/** A REST API (v1) event for `route` with the ids filled in, as API Gateway sends it. */
function restEvent(route: string, ids: Record<string, string>): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>('apigw-rest/im.json');
  const names = [...route.matchAll(/\{(\w+)\}/g)].map(([, name]) => name!);
  event.resource = route;
  event.path = fillPath(route, ids);
  event.pathParameters = Object.fromEntries(names.map((name) => [name, ids[name]!]));
  event.queryStringParameters = null;
  event.multiValueQueryStringParameters = null;
  return event;
}

/** Every method of the template's REST API, as `GET /path/{id}`, and whether it needs the API key. */
function templateRoutes(template: Template): { route: string; apiKeyRequired: boolean }[] {
  const pathOf = (resource: unknown): string => {
    const ref = (resource as { Ref?: string }).Ref;
    if (ref === undefined) return ''; // the API's root resource
    const { ParentId, PathPart } = template.Resources[ref]!.Properties;
    return `${pathOf(ParentId)}/${PathPart}`;
  };
  return Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::ApiGateway::Method')
    .map(({ Properties }) => ({
      route: `${Properties.HttpMethod} ${pathOf(Properties.ResourceId)}`,
      apiKeyRequired: Properties.ApiKeyRequired === true,
    }));
}

describe('openapi.json against the stack and the real answers', () => {
  useMirrorEnvironment();

  it(
    "documents exactly the routes of the packaged template, each behind the API key but Feishu's event URL",
    async () => {
      // Prepare
      const documented = Object.entries(DOCUMENT.paths as Record<string, object>).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );

      // Act
      const routes = templateRoutes(await packagedTemplate());

      // Assess
      expect(routes.map(({ route }) => route).sort()).toEqual(documented.sort());
      const open = routes.filter(({ apiKeyRequired }) => !apiKeyRequired).map(({ route }) => route);
      expect(open).toEqual(RECEIVERS.map((receiver) => `POST ${receiver.route}`));
    },
    PACKAGING_TIMEOUT_MS,
  );

  it.each(ALL_FUNCTIONS.map(({ endpoint, handler }) => [endpoint.route, endpoint, handler] as const))(
    "GET %s: the function's 200 answer matches the document's schema",
    async (route, _endpoint, handler) => {
      // Prepare
      const validate = schemaAt('paths', route, 'get', 'responses', '200', 'content', 'application/json', 'schema');

      // Act
      const result = (await handler(restEvent(route, IDS), lambdaContext())) as APIGatewayProxyResult;

      // Assess
      expect(result.statusCode).toBe(200);
      const answer = JSON.parse(result.body) as unknown;
      expect(validate(answer) ? [] : validate.errors).toEqual([]);
      // A schema that accepts anything would pass too: this one refuses an answer missing its URL.
      expect(validate({ ...(answer as object), url: undefined, images: undefined })).toBe(false);
    },
  );

  it.each([
    [404, 'err-234005'],
    [400, 'not an id'],
  ])("answers %s with a body that matches the document's error schema for it", async (status, imageKey) => {
    // Prepare
    const handler = ALL_FUNCTIONS.find(({ endpoint }) => endpoint === im)!.handler;
    const validate = schemaAt('components', 'responses', `Error${status}`, 'content', 'application/json', 'schema');

    // Act
    const result = (await handler(restEvent(im.route, { imageKey }), lambdaContext())) as APIGatewayProxyResult;

    // Assess
    expect(DOCUMENT.paths[im.route].get.responses[String(status)]).toEqual({
      $ref: `#/components/responses/Error${status}`,
    });
    expect(result.statusCode).toBe(status);
    const body = JSON.parse(result.body) as unknown;
    expect(validate(body) ? [] : validate.errors).toEqual([]);
  });

  it('serves openapi.json as shipped from the function of GET /openapi.json', async () => {
    // Act
    const result = await openApiHandler();

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe('application/json');
    expect(JSON.parse(result.body)).toEqual(DOCUMENT);
  });
});
