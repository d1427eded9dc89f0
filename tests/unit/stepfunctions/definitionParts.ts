import { readAlarmSettings } from '../../../stack/alarms';
import { stackParts } from '../../../stack/generateStack';

/** The stack's parts with the settings serverless.yml ships (60 s functions, 30 days of logs). */
export const SHIPPED_PARTS = stackParts({
  functionTimeoutSeconds: 60,
  logRetentionInDays: 30,
  sqsMaxConcurrency: 2,
  alarms: readAlarmSettings({}),
});

/** A Retry or Catch rule of a state, as the tests read it. */
export interface ErrorRule {
  ErrorEquals: string[];
  MaxAttempts?: number;
  Next?: string;
  ResultPath?: string;
}

/** Every object in a definition, however deep (states inside Map and Parallel states included). */
export function objectsIn(value: unknown): Record<string, unknown>[] {
  if (typeof value !== 'object' || value === null) return [];
  const children = Object.values(value).flatMap(objectsIn);
  return Array.isArray(value) ? children : [value as Record<string, unknown>, ...children];
}

/** The Retry rules (`field: 'Retry'`) or Catch rules (`'Catch'`) of every state of a definition. */
export function rulesIn(definition: unknown, field: 'Retry' | 'Catch'): ErrorRule[] {
  return objectsIn(definition).flatMap((node) => (Array.isArray(node[field]) ? (node[field] as ErrorRule[]) : []));
}
