import type { EndpointDescription } from './EndpointDescription';

/** How messages name one image, e.g. "helpdesk FAQ image faq1/img2". */
export function subjectOf(endpoint: EndpointDescription, source: Readonly<Record<string, string>>): string {
  return `${endpoint.noun} ${endpoint.ids.map((id) => source[id]).join('/')}`;
}
