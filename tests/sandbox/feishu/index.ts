// The sandbox's public surface, so tests import from one place.
export { startFeishuSandbox } from './startFeishuSandbox';
export { bigBodyMaxBytes, bigBodySha256, expectedBigBody } from './bigBody';
export { downloadEndpoints, describeEndpoint, tokenPath } from './endpoints';
export { errorCatalog, lookUpError, type ErrorCatalogEntry, type ErrorScope } from './errorCatalog';
export { pngSignature } from './encodePng';
export { pngForId, sampleImages, type SampleImage } from './sampleImages';
export type {
  DownloadEndpoint,
  Endpoint,
  Fault,
  FaultKind,
  FeishuSandbox,
  FeishuSandboxOptions,
  RecordedRequest,
  TokenKind,
} from './types';
