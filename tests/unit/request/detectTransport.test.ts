import { callerWaitsMs, detectTransport } from '../../../lib/request/detectTransport';
import { loadEvent } from '../../support/loadEvent';

describe('Function: detectTransport', () => {
  it.each([
    ['apigw-rest/whiteboard.json', 'rest'],
    ['apigw-rest/helpdesk-faq.json', 'rest'],
    ['apigw-rest/im.json', 'rest'],
    ['apigw-http/baike.json', 'http'],
    ['apigw-http/whiteboard-user-token.json', 'http'],
    ['function-url/im.json', 'http'],
    ['function-url/helpdesk-faq.json', 'http'],
    ['direct/whiteboard.json', 'direct'],
    ['direct/baike.json', 'direct'],
    ['direct/helpdesk-faq.json', 'direct'],
    ['direct/im.json', 'direct'],
    ['direct/whiteboard-options.json', 'direct'],
  ])('tells that %s came by %s', (fixture, expected) => {
    // Prepare
    const event = loadEvent(fixture);

    // Act
    const transport = detectTransport(event);

    // Assess
    expect(transport).toBe(expected);
  });

  it('reads an HTTP API event in payload format 1.0 as a REST (v1) event', () => {
    // Prepare
    const event = loadEvent<Record<string, unknown>>('apigw-rest/whiteboard.json');
    event.version = '1.0';

    // Act
    const transport = detectTransport(event);

    // Assess
    expect(transport).toBe('rest');
  });

  it('does not mistake a payload with a version field for an HTTP event', () => {
    // Prepare
    const event = { ...loadEvent<Record<string, unknown>>('direct/im.json'), version: '2.0' };

    // Act
    const transport = detectTransport(event);

    // Assess
    expect(transport).toBe('direct');
  });

  it.each([
    ['null', null],
    ['a string', 'img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g'],
    ['an array', [{ imageKey: 'img_v3_02ab' }]],
    ['a number', 42],
    ['undefined', undefined],
  ])('treats %s as a direct payload (for the parser to refuse)', (_, event) => {
    // Act
    const transport = detectTransport(event);

    // Assess
    expect(transport).toBe('direct');
  });
});

describe('Function: callerWaitsMs', () => {
  it.each([
    ['apigw-rest/whiteboard.json', 29_000],
    ['apigw-rest/im.json', 29_000],
    ['apigw-http/baike.json', 29_000],
    ['function-url/im.json', Infinity],
    ['direct/im.json', Infinity],
  ])('knows how long the caller of %s waits: %d ms', (fixture, expected) => {
    // Prepare
    const event = loadEvent(fixture);

    // Act
    const waits = callerWaitsMs(event, detectTransport(event));

    // Assess
    expect(waits).toBe(expected);
  });
});
