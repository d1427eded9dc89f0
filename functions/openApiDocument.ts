import type { APIGatewayProxyResult } from 'aws-lambda';
import document from '../openapi.json';

// Made once per execution environment: the document never changes within a deployment.
const ANSWER: APIGatewayProxyResult = {
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' },
  body: JSON.stringify(document),
};

/**
 * Lambda `openApiDocument`: answers `GET /openapi.json` (behind the API key) with the OpenAPI
 * document of the API, openapi.json as shipped (`npm run openapi` writes it from the endpoint
 * descriptions). It reads no event, no setting and no other service.
 */
export const handler = async (): Promise<APIGatewayProxyResult> => ANSWER;
