import { baike, helpdeskFaq, im, whiteboard } from '../../../lib/endpoints';
import { imageKey } from '../../../lib/storage/imageKey';

describe('Function: imageKey', () => {
  it.each([
    ['whiteboard', whiteboard, { whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' }, 'feishu/whiteboard/Vd7LwaTCKhv1bxbxNXAcSWlInFg'],
    ['baike', baike, { fileToken: 'boxcnrHpsg1QDqXAAAyachabcef' }, 'feishu/baike/boxcnrHpsg1QDqXAAAyachabcef'],
    ['im', im, { imageKey: 'img_v3_02ab_e7a1' }, 'feishu/im/img_v3_02ab_e7a1'],
    ['helpdesk-faq', helpdeskFaq, { faqId: '6947428293384273921', imageKey: 'img_v2_041b' }, 'feishu/helpdesk-faq/6947428293384273921/img_v2_041b'],
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
});
