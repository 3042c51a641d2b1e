import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const COOKIE = 'minato_csrf';

/**
 * CSRF protection for the console's forms by double submit: a random token in a SameSite=Strict cookie, and the
 * same token in each form. Another site can make a browser post a form (with its basic-auth credentials), but can
 * neither read the token nor send the cookie with it. No server secret, so replicas need not share one.
 */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookie(request, COOKIE);
  if (existing && /^[0-9a-f]{64}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('hex');
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header('set-cookie', `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure}`);
  return token;
}

/** Why a state-changing request is refused, or null when its token matches the cookie and its origin is ours. */
export function csrfRefusal(request: FastifyRequest, formToken: unknown): string | null {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  const cookie = readCookie(request, COOKIE);
  if (typeof formToken !== 'string' || !cookie || formToken.length !== cookie.length) {
    return 'the form carries no valid CSRF token: reload the page and try again';
  }
  return timingSafeEqual(Buffer.from(formToken), Buffer.from(cookie))
    ? null
    : 'the CSRF token does not match';
}

/** Refuses a cross-site request that changes state but carries no form (Bull Board's API calls). */
export function crossSiteRefusal(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (origin !== undefined && origin !== 'null' && hostOf(origin) !== request.host) {
    return `origin ${origin} is not this console's (${request.host})`;
  }
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${String(site)} request`;
  return null;
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function hostOf(origin: string): string | null {
  return URL.canParse(origin) ? new URL(origin).host : null;
}
