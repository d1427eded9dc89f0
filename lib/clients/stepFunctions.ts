import { ExecutionAlreadyExists, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/** Starts runs of a state machine, or finds the one already running under a name's prefix. */
export interface RunStarter {
  /** The name of a running execution whose name `matches`, if any. */
  running(stateMachineArn: string, matches: (name: string) => boolean): Promise<string | undefined>;
  /** Starts an execution of that name with that input; false when one of that name exists. */
  start(stateMachineArn: string, name: string, input: unknown): Promise<boolean>;
}

let client: SFNClient | undefined;

/**
 * The execution environment's Step Functions client, built at the first run started, so that
 * invocations that only list never pay for it.
 *
 * @example
 * const started = await stepFunctionsStarter().start(arn, 'sp1-20261207T120000Z', { spaceId: 'sp1' });
 */
export function stepFunctionsStarter(): RunStarter {
  return {
    async running(stateMachineArn, matches) {
      client ??= new SFNClient({});
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', nextToken, maxResults: 1000 }),
        );
        const found = page.executions?.find((execution) => execution.name !== undefined && matches(execution.name));
        if (found?.name !== undefined) return found.name;
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return undefined;
    },
    async start(stateMachineArn, name, input) {
      client ??= new SFNClient({});
      try {
        await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
        return true;
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) return false;
        throw error;
      }
    },
  };
}
