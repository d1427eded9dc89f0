import type { EndpointDescription } from '../lib/endpoints';

/** The logical ids of an endpoint's function and queues, and the capitalised name they start with. */
export interface LogicalIds {
  capitalised: string;
  lambdaFunction: string;
  queue: string;
  deadLetterQueue: string;
}

/**
 * The logical ids of an endpoint's function and queues, named after its function as serverless
 * names the function's own resources (`imImage` → `ImImageLambdaFunction`, `ImImageQueue`,
 * `ImImageDeadLetterQueue`), and that capitalised name: the one place the stack's generators,
 * its alarms and its dashboard take them from.
 *
 * @example
 * logicalIds(im).queue; // 'ImImageQueue'
 */
export function logicalIds(endpoint: Pick<EndpointDescription<string>, 'functionName'>): LogicalIds {
  const capitalised = endpoint.functionName[0]!.toUpperCase() + endpoint.functionName.slice(1);
  return {
    capitalised,
    lambdaFunction: `${capitalised}LambdaFunction`,
    queue: `${capitalised}Queue`,
    deadLetterQueue: `${capitalised}DeadLetterQueue`,
  };
}
