import type { EndpointDescription, StatusAndCode } from './endpoints';

/** The answer to document media the app may reach only through its document. */
const mediaForbidden: StatusAndCode = { status: 403, code: 1061004 };

/** The `type` values message resources accept. */
const resourceTypes = new Set(['image', 'file']);

/** Whether `extra` is JSON naming a document: `{"doc_id": "…", "doc_type": "…"}`, both strings. */
function namesDocument(extra: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(extra);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const { doc_id: docId, doc_type: docType } = parsed as Record<string, unknown>;
  return typeof docId === 'string' && docId !== '' && typeof docType === 'string' && docType !== '';
}

/**
 * What is wrong with the query of a download, if anything: message resources need `type` of
 * `image` or `file` (else 400/234001); on document media an `extra` must name a document (else
 * 400/1061002), and ids starting `docmedia` need one (else 403/1061004: media of a document
 * the app reaches only through that document).
 *
 * @example
 * checkQuery(describeEndpoint('imMessage'), ['om_1', 'file_1'], new URLSearchParams('type=audio')); // 400/234001
 */
export function checkQuery(
  description: EndpointDescription,
  ids: readonly string[],
  query: URLSearchParams,
): StatusAndCode | undefined {
  switch (description.name) {
    case 'imMessage':
      return resourceTypes.has(query.get('type') ?? '') ? undefined : description.invalidParam;
    case 'driveMedia': {
      const extra = query.get('extra');
      if (extra !== null) return namesDocument(extra) ? undefined : description.invalidParam;
      return ids.at(-1)?.startsWith('docmedia') ? mediaForbidden : undefined;
    }
    default:
      return undefined;
  }
}
