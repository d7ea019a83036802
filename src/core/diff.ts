/** What differs between the wanted resources and methods and what AWS holds. */
import { Defaults, PROXY_PATH_PART, ROOT_PATH } from '../base/constants.js'
import { type DesiredMethod, type DesiredResource } from './desired.js'
import { type AuthorizerRef, type LinkRef, type MethodState, type ResourceState } from '../model/model.js'
import type { Change } from '../report/words.js'
import type { Step } from './plan.js'

/** Methods we manage on the resources we manage; anything else a person added stays. */
export const MANAGED_METHODS = ['ANY', 'OPTIONS']

export function diffResources(desired: DesiredResource[], actual: ResourceState[]): Step[] {
  const steps: Step[] = []
  for (const want of desired) {
    const have = actual.find(r => r.path === want.path)
    if (!have) {
      steps.push({ op: 'create-resource', path: want.path, parentPath: ROOT_PATH, pathPart: PROXY_PATH_PART })
    }
    for (const m of want.methods) {
      const existing = have?.methods[m.httpMethod]
      if (existing && methodMatches(existing, m)) continue
      // AWS refuses PutMethod on an existing method (409): replace it whole
      if (existing) steps.push({ op: 'delete-method', path: want.path, httpMethod: m.httpMethod })
      const changes = existing ? methodChanges(existing, m) : []
      steps.push({ op: 'put-method', path: want.path, method: m, ...(changes.length > 0 ? { changes } : {}) })
    }
    for (const name of Object.keys(have?.methods ?? {})) {
      if (MANAGED_METHODS.includes(name) && !want.methods.some(m => m.httpMethod === name)) {
        steps.push({ op: 'delete-method', path: want.path, httpMethod: name })
      }
    }
  }
  return steps
}

/**
 * What a method replaced changes that a person reads: its authorization, its API key, where it leads, its
 * VPC link, its timeout (the rest, such as CORS headers, is named by the method alone).
 */
export function methodChanges(have: MethodState, want: DesiredMethod): Change[] {
  const link = (ref: LinkRef | undefined): string =>
    ref === undefined ? 'none' : typeof ref === 'string' ? ref : 'a new VPC link'
  const i = have.integration
  const pairs: [string, string, string][] = [
    ['authorization', have.authorizationType ?? 'NONE', want.authorizationType],
    ['authorizer', have.authorizerId ?? 'none', authorizerText(want.authorizerId)],
    [
      'scopes',
      (have.authorizationScopes ?? []).join(' ') || 'none',
      (want.authorizationScopes ?? []).join(' ') || 'none'
    ],
    [
      'API key',
      have.apiKeyRequired ? 'required' : 'not required',
      want.apiKeyRequired ? 'required' : 'not required'
    ],
    [
      'integration',
      [i?.type ?? 'none', i?.uri].filter(Boolean).join(' '),
      [want.integration.type, want.integration.uri].filter(Boolean).join(' ')
    ],
    ['VPC link', link(i?.connectionId), link(want.integration.connectionId)],
    [
      'timeout',
      `${i?.timeoutInMillis ?? Defaults.integrationTimeout} ms`,
      `${want.integration.timeoutInMillis ?? Defaults.integrationTimeout} ms`
    ]
  ]
  return pairs.filter(([, from, to]) => from !== to).map(([what, from, to]) => ({ what, from, to }))
}

const authorizerText = (ref: AuthorizerRef | undefined): string =>
  ref === undefined ? 'none' : typeof ref === 'string' ? ref : 'a new authorizer'

const sameList = (a: string[] = [], b: string[] = []): boolean =>
  a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i])

const orEmpty = <T extends object>(v: T | null | undefined): T | Record<string, never> => v ?? {}

function sameRecord(
  a: Record<string, unknown> | undefined | null,
  b: Record<string, unknown> | undefined | null
): boolean {
  const x = orEmpty(a)
  const y = orEmpty(b)
  const keys = new Set([...Object.keys(x), ...Object.keys(y)])
  for (const k of keys)
    if ((x as Record<string, unknown>)[k] !== (y as Record<string, unknown>)[k]) return false
  return true
}

/** Compares only what we set; AWS fills in defaults (timeouts, cache keys) we leave alone. */
export function methodMatches(actual: MethodState, want: DesiredMethod): boolean {
  if ((actual.authorizationType ?? 'NONE') !== want.authorizationType) return false
  // an authorizer yet to be made is never the one the method uses now
  if ((actual.authorizerId ?? undefined) !== want.authorizerId) return false
  if (!sameList(actual.authorizationScopes, want.authorizationScopes)) return false
  if ((actual.apiKeyRequired ?? false) !== (want.apiKeyRequired ?? false)) return false
  if (!sameRecord(actual.requestParameters, want.requestParameters)) return false
  for (const r of want.methodResponses) {
    const got = actual.responses[r.statusCode]
    if (!got || !sameRecord(got, r.responseParameters)) return false
  }
  const i = actual.integration
  const w = want.integration
  if (!i || i.type !== w.type) return false
  if (w.type === 'HTTP_PROXY' && (i.httpMethod !== w.integrationHttpMethod || i.uri !== w.uri)) return false
  if ((i.connectionType ?? 'INTERNET') !== w.connectionType) return false
  // a link yet to be made is never the one the method goes through now
  if (w.connectionType === 'VPC_LINK' && i.connectionId !== w.connectionId) return false
  if ((i.integrationTarget ?? undefined) !== w.integrationTarget) return false
  if (!sameRecord(i.requestParameters, w.requestParameters)) return false
  if (!sameRecord(i.requestTemplates, w.requestTemplates)) return false
  if (
    w.type === 'HTTP_PROXY' &&
    (i.timeoutInMillis ?? Defaults.integrationTimeout) !== (w.timeoutInMillis ?? Defaults.integrationTimeout)
  )
    return false
  // absent is AWS's default, BUFFERED: the mode goes back to it when streaming is no longer asked for
  if ((i.responseTransferMode ?? 'BUFFERED') !== (w.responseTransferMode ?? 'BUFFERED')) return false
  for (const r of w.responses) {
    const got = i.responses[r.statusCode]
    if (!got || !sameRecord(got, r.responseParameters)) return false
    // a template is compared where one is wanted (the preflight's of several origins); an empty one is AWS's
    for (const [type, text] of Object.entries(r.responseTemplates ?? {})) {
      if (text !== '' && i.responseTemplates?.[r.statusCode]?.[type] !== text) return false
    }
  }
  return true
}
