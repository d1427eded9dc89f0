import type { EndpointDescription } from '../endpoints';

/**
 * Fills a path template such as `/whiteboards/{whiteboardId}/image` with the ids.
 * Ids are validated before they get here; encoding is a second line of defence.
 */
export function fillPath(template: string, source: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(source[name] ?? ''));
}

/** The Feishu URL of one image. */
export function feishuImageUrl(
  baseUrl: string,
  endpoint: EndpointDescription,
  source: Readonly<Record<string, string>>,
): string {
  return baseUrl + fillPath(endpoint.feishuPath, source);
}
