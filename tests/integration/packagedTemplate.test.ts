import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseTemplate, packagedTemplate, PACKAGING_TIMEOUT_MS, type Template } from '../support/packagedStack';

/** The template packaged before the per-endpoint parts were generated (fixtures/README.md). */
const previous = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'packagedTemplate.json'), 'utf8')) as Template;

describe('The packaged CloudFormation template, generated from the endpoint descriptions', () => {
  let template: Template;
  beforeAll(async () => {
    template = normaliseTemplate(await packagedTemplate());
  }, PACKAGING_TIMEOUT_MS + 10_000);

  it('holds exactly the resources the previous template held', () => {
    // Assess
    expect(Object.keys(template.Resources).sort()).toEqual(Object.keys(previous.Resources).sort());
  });

  it.each(Object.keys(previous.Resources))('holds %s as the previous template did', (name) => {
    // Assess
    expect(template.Resources[name]).toStrictEqual(previous.Resources[name]);
  });

  it('holds the outputs the previous template held', () => {
    // Assess
    expect(template.Outputs).toStrictEqual(previous.Outputs);
  });

  it('holds the same sections and description beside its resources and outputs', () => {
    // Prepare
    const rest = ({ Resources, Outputs, ...others }: Template): Record<string, unknown> => others;

    // Assess
    expect(rest(template)).toStrictEqual(rest(previous));
  });
});
