/**
 * What a download serves, decided by its ids alone so that every test can ask for any answer.
 *
 * The rules apply to the LAST id of the path (whiteboard_id, file_token, image_key); on helpdesk
 * the faq_id is checked first, for the two `err-` rules only. First matching rule wins.
 *
 * Each rule, as the id it matches and the answer it gets:
 * - not `^[A-Za-z0-9_-]{1,256}$`: the endpoint's invalid-param error (400/2890002, 1540001, 154000, 234001)
 * - starts `useronly`, tenant token: (answerDownload.ts, before these rules) whiteboard 403/2890005,
 *   baike 400/99991676; a user token gets the id's PNG
 * - `err-http-5NN` (500, 502, 503, …): HTTP 5NN, `{"code":<internal>,"msg":"internal error"}`;
 *   internal code: whiteboard 2891001, baike 1540002, helpdesk 155000, im 1
 * - `err-<code>`: that code with its catalog status (errorCatalog.ts); a code not in the catalog: 400, msg `unknown`;
 *   rate-limit codes (99991400, 2890006) add the `x-ogw-ratelimit-*` headers
 * - `big-<N>`: 200 `image/png`, exactly min(N, 1 GiB) bytes: PNG signature + pseudo-random bytes (bigBody.ts), streamed
 * - `bigchunked-<N>`: the same bytes as `big-<N>`, chunked, without Content-Length
 * - `slow-<ms>`: waits `ms` (at most 10 min) before the headers, then the id's PNG
 * - starts `json200`: 200 `application/json`, `{"code":0,"msg":"ok"}`
 * - starts `html200`: 200 `text/html`, `<!DOCTYPE html><html>…</html>`
 * - starts `empty200`: 200 `image/png`, empty body
 * - starts `noctype`: the id's PNG with no Content-Type header
 * - starts `octet`: the id's PNG as `application/octet-stream`
 * - contains `jpeg`: a 16×16 baseline JPEG, `image/jpeg`
 * - contains `gif`: a 1×1 GIF89a, `image/gif`
 * - contains `svg`: a small SVG, `image/svg+xml`
 * - contains `webp`: a 2×2 lossless WebP, `image/webp`
 * - anything else: a 64×48 PNG whose pixels depend on the id, `image/png`
 *
 * Matching is case-sensitive, so that random-looking real ids rarely trigger a rule.
 */
import { sampleImages, pngForId } from './sampleImages';

/** What a download answers once authorised. */
export type ContentPlan =
  /** HTTP 200 with these bytes; `contentType` undefined means no Content-Type header. */
  | { type: 'body'; bytes: Buffer; contentType: string | undefined; delayMs: number }
  /** HTTP 200 with the generated body of `big-<N>`. */
  | { type: 'big'; length: number; chunked: boolean }
  /** A catalogued (or unknown) Feishu error code. */
  | { type: 'error'; code: number }
  /** An HTTP 5xx with the endpoint's internal code. */
  | { type: 'internalError'; status: number }
  /** An id the platform would reject as malformed. */
  | { type: 'invalidId' };

/** The longest `slow-<ms>` delay honoured; longer asks wait this long. */
export const slowMaxMs = 10 * 60 * 1000;

const validId = /^[A-Za-z0-9_-]{1,256}$/;
const sampleTypes = ['jpeg', 'gif', 'svg', 'webp'] as const;

function errorTrigger(id: string): ContentPlan | undefined {
  const http = /^err-http-(5\d\d)$/.exec(id);
  if (http?.[1] !== undefined) return { type: 'internalError', status: Number(http[1]) };
  const code = /^err-(\d{1,15})$/.exec(id);
  if (code?.[1] !== undefined) return { type: 'error', code: Number(code[1]) };
  return undefined;
}

function body(bytes: Buffer, contentType: string | undefined, delayMs = 0): ContentPlan {
  return { type: 'body', bytes, contentType, delayMs };
}

function planForLastId(id: string): ContentPlan {
  const trigger = errorTrigger(id);
  if (trigger !== undefined) return trigger;
  const big = /^big(chunked)?-(\d{1,15})$/.exec(id);
  if (big?.[2] !== undefined) return { type: 'big', length: Number(big[2]), chunked: big[1] !== undefined };
  const slow = /^slow-(\d{1,15})$/.exec(id);
  if (slow?.[1] !== undefined) return body(pngForId(id), 'image/png', Math.min(Number(slow[1]), slowMaxMs));
  if (id.startsWith('json200')) return body(Buffer.from('{"code":0,"msg":"ok"}'), 'application/json');
  if (id.startsWith('html200')) {
    return body(
      Buffer.from('<!DOCTYPE html><html><head><title>Feishu</title></head><body>ok</body></html>'),
      'text/html',
    );
  }
  if (id.startsWith('empty200')) return body(Buffer.alloc(0), 'image/png');
  if (id.startsWith('noctype')) return body(pngForId(id), undefined);
  if (id.startsWith('octet')) return body(pngForId(id), 'application/octet-stream');
  const sampleType = sampleTypes.find((type) => id.includes(type));
  if (sampleType !== undefined) return body(sampleImages[sampleType].bytes, sampleImages[sampleType].contentType);
  return body(pngForId(id), 'image/png');
}

/**
 * Decides the answer of a download from its path ids, in path order.
 *
 * @example
 * planContent(['wb_jpeg_1']); // { type: 'body', contentType: 'image/jpeg', … }
 * planContent(['faq_1', 'err-154004']); // { type: 'error', code: 154004 }
 */
export function planContent(ids: readonly string[]): ContentPlan {
  const last = ids.at(-1);
  if (last === undefined || !ids.every((id) => validId.test(id))) return { type: 'invalidId' };
  for (const id of ids.slice(0, -1)) {
    const trigger = errorTrigger(id);
    if (trigger !== undefined) return trigger;
  }
  return planForLastId(last);
}
