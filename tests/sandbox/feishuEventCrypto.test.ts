import { createDecipheriv, createHash } from 'node:crypto';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import { decryptEventBody, encryptEventBody, signEventRequest } from './feishu';

describe('Feishu event encryption and signature', () => {
  it('decrypts the platform test vector to hello world', () => {
    // Prepare
    const encrypt = 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=';

    // Act
    const plaintext = decryptEventBody('test key', encrypt);

    // Assess
    expect(plaintext).toBe('hello world');
  });

  it('encrypts what the Lark SDK decrypts back to the same text', () => {
    // Prepare
    const plaintext = JSON.stringify({ schema: '2.0', header: { event_id: '5e3702a84e847582be8db7fb73283c02' } });

    // Act
    const encrypt = encryptEventBody('sandbox-encrypt-key-0000', plaintext);

    // Assess
    expect(new AESCipher('sandbox-encrypt-key-0000').decrypt(encrypt)).toBe(plaintext);
    expect(decryptEventBody('sandbox-encrypt-key-0000', encrypt)).toBe(plaintext);
  });

  it('puts a fresh 16-byte IV before the AES-256-CBC ciphertext keyed with SHA-256 of the Encrypt Key', () => {
    // Prepare
    const key = createHash('sha256').update('test key', 'utf8').digest();

    // Act
    const first = Buffer.from(encryptEventBody('test key', 'hello world'), 'base64');
    const second = Buffer.from(encryptEventBody('test key', 'hello world'), 'base64');

    // Assess
    const decipher = createDecipheriv('aes-256-cbc', key, first.subarray(0, 16));
    expect(Buffer.concat([decipher.update(first.subarray(16)), decipher.final()]).toString('utf8')).toBe('hello world');
    expect(first.length).toBe(32);
    expect(second.subarray(0, 16)).not.toEqual(first.subarray(0, 16));
  });

  it('encrypts text of many bytes per character and of a whole number of blocks', () => {
    // Prepare
    const texts = ['图片 🖼️ 消息', 'x'.repeat(16), ''];

    // Act
    const decrypted = texts.map((text) => decryptEventBody('密钥', encryptEventBody('密钥', text)));

    // Assess
    expect(decrypted).toEqual(texts);
  });

  it('refuses to decrypt with another key', () => {
    // Prepare: a fixed IV, since one random block in 256 would end in valid padding under any key.
    const encrypt = encryptEventBody('sandbox-encrypt-key-0000', 'x'.repeat(40), Buffer.alloc(16, 7));

    // Act
    const decrypt = (): string => decryptEventBody('another key', encrypt);

    // Assess
    expect(decrypt).toThrow();
  });

  it('signs SHA-256 of the timestamp, nonce and Encrypt Key followed by the raw body, in lowercase hex', () => {
    // Prepare
    const body = Buffer.from('{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}');
    const expected = createHash('sha256')
      .update(`1700000000nonce-1test key${body.toString('utf8')}`)
      .digest('hex');

    // Act
    const signature = signEventRequest({ timestamp: '1700000000', nonce: 'nonce-1', encryptKey: 'test key', body });

    // Assess
    expect(signature).toBe(expected);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs the bytes as sent, so the same JSON with other whitespace has another signature', () => {
    // Prepare
    const compact = Buffer.from('{"encrypt":"abc"}');
    const spaced = Buffer.from('{\n  "encrypt": "abc"\n}');
    const input = { timestamp: '1700000000', nonce: 'n', encryptKey: 'k' };

    // Act
    const signatures = [signEventRequest({ ...input, body: compact }), signEventRequest({ ...input, body: spaced })];

    // Assess
    expect(signatures[0]).not.toBe(signatures[1]);
  });
});
