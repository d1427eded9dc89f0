// The sandbox's public surface, so tests import from one place.
export { startFeishuSandbox } from './startFeishuSandbox';
export type { RateLimitCounting } from './RateLimitCounter';
export { bigBodyMaxBytes, bigBodySha256, expectedBigBody } from './bigBody';
export { apiEndpoints, downloadEndpoints, describeEndpoint, docxBlocksEndpoint, tokenPath } from './endpoints';
export { blockTypes, documentBlocks, type DocumentBlockInput, type FeishuBlock } from './documentBlocks';
export { contentDispositionOf, echoTokenWord, mediaFileNames, type MediaFileName } from './fileNames';
export { imageTokenOf, sampleDocumentId, whiteboardTokenOf } from './servedDocuments';
export { errorCatalog, lookUpError, type ErrorCatalogEntry, type ErrorScope } from './errorCatalog';
export { pngSignature } from './encodePng';
export { pngForId, sampleImages, type SampleImage } from './sampleImages';
export { decryptEventBody, encryptEventBody, type EventSignatureInput, signEventRequest } from './eventCrypto';
export {
  type AppTicketEvent,
  appTicket,
  type EventApp,
  type EventHeaderV2,
  type EventV1,
  type EventV2,
  eventV2,
  imageMessage,
  mediaMessage,
  type Mention,
  mergeForwardMessage,
  type MessageBody,
  type MessageReceivedInput,
  type MessageReceiveEvent,
  type MessageType,
  messageReceived,
  newChatId,
  newEventId,
  newFileKey,
  newImageKey,
  newMessageId,
  type PostForm,
  postMessage,
  sandboxEventApp,
  stickerMessage,
  textMessage,
  type UrlVerification,
  urlVerification,
} from './feishuEvents';
export {
  checkEventUrl,
  type Delivery,
  type DeliveryAttempt,
  type DeliveryOptions,
  EventSender,
  type EventSenderOptions,
  feishuRetryDelaysMs,
  maxRedeliveries,
  maxRetries,
  type UrlVerificationResult,
  urlVerificationTimeoutMs,
} from './sendEvents';
export { type ChatPost, maxPostImages, type PostedMessage } from './chatMessages';
export { type ChatPostAnswer, chatMessagesPattern } from './answerChatPost';
export type {
  ApiEndpoint,
  DocumentEndpoint,
  DownloadEndpoint,
  Endpoint,
  Fault,
  FaultKind,
  FeishuSandbox,
  FeishuSandboxOptions,
  RecordedRequest,
  TokenKind,
} from './types';
