import { pathToFileURL } from 'node:url';

/** A Lambda handler: the event and the context in, the answer out. */
export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * Loads a bundle's handler as Lambda's runtime for Node 24 does, by `import()` whatever the
 * file's extension, from a process that is an ES module already (the runtime's entry is one), so
 * the ES module loader is up before the handler loads: an ES module bundle (.mjs) is imported,
 * a CommonJS one (.js) is imported through Node's CommonJS interop.
 *
 * @example
 * const handler = await loadHandler('/tmp/bundle/functions/imImage.mjs');
 */
export async function loadHandler(path: string): Promise<Handler> {
  const loaded = (await import(pathToFileURL(path).href)) as { handler: Handler };
  return loaded.handler;
}
