/**
 * The baseline's clients and settings, as a team's Lambda would make them once per container:
 * the official Feishu SDK's client and an S3Client, both from the functions' own settings.
 */
import type { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import * as lark from '@larksuiteoapi/node-sdk';

export const feishu = new lark.Client({
  appId: process.env.FEISHU_APP_ID ?? '',
  appSecret: process.env.FEISHU_APP_SECRET ?? '',
  // The SDK takes a base URL as its domain, so the same setting points it at the sandbox.
  domain: process.env.FEISHU_BASE_URL ?? lark.Domain.Feishu,
  loggerLevel: lark.LoggerLevel.error,
});
export const s3 = new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
export const bucket = process.env.IMAGE_BUCKET ?? '';
export const prefix = process.env.IMAGE_KEY_PREFIX ?? 'feishu/';

/** A whole stream in one Buffer, as a team reads an SDK's download. */
export async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
