import { encryptEventBody } from '../../sandbox/feishu';
import { decryptEvent } from '../../../lib/receiver/decryptEvent';

describe('Function: decryptEvent', () => {
  it("decrypts the platform's own test vector", () => {
    // Act
    const plaintext = decryptEvent('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key');

    // Assess
    expect(plaintext).toBe('hello world');
  });

  it('decrypts what the sandbox encrypts, non-ASCII included', () => {
    // Prepare
    const event = JSON.stringify({ schema: '2.0', title: '图片 café' });

    // Act
    const plaintext = decryptEvent(encryptEventBody('sandbox-encrypt-key-0000', event), 'sandbox-encrypt-key-0000');

    // Assess
    expect(plaintext).toBe(event);
  });

  it('answers undefined for a ciphertext made with another key', () => {
    // Prepare
    const encrypt = encryptEventBody('another-key', JSON.stringify({ schema: '2.0' }));

    // Act
    const plaintext = decryptEvent(encrypt, 'sandbox-encrypt-key-0000');

    // Assess
    expect(plaintext).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['not base64', 'not base64!'],
    ['shorter than an IV and a block', Buffer.alloc(20).toString('base64')],
    ['not whole blocks', Buffer.alloc(16 + 20).toString('base64')],
  ])('answers undefined for a field that is %s', (_, encrypt) => {
    // Act
    const plaintext = decryptEvent(encrypt, 'test key');

    // Assess
    expect(plaintext).toBeUndefined();
  });
});
