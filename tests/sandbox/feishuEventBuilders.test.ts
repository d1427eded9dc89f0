import {
  appTicket,
  imageMessage,
  mediaMessage,
  mergeForwardMessage,
  messageReceived,
  postMessage,
  sandboxEventApp,
  stickerMessage,
  textMessage,
  urlVerification,
} from './feishu';

/** The content of a message as a receiver reads it: the JSON string parsed. */
function contentOf(event: ReturnType<typeof messageReceived>): unknown {
  return JSON.parse(event.event.message.content);
}

describe('Feishu event builders', () => {
  it('builds url_verification with the challenge, the Verification Token and its type', () => {
    // Act
    const request = urlVerification('ajls384kdjx98XX', 'token-1');

    // Assess
    expect(request).toEqual({ challenge: 'ajls384kdjx98XX', token: 'token-1', type: 'url_verification' });
  });

  it("builds im.message.receive_v1 with a 2.0 header of a fresh event id and the app's id, token and tenant", () => {
    // Act
    const first = messageReceived({ ...imageMessage('img_v3_1'), chatId: 'oc_1' });
    const second = messageReceived({ ...imageMessage('img_v3_1'), chatId: 'oc_1' });

    // Assess
    expect(first.schema).toBe('2.0');
    expect(first.header).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      event_type: 'im.message.receive_v1',
      create_time: expect.stringMatching(/^\d{13}$/),
      token: sandboxEventApp.verificationToken,
      app_id: sandboxEventApp.appId,
      tenant_key: sandboxEventApp.tenantKey,
    });
    expect(second.header.event_id).not.toBe(first.header.event_id);
  });

  it('builds the message with its ids, chat, times in ms strings and the content as a JSON string', () => {
    // Act
    const event = messageReceived({ ...imageMessage('img_v3_1'), chatId: 'oc_1', chatType: 'p2p', createTime: 1e12 });

    // Assess
    expect(event.event.message).toMatchObject({
      message_id: expect.stringMatching(/^om_[0-9a-f]{32}$/),
      chat_id: 'oc_1',
      chat_type: 'p2p',
      message_type: 'image',
      content: '{"image_key":"img_v3_1"}',
      create_time: '1000000000000',
      root_id: '',
      parent_id: '',
      thread_id: '',
    });
    expect(event.event.sender).toEqual({
      sender_id: {
        open_id: expect.stringMatching(/^ou_/),
        union_id: expect.stringMatching(/^on_/),
        user_id: expect.any(String),
      },
      sender_type: 'user',
      tenant_key: sandboxEventApp.tenantKey,
    });
  });

  it('sends a content given as a string as it is, so that malformed content can be sent', () => {
    // Act
    const event = messageReceived({ messageType: 'image', content: '{"image_key":', chatId: 'oc_1' });

    // Assess
    expect(event.event.message.content).toBe('{"image_key":');
  });

  it('builds a post of N images as paragraphs of elements, each image an img element', () => {
    // Act
    const event = messageReceived({ ...postMessage(['img_1', 'img_2', 'img_3']), chatId: 'oc_1' });

    // Assess
    const content = contentOf(event) as { title: string; content: { tag: string; image_key?: string }[][] };
    expect(event.event.message.message_type).toBe('post');
    expect(content.title).toEqual(expect.any(String));
    expect(content.content.flat().filter((element) => element.tag === 'img')).toEqual([
      { tag: 'img', image_key: 'img_1' },
      { tag: 'img', image_key: 'img_2' },
      { tag: 'img', image_key: 'img_3' },
    ]);
  });

  it('wraps a post in a locale key when asked for the form a client sends', () => {
    // Act
    const plain = postMessage(['img_1']).content;
    const wrapped = postMessage(['img_1'], { form: 'zh_cn' }).content;

    // Assess
    expect(wrapped).toEqual({ zh_cn: plain });
  });

  it("ends a post with a video's cover as a media element when asked", () => {
    // Act
    const content = postMessage(['img_1', 'img_2'], { withVideo: true }).content as { content: unknown[][] };

    // Assess
    expect(content.content[1]?.[1]).toEqual({ tag: 'media', file_key: expect.any(String), image_key: 'img_2' });
  });

  it.each([
    ['sticker', stickerMessage('file_1'), { file_key: 'file_1' }],
    ['merge_forward', mergeForwardMessage(), { content: 'Merged and Forwarded Message' }],
    ['text', textMessage('hello'), { text: 'hello' }],
    ['media', mediaMessage('img_1', 'file_1'), { file_key: 'file_1', image_key: 'img_1', file_name: 'clip.mp4' }],
  ])('builds the content of a %s message', (type, body, expected) => {
    // Act
    const event = messageReceived({ ...body, chatId: 'oc_1' });

    // Assess
    expect(event.event.message.message_type).toBe(type);
    expect(contentOf(event)).toMatchObject(expected);
  });

  it('builds app_ticket as a 1.0 event with the token at the top and the ticket in the event', () => {
    // Act
    const event = appTicket(sandboxEventApp, 'ticket-1');

    // Assess
    expect(event).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
      ts: expect.stringMatching(/^\d{10}\.\d+$/),
      token: sandboxEventApp.verificationToken,
      type: 'event_callback',
      event: { app_id: sandboxEventApp.appId, app_ticket: 'ticket-1', type: 'app_ticket' },
    });
  });
});
