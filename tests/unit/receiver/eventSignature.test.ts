import { signEventRequest } from '../../sandbox/feishu';
import { sameSecret, signatureMatches } from '../../../lib/receiver/eventSignature';

const ENCRYPT_KEY = 'sandbox-encrypt-key-0000';
const TIMESTAMP = '1733560000';
const NONCE = 'e0c2b4a1-9f1d-4f0e-a6f2-5a1f1d3c9b77';

/** The headers Feishu sends with the body: its signature made by the sandbox, a second implementation. */
function signed(body: Buffer) {
  return {
    timestamp: TIMESTAMP,
    nonce: NONCE,
    signature: signEventRequest({ timestamp: TIMESTAMP, nonce: NONCE, encryptKey: ENCRYPT_KEY, body }),
  };
}

describe('Function: signatureMatches', () => {
  it('accepts the signature of compact JSON', () => {
    // Prepare
    const body = Buffer.from('{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}');

    // Act
    const matches = signatureMatches(signed(body), body, ENCRYPT_KEY);

    // Assess
    expect(matches).toBe(true);
  });

  it('accepts a body signed with its whitespace and non-ASCII characters, as sent', () => {
    // Prepare
    const body = Buffer.from(
      '{\n  "encrypt" : "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=",\n  "note": "café 图片"\n}\n',
    );

    // Act
    const matches = signatureMatches(signed(body), body, ENCRYPT_KEY);

    // Assess
    expect(matches).toBe(true);
  });

  it('refuses the same body re-serialised from its parsed JSON (what the official SDK checks)', () => {
    // Prepare
    const sent = Buffer.from('{ "encrypt": "abc" }');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(sent.toString())));

    // Act
    const matches = signatureMatches(signed(sent), reserialised, ENCRYPT_KEY);

    // Assess
    expect(matches).toBe(false);
  });

  it('refuses a signature made with another Encrypt Key', () => {
    // Prepare
    const body = Buffer.from('{"encrypt":"abc"}');

    // Act
    const matches = signatureMatches(signed(body), body, 'another-key');

    // Assess
    expect(matches).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['too short', 'abcdef'],
    ['not hex', 'z'.repeat(64)],
    ['base64 instead of hex', Buffer.alloc(32).toString('base64')],
  ])('refuses a signature that is %s without throwing', (_, signature) => {
    // Prepare
    const body = Buffer.from('{"encrypt":"abc"}');

    // Act
    const matches = signatureMatches({ timestamp: TIMESTAMP, nonce: NONCE, signature }, body, ENCRYPT_KEY);

    // Assess
    expect(matches).toBe(false);
  });
});

describe('Function: sameSecret', () => {
  it.each([
    ['the same token', 'vt-0000', 'vt-0000', true],
    ['another token of the same length', 'vt-0001', 'vt-0000', false],
    ['a prefix of it', 'vt-000', 'vt-0000', false],
    ['an empty one', '', 'vt-0000', false],
  ])('tells %s apart', (_, given, expected, same) => {
    // Act
    const result = sameSecret(given, expected);

    // Assess
    expect(result).toBe(same);
  });
});
