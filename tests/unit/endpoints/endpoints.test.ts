import {
  ENDPOINTS,
  baike,
  calledEndpoints,
  docx,
  helpdeskFaq,
  im,
  subjectOf,
  whiteboard,
} from '../../../lib/endpoints';

const placeholders = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);

describe('Constant: ENDPOINTS', () => {
  it.each(ENDPOINTS.map((endpoint) => [endpoint.kind, endpoint] as const))(
    '%s names the same ids, in order, in its route and its Feishu path',
    (_, endpoint) => {
      // Act
      const inRoute = placeholders(endpoint.route);
      const inFeishuPath = placeholders(endpoint.feishuPath);

      // Assess
      expect(inRoute).toEqual([...endpoint.ids]);
      expect(inFeishuPath).toEqual([...endpoint.ids]);
    },
  );

  it("has the contract's seven routes and payload names", () => {
    // Act
    const routes = ENDPOINTS.map((endpoint) => [endpoint.functionName, endpoint.route, endpoint.ids]);

    // Assess
    expect(routes).toEqual([
      ['whiteboardImage', '/whiteboards/{whiteboardId}/image', ['whiteboardId']],
      ['baikeImage', '/baike/files/{fileToken}', ['fileToken']],
      ['helpdeskFaqImage', '/helpdesk/faqs/{faqId}/images/{imageKey}', ['faqId', 'imageKey']],
      ['imImage', '/im/images/{imageKey}', ['imageKey']],
      ['messageImage', '/im/messages/{messageId}/resources/{fileKey}', ['messageId', 'fileKey']],
      ['driveMedia', '/drive/medias/{fileToken}', ['fileToken']],
      ['docxImages', '/docx/documents/{documentId}/images', ['documentId']],
    ]);
  });

  it('takes a user token only for whiteboards, baike files, document media and documents', () => {
    // Act
    const accepting = ENDPOINTS.filter((endpoint) => endpoint.acceptsUserToken).map((endpoint) => endpoint.kind);

    // Assess
    expect(accepting).toEqual(['whiteboard', 'baike', 'drive-media', 'docx']);
  });

  it('treats every image but whiteboard thumbnails, and every document, as immutable', () => {
    // Act
    const mutable = ENDPOINTS.filter((endpoint) => !endpoint.immutable).map((endpoint) => endpoint.kind);

    // Assess
    expect(mutable).toEqual(['whiteboard', 'docx']);
  });

  it('sends the helpdesk header only to the helpdesk endpoint', () => {
    // Act
    const withHelpdesk = ENDPOINTS.filter((endpoint) => endpoint.helpdeskAuth);

    // Assess
    expect(withHelpdesk).toEqual([helpdeskFaq]);
  });
});

describe('Constant: docx', () => {
  it('mirrors image blocks as document media naming the document, and whiteboard blocks as whiteboards', () => {
    // Act
    const blocks = docx.document.blocks.map((block) => [
      block.blockType,
      block.endpoint.kind,
      block.payload('boxcnTok', 'doxcnDoc'),
    ]);

    // Assess
    expect(blocks).toEqual([
      [27, 'drive-media', { fileToken: 'boxcnTok', documentId: 'doxcnDoc' }],
      [43, 'whiteboard', { whiteboardId: 'boxcnTok' }],
    ]);
  });

  it('calls the blocks endpoint, document media and whiteboards, each within its own rate limit', () => {
    // Act
    const called = calledEndpoints(docx).map((endpoint) => endpoint.kind);

    // Assess
    expect(called).toEqual(['docx', 'drive-media', 'whiteboard']);
  });
});

describe('Function: subjectOf', () => {
  it.each([
    ['whiteboard', whiteboard, { whiteboardId: 'wb1' }, 'whiteboard thumbnail wb1'],
    ['baike', baike, { fileToken: 'box1' }, 'baike file box1'],
    ['helpdesk-faq', helpdeskFaq, { faqId: 'faq1', imageKey: 'img2' }, 'helpdesk FAQ image faq1/img2'],
    ['im', im, { imageKey: 'img_v3_01' }, 'im image img_v3_01'],
  ])('names a %s image by its noun and ids', (_, endpoint, source, expected) => {
    // Act
    const subject = subjectOf(endpoint, source);

    // Assess
    expect(subject).toBe(expected);
  });
});
