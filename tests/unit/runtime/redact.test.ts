import { redact, rememberSecret } from '../../../lib/runtime/redact';

describe('Function: redact', () => {
  it.each([
    ['a tenant token', 't-g1044qeGEDXTB6NDJOGV4JQX6NDA2QOQSTIC2ZC4'],
    ['a user token', 'u-cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234'],
    ['an app token', 'a-g2044q7TSTLABCDEFGHIJKLMNOP'],
    ['a token with URL-safe punctuation', 'u-abc.def_ghi~jkl+mno/pqr=stu-vwx'],
  ])('removes %s', (_, token) => {
    // Act
    const text = redact(`Invalid access token for authorization: ${token}, please retry`);

    // Assess
    expect(text).toBe('Invalid access token for authorization: [redacted], please retry');
  });

  it('removes every token in the text', () => {
    // Act
    const text = redact('t-g1044qeGEDXTB6NDJOGV4JQX and u-cjz1eKCEx289x1TXEiQJ');

    // Assess
    expect(text).toBe('[redacted] and [redacted]');
  });

  it('removes a token inside a header or JSON', () => {
    // Act
    const text = redact('{"authorization":"Bearer t-g1044qeGEDXTB6NDJOGV4JQX"}');

    // Assess
    expect(text).toBe('{"authorization":"Bearer [redacted]"}');
  });

  it('removes a remembered secret wherever it appears', () => {
    // Prepare
    rememberSecret('Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd');

    // Act
    const text = redact(
      '{"app_id":"cli_a1b2","app_secret":"Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd"} ' +
        'and again Zq8Lm2Nv4Tx6Wb1Ac3Eg5Ik7Oq9Su0Bd',
    );

    // Assess
    expect(text).toBe('{"app_id":"cli_a1b2","app_secret":"[redacted]"} and again [redacted]');
  });

  it('does not remember secrets shorter than four characters, which would blank out ordinary text', () => {
    // Prepare
    rememberSecret('abc');

    // Act
    const text = redact('abc abc');

    // Assess
    expect(text).toBe('abc abc');
  });

  it.each([
    'whiteboard thumbnail Vd7LwaTCKhv1bxbxNXAcSWlInFg: no read permission on the whiteboard',
    'im image img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g: the image was deleted',
    'the bot-capability is not enabled',
    'Feishu code 99991663 (u-short)',
  ])('leaves text without a secret as it is: %s', (given) => {
    // Act
    const text = redact(given);

    // Assess
    expect(text).toBe(given);
  });

  it.each([
    [
      'after a percent-encoded space',
      'Authorization: Bearer%20t-g1044qeGEDXTB6NDJOGV4JQX',
      'Authorization: Bearer%20[redacted]',
    ],
    ['after a doubly encoded space', 'q=Bearer%2520u-cjz1eKCEx289x1TXEiQJ', 'q=Bearer%2520[redacted]'],
    ['after an encoded equals sign', 'token%3Dt-g1044qeGEDXTB6NDJOGV4JQX&x=1', 'token%3D[redacted]&x=1'],
    ['itself percent-encoded', 'u-abc%2Bdef%2Fghi%3Djkl', '[redacted]'],
  ])('removes a token %s', (_, given, expected) => {
    // Act
    const text = redact(given);

    // Assess
    expect(text).toBe(expected);
  });

  it('removes a remembered secret of unusual characters, and its percent-encoded form', () => {
    // Prepare
    rememberSecret('u-RT!abc');

    // Act
    const text = redact('token u-RT!abc, or as sent: u-RT%21abc');

    // Assess
    expect(text).toBe('token [redacted], or as sent: [redacted]');
  });

  it('keeps the secret in use remembered, however many others came since, and forgets the oldest', () => {
    // Prepare
    rememberSecret('old-user-token-0000');
    rememberSecret('app-secret-in-use-0000');
    for (let i = 0; i < 1200; i += 1) {
      rememberSecret(`user-token-${i}-xxxx`);
      if (i % 100 === 0) rememberSecret('app-secret-in-use-0000');
    }

    // Act
    const text = redact('app-secret-in-use-0000 old-user-token-0000');

    // Assess
    expect(text).toBe('[redacted] old-user-token-0000');
  });
});
