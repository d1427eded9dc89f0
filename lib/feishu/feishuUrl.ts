import type { EndpointDescription } from '../endpoints';

/**
 * Fills a path template such as `/whiteboards/{whiteboardId}/image` with the ids.
 * Ids are validated before they get here; encoding is a second line of defence.
 */
export function fillPath(template: string, source: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(source[name] ?? ''));
}

/**
 * The Feishu URL of one image (or document): its path filled with the ids, then the query that
 * the endpoint's place ids (e.g. drive media's `documentId`) become, when given, and `query`,
 * the call's own (a page of blocks), after any fixed query of the path.
 *
 * @example
 * feishuImageUrl(base, driveMedia, { fileToken: 'boxcn1', documentId: 'doxcn2' });
 * // base + '/open-apis/drive/v1/medias/boxcn1/download?extra=%7B%22doc_id%22%3A%22doxcn2%22%2C…'
 */
export function feishuImageUrl(
  baseUrl: string,
  endpoint: EndpointDescription,
  source: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string>> = {},
): string {
  const path = fillPath(endpoint.feishuPath, source);
  const place = Object.fromEntries(
    (endpoint.placeIds ?? []).flatMap((name) => (source[name] === undefined ? [] : [[name, source[name]]])),
  );
  const added = new URLSearchParams({ ...endpoint.feishuQuery?.(place), ...query }).toString();
  if (added === '') return baseUrl + path;
  return `${baseUrl}${path}${path.includes('?') ? '&' : '?'}${added}`;
}
