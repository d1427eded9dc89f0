import { baike, helpdeskFaq, im, whiteboard } from '../../../lib/endpoints';
import { imageKey } from '../../../lib/storage/imageKey';

describe('Function: imageKey', () => {
  it.each([
    [
      'whiteboard',
      whiteboard,
      { whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' },
      'feishu/whiteboard/Vd7LwaTCKhv1bxbxNXAcSWlInFg',
    ],
    ['baike', baike, { fileToken: 'boxcnrHpsg1QDqXAAAyachabcef' }, 'feishu/baike/boxcnrHpsg1QDqXAAAyachabcef'],
    ['im', im, { imageKey: 'img_v3_02ab_e7a1' }, 'feishu/im/img_v3_02ab_e7a1'],
    [
      'helpdesk-faq',
      helpdeskFaq,
      { faqId: '6947428293384273921', imageKey: 'img_v2_041b' },
      'feishu/helpdesk-faq/6947428293384273921/img_v2_041b',
    ],
  ])('puts an image of kind %s under {prefix}{kind}/{ids}', (_, endpoint, source, expected) => {
    // Act
    const key = imageKey('feishu/', endpoint, source);

    // Assess
    expect(key).toBe(expected);
  });

  it('uses the prefix as given, even empty', () => {
    // Act
    const key = imageKey('', im, { imageKey: 'img_v3_02ab' });

    // Assess
    expect(key).toBe('im/img_v3_02ab');
  });

  it('puts an image fetched with a user token under a folder of that token, named by its digest', () => {
    // Act
    const key = imageKey(
      'feishu/',
      baike,
      { fileToken: 'boxcnrHpsg1QDqXAAAyachabcef' },
      'u-cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234',
    );

    // Assess
    expect(key).toMatch(/^feishu\/user-token\/[0-9a-f]{32}\/baike\/boxcnrHpsg1QDqXAAAyachabcef$/);
    expect(key).not.toContain('cjz1eKCEx289x1TXEiQJ');
  });

  it('gives two user tokens two folders, and the same token the same one', () => {
    // Act
    const first = imageKey('feishu/', whiteboard, { whiteboardId: 'Vd7Lwa' }, 'u-first-user-token-000000000000');
    const again = imageKey('feishu/', whiteboard, { whiteboardId: 'Vd7Lwa' }, 'u-first-user-token-000000000000');
    const second = imageKey('feishu/', whiteboard, { whiteboardId: 'Vd7Lwa' }, 'u-second-user-token-00000000000');

    // Assess
    expect(first).toBe(again);
    expect(second).not.toBe(first);
    expect(first).not.toBe('feishu/whiteboard/Vd7Lwa');
  });
});
