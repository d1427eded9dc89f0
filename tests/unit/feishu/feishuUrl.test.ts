import { baike, docx, driveMedia, helpdeskFaq, im, imMessage, whiteboard } from '../../../lib/endpoints';
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

  it('asks message resources for the image type', () => {
    // Act
    const url = feishuImageUrl('https://open.feishu.cn', imMessage, { messageId: 'om_1', fileKey: 'img_v3_2' });

    // Assess
    expect(url).toBe('https://open.feishu.cn/open-apis/im/v1/messages/om_1/resources/img_v3_2?type=image');
  });

  it('names the document of a document media in extra, as URL-encoded JSON', () => {
    // Act
    const url = new URL(
      feishuImageUrl('https://open.feishu.cn', driveMedia, { fileToken: 'boxcn1', documentId: 'doxcn2' }),
    );

    // Assess
    expect(url.pathname).toBe('/open-apis/drive/v1/medias/boxcn1/download');
    expect(JSON.parse(url.searchParams.get('extra') ?? '')).toEqual({ doc_id: 'doxcn2', doc_type: 'docx' });
  });

  it('sends no extra when the caller names no document', () => {
    // Act
    const url = feishuImageUrl('https://open.feishu.cn', driveMedia, { fileToken: 'boxcn1' });

    // Assess
    expect(url).toBe('https://open.feishu.cn/open-apis/drive/v1/medias/boxcn1/download');
  });

  it('adds a query of the call to the fixed one and the place ids', () => {
    // Act
    const url = feishuImageUrl('https://open.feishu.cn', docx, { documentId: 'doxcn1' }, { page_size: '500' });

    // Assess
    expect(url).toBe('https://open.feishu.cn/open-apis/docx/v1/documents/doxcn1/blocks?page_size=500');
  });

  it('joins a query of the call to a fixed query with &', () => {
    // Act
    const url = feishuImageUrl('https://open.feishu.cn', imMessage, { messageId: 'om_1', fileKey: 'k' }, { a: 'b' });

    // Assess
    expect(url).toBe('https://open.feishu.cn/open-apis/im/v1/messages/om_1/resources/k?type=image&a=b');
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
