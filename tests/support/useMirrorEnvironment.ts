import { containerClients } from '../../lib/clients/containerClients';
import { countS3Commands } from './countS3Commands';
import { startMirrorEnvironment, type MirrorEnvironment, type MirrorEnvironmentOptions } from './mirrorEnvironment';

/** What a test file asks of its environment beyond a fresh start for each test. */
export interface EnvironmentHooks {
  /** User tokens the Feishu sandbox accepts, from the start and again after each reset. */
  userTokens?: readonly string[];
  /** Whether to record the S3 requests the functions' own client sends, in `env.s3Commands`. */
  countS3Commands?: boolean;
}

export interface CountedS3Commands {
  /** The S3 requests the functions sent since the test began (see countS3Commands). */
  s3Commands: string[];
}

/**
 * Registers the hooks a test file needs around an environment: started before its first test,
 * a fresh start before each (`env.reset()`: the sandbox forgets, the container drops its tenant
 * token), closed after its last. Returns the environment, whose fields are there from
 * `beforeAll` on: the file holds it in a `const`, and its tests use it as the environment itself.
 *
 * @example
 * const env = useEnvironment(() => startRgwEnvironment('bytes'));
 */
export function useEnvironment<E extends MirrorEnvironment>(
  start: () => Promise<E>,
  hooks: EnvironmentHooks & { countS3Commands: true },
): E & CountedS3Commands;
export function useEnvironment<E extends MirrorEnvironment>(start: () => Promise<E>, hooks?: EnvironmentHooks): E;
export function useEnvironment<E extends MirrorEnvironment>(
  start: () => Promise<E>,
  hooks: EnvironmentHooks = {},
): E & Partial<CountedS3Commands> {
  const env = {} as E & Partial<CountedS3Commands>;
  let started: E | undefined;
  const addUserTokens = (): void => {
    for (const token of hooks.userTokens ?? []) env.feishu.addUserToken(token);
  };

  beforeAll(async () => {
    started = await start();
    // The environments are records of closures over their own state, so their fields work as well
    // from this object, which exists before they start and so can be a `const` of the test file.
    Object.assign(env, started);
    // Counted from the client the handlers use: made now, once the settings point at this file's S3.
    if (hooks.countS3Commands) env.s3Commands = countS3Commands(containerClients().s3(true));
    addUserTokens();
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => {
    env.reset();
    addUserTokens();
    if (env.s3Commands) env.s3Commands.length = 0;
  });
  return env;
}

/**
 * The Feishu sandbox and the in-process S3 server for the test file, as `startMirrorEnvironment`
 * starts them, with the hooks of `useEnvironment`.
 *
 * @example
 * const env = useMirrorEnvironment({ userTokens: [ALICE], countS3Commands: true });
 */
export function useMirrorEnvironment(
  options: MirrorEnvironmentOptions & EnvironmentHooks & { countS3Commands: true },
): MirrorEnvironment & CountedS3Commands;
export function useMirrorEnvironment(options?: MirrorEnvironmentOptions & EnvironmentHooks): MirrorEnvironment;
export function useMirrorEnvironment(options: MirrorEnvironmentOptions & EnvironmentHooks = {}): MirrorEnvironment {
  const { userTokens, countS3Commands: counted, ...start } = options;
  return useEnvironment(() => startMirrorEnvironment(start), { userTokens, countS3Commands: counted });
}
