import { baike, helpdeskFaq, im, whiteboard } from '../../../lib/endpoints';
import { feishuImageUrl, fillPath } from '../../../lib/feishu/feishuUrl';

describe('Function: feishuImageUrl', () => {
  it.each([
    [
      'whiteboard',
      whiteboard,
      { whiteboardId: 'Vd7LwaTCKhv1bxbxNXAcSWlInFg' },
      '/open-apis/board/v1/whiteboards/Vd7LwaTCKhv1bxbxNXAcSWlInFg/download_as_image',
    ],
    [
      'baike',
      baike,
      { fileToken: 'boxcnrHpsg1QDqXAAAyachabcef' },
      '/open-apis/baike/v1/files/boxcnrHpsg1QDqXAAAyachabcef/download',
    ],
    [
      'helpdesk-faq',
      helpdeskFaq,
      { faqId: '6947428293384273921', imageKey: 'img_v2_041b' },
      '/open-apis/helpdesk/v1/faqs/6947428293384273921/image/img_v2_041b',
    ],
    ['im', im, { imageKey: 'img_v3_02ab_e7a1' }, '/open-apis/im/v1/images/img_v3_02ab_e7a1'],
  ])('builds the documented Feishu path of a %s image on the base URL', (_, endpoint, source, path) => {
    // Act
    const url = feishuImageUrl('https://open.larksuite.com', endpoint, source);

    // Assess
    expect(url).toBe(`https://open.larksuite.com${path}`);
  });
});

describe('Function: fillPath', () => {
  it('percent-encodes ids as a second line of defence', () => {
    // Act
    const path = fillPath('/im/images/{imageKey}', { imageKey: '../../auth/v3?x=1' });

    // Assess
    expect(path).toBe('/im/images/..%2F..%2Fauth%2Fv3%3Fx%3D1');
  });

  it('leaves a missing id empty rather than writing "undefined"', () => {
    // Act
    const path = fillPath('/im/images/{imageKey}', {});

    // Assess
    expect(path).toBe('/im/images/');
  });
});
