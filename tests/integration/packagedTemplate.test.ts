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

  it("grants events:PutEvents on EVENT_BUS_NAME's bus only, and only when it names one", () => {
    // Prepare
    const conditions = (template as Template & { Conditions: Record<string, unknown> }).Conditions;
    const functionBus: unknown =
      template.Resources.ImImageLambdaFunction?.Properties.Environment.Variables.EVENT_BUS_NAME;

    // Assess
    // Packaged without EVENT_BUS_NAME: the bus is '' everywhere, and the condition false.
    expect(functionBus).toBe('');
    expect(conditions.PublishesImageEvents).toStrictEqual({ 'Fn::Not': [{ 'Fn::Equals': [functionBus, ''] }] });
    expect(template.Resources.ImageEventsPolicy).toStrictEqual({
      Type: 'AWS::IAM::Policy',
      Condition: 'PublishesImageEvents',
      Properties: {
        PolicyName: 'put-image-events',
        Roles: [{ Ref: 'IamRoleLambdaExecution' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['events:PutEvents'],
              Resource: [
                {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':events:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':event-bus/',
                      functionBus,
                    ],
                  ],
                },
              ],
            },
          ],
        },
      },
    });
    const granting = Object.entries(template.Resources).filter(([, resource]) =>
      JSON.stringify(resource).includes('events:PutEvents'),
    );
    expect(granting.map(([name]) => name)).toEqual(['ImageEventsPolicy']);
  });

  it('holds the same sections and description beside its resources and outputs', () => {
    // Prepare
    const rest = ({ Resources, Outputs, ...others }: Template): Record<string, unknown> => others;

    // Assess
    expect(rest(template)).toStrictEqual(rest(previous));
  });
});
