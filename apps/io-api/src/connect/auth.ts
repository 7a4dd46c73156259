import { Code, ConnectError, createContextKey, type HandlerContext, type Interceptor } from '@connectrpc/connect';
import type { ApiKeys } from '../api-keys.js';

/** The tenant the call's API key belongs to; set by {@link authInterceptor} before any handler runs. */
export const TENANT = createContextKey<string | undefined>(undefined, { description: 'tenant of the API key' });

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Auth of every IoApiService call, as the REST view does it: `authorization: Bearer <key>`
 * selects the tenant; no header, another scheme or an unknown key is UNAUTHENTICATED (with
 * the REST view's messages), before the handler (or any store read) runs.
 */
export function authInterceptor(apiKeys: ApiKeys): Interceptor {
  return (next) => async (request) => {
    const authorization = request.header.get('authorization') ?? '';
    const match = BEARER.exec(authorization);
    if (!match) throw new ConnectError(authorization ? 'the Authorization header is not "Bearer <key>"' : 'an API key is required: Authorization: Bearer <key>', Code.Unauthenticated);
    const tenant = apiKeys.tenantOf(match[1]!);
    if (tenant === undefined) throw new ConnectError('the API key is not known', Code.Unauthenticated);
    request.contextValues.set(TENANT, tenant);
    return next(request);
  };
}

/** The call's tenant; UNAUTHENTICATED if the interceptor did not set one (never served without it). */
export function tenantOf(context: HandlerContext): string {
  const tenant = context.values.get(TENANT);
  if (tenant === undefined) throw new ConnectError('an API key is required: Authorization: Bearer <key>', Code.Unauthenticated);
  return tenant;
}
