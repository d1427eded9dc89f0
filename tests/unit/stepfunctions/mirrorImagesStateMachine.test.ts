import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import validator from 'asl-validator';
import { ENDPOINTS } from '../../../lib/endpoints';
import { ERROR_CODES } from '../../../lib/errors/errorCodes';
import { objectsIn, rulesIn } from './definitionParts';

const ROOT = join(__dirname, '..', '..', '..');
const definition = JSON.parse(readFileSync(join(ROOT, 'stepfunctions', 'mirror-images.asl.json'), 'utf8')) as unknown;
const service = /^service:\s*(\S+)/m.exec(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'))?.[1];

const retriers = rulesIn(definition, 'Retry');
const catchers = rulesIn(definition, 'Catch');

describe('Sample state machine: stepfunctions/mirror-images.asl.json', () => {
  it('is valid Amazon States Language', () => {
    // Act
    const { isValid, errors } = validator(definition);

    // Assess
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('would tell a broken definition (a Next naming no state) from a valid one', () => {
    // Prepare
    const broken = structuredClone(definition) as { States: Record<string, Record<string, unknown>> };
    broken.States.MirrorEachImage!.Next = 'NoSuchState';
    delete broken.States.MirrorEachImage!.End;

    // Act
    const { isValid } = validator(broken);

    // Assess
    expect(isValid).toBe(false);
  });

  it('invokes only functions the stack defines', () => {
    // Prepare
    const names = objectsIn(definition).flatMap((node) =>
      typeof node.FunctionName === 'string' ? [node.FunctionName] : [],
    );
    const functions = ENDPOINTS.map((endpoint) => endpoint.functionName).join('|');

    // Assess
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(new RegExp(`^${service}-[a-z0-9-]+-(${functions})$`));
  });

  it("matches only the product's error names, Lambda's and the States.* ones", () => {
    // Prepare
    const known = new Set<string>(Object.values(ERROR_CODES).map((entry) => entry.name));
    const named = [...retriers, ...catchers].flatMap((rule) => rule.ErrorEquals);

    // Assess
    for (const name of named) expect(known.has(name) || /^(States|Lambda)\.\w+$/.test(name)).toBe(true);
  });

  it('retries RateLimitedError and UpstreamError and catches everything else', () => {
    // Prepare
    const retried = retriers.flatMap((rule) => rule.ErrorEquals);
    const caught = catchers.flatMap((rule) => rule.ErrorEquals);

    // Assess
    expect(retried).toEqual(expect.arrayContaining(['RateLimitedError', 'UpstreamError']));
    expect(caught).toContain('States.ALL');
  });
});
