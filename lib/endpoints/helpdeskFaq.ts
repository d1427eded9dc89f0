import type { EndpointDescription } from './EndpointDescription';

/** Images inside helpdesk FAQs; the helpdesk's own credentials go along with the tenant token. */
export const helpdeskFaq = {
  kind: 'helpdesk-faq',
  functionName: 'helpdeskFaqImage',
  mirrors: 'a Feishu helpdesk FAQ image',
  noun: 'helpdesk FAQ image',
  ids: ['faqId', 'imageKey'],
  route: '/helpdesk/faqs/{faqId}/images/{imageKey}',
  feishuPath: '/open-apis/helpdesk/v1/faqs/{faqId}/image/{imageKey}',
  acceptsUserToken: false,
  helpdeskAuth: true,
  immutable: true,
  // Documented as "special"; 5/s keeps well inside what helpdesk APIs allow.
  rateLimit: { perSecond: 5 },
} as const satisfies EndpointDescription<string>;
