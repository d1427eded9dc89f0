import { MirrorError } from '../../../lib/errors/MirrorError';
import { toErrorBody, toMirrorError } from '../../../lib/errors/errorBody';

describe('Function: toErrorBody', () => {
  it("holds code, message, retryable and Feishu's details", () => {
    // Prepare
    const error = new MirrorError(
      'NOT_FOUND',
      'whiteboard thumbnail wb1: the whiteboard does not exist or was deleted (Feishu code 2890003)',
      {
        feishuCode: 2890003,
        feishuMsg: 'record missing',
        logId: '202611210815421A2B3C4D5E6F7A8B9C0D',
      },
    );

    // Act
    const body = toErrorBody(error);

    // Assess
    expect(body).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'whiteboard thumbnail wb1: the whiteboard does not exist or was deleted (Feishu code 2890003)',
        retryable: false,
        feishuCode: 2890003,
        feishuMsg: 'record missing',
        logId: '202611210815421A2B3C4D5E6F7A8B9C0D',
      },
    });
  });

  it('leaves out the Feishu fields that are not known', () => {
    // Act
    const body = toErrorBody(new MirrorError('INVALID_REQUEST', 'imageKey is required'));

    // Assess
    expect(Object.keys(body.error)).toEqual(['code', 'message', 'retryable']);
  });

  it('shows neither the cause, nor the stack, nor anything else of the error', () => {
    // Prepare
    const error = new MirrorError('STORAGE_ERROR', 'storing k: S3 failed (SlowDown)', {
      cause: new Error('secret internals'),
      retryAfterSeconds: 3,
    });

    // Act
    const text = JSON.stringify(toErrorBody(error));

    // Assess
    expect(text).not.toContain('secret internals');
    expect(text).not.toContain('stack');
    expect(text).not.toContain('retryAfterSeconds');
  });
});

describe('Function: toMirrorError', () => {
  it('passes a MirrorError through as it is', () => {
    // Prepare
    const error = new MirrorError('FORBIDDEN', 'no read permission on the whiteboard');

    // Act
    const result = toMirrorError(error);

    // Assess
    expect(result).toBe(error);
  });

  it('turns any other Error into INTERNAL_ERROR without its message, keeping it as the cause', () => {
    // Prepare
    const thrown = new TypeError("Cannot read properties of undefined (reading 'app_secret=Zq8Lm2Nv')");

    // Act
    const result = toMirrorError(thrown);

    // Assess
    expect(result).toMatchObject({ code: 'INTERNAL_ERROR', name: 'InternalError', status: 500, retryable: false });
    expect(result.message).toBe('an unexpected error occurred; the function log has the details');
    expect(result.message).not.toContain('app_secret');
    expect(result.cause).toBe(thrown);
  });

  it.each([
    ['a string', 'boom'],
    ['undefined', undefined],
    ['a plain object', { message: 'not an Error' }],
  ])('turns %s thrown into INTERNAL_ERROR', (_, thrown) => {
    // Act
    const result = toMirrorError(thrown);

    // Assess
    expect(result.code).toBe('INTERNAL_ERROR');
  });
});
