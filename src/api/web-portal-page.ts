import type { FastifyReply } from 'fastify';

/**
 * The debtor portal is its own page (web/portal.html): a browser navigation to
 * /portal/<token> gets it, whatever the token, so a bad link is refused by the portal API
 * and shown by the page the same way as any other. API clients (no text/html) keep the
 * problem+json 404.
 */
export function isPortalPage(method: string, path: string, accept: string | undefined): boolean {
  return method === 'GET' && path.startsWith('/portal/') && (accept ?? '').includes('text/html');
}

export function sendPortalPage(reply: FastifyReply) {
  // The token is in the URL: keep the page out of caches and never send it as a referrer.
  reply.header('cache-control', 'no-store');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-robots-tag', 'noindex, nofollow');
  return reply.type('text/html').sendFile('portal.html', { cacheControl: false });
}
