/**
 * Pure: the authorizer the proxied methods use (`authorization` COGNITO_USER_POOLS or CUSTOM), and for a
 * Lambda one the permission that lets API Gateway invoke the function for this API's authorizers.
 *
 * Authorizers carry no tags: the action's are those with a name of its own (`cortex-rest-gateway-cognito-
 * <hash of the pools>`, `cortex-rest-gateway-lambda-token-<hash of the function>` or `-request-`) on an API
 * of ours. What AWS cannot change in place (the pools, TOKEN ↔ REQUEST) and the function are in the name, so
 * a change of them is a new authorizer, the methods moved to it, and the old one deleted once no stage may
 * serve it; the identity source and the cache's TTL are updated in place. A person's authorizer is never
 * touched.
 *
 * The permission is a statement on the function whose id is the action's prefix and the API's id, and
 * whose SourceArn names this API's authorizers: added once an authorizer of ours naming the function is
 * there, removed (that statement only) once none that stays names it. A no-op run reads no policy: an
 * authorizer of ours used by the methods is only ever there with the statement beside it.
 */
import { createHash } from 'node:crypto'
import { ACTION_NAME, PROXY_PATH, ROOT_PATH } from '../../base/constants.js'
import {
  NEW_AUTHORIZER,
  type AuthorizerRef,
  type AuthorizerSpec,
  type AuthorizerState,
  type Patch
} from '../../model/model.js'

export type { AuthorizerSpec }
import type { ResourceState } from '../../model/model.js'
import type { Change } from '../../report/words.js'
import { partitionOf, type AuthorizerConfig } from './inputs.js'

export type AuthorizerStep =
  | { op: 'create-authorizer'; authorizer: AuthorizerSpec }
  | { op: 'update-authorizer'; authorizerId: string; name: string; patches: Patch[]; changes: Change[] }
  | { op: 'delete-authorizer'; authorizerId: string; name: string }
  /** `account`: the API's, for the SourceArn; `apiId` where the API is there (a new one's is known at apply). */
  | { op: 'add-lambda-permission'; functionArn: string; account: string; apiId?: string }
  | { op: 'remove-lambda-permission'; functionArn: string; apiId: string }

/** The identity a Cognito authorizer reads: the caller's token in the Authorization header. */
export const COGNITO_IDENTITY_SOURCE = 'method.request.header.Authorization'

/** The statement on a function that lets API Gateway invoke it for this API's authorizers: the action's id. */
export const permissionStatementId = (apiId: string): string => `${ACTION_NAME}-${apiId}`

/** A statement on a function is the action's for an API when its id is the one the action gives it. */
export const isOurStatement = (statementId: string, apiId: string): boolean =>
  statementId === permissionStatementId(apiId)

/** What the statement allows: this API's authorizers, and nothing else of the account's. */
export const permissionSourceArn = (region: string, account: string, apiId: string): string =>
  `arn:${partitionOf(region)}:execute-api:${region}:${account}:${apiId}/authorizers/*`

/** The API's ARN for callers' IAM policies (`execute-api:Invoke`); empty where the account is not known. */
export const executionArn = (
  region: string,
  account: string | undefined,
  apiId: string | undefined
): string => (account && apiId ? `arn:${partitionOf(region)}:execute-api:${region}:${account}:${apiId}` : '')

/** The account in an ARN (its fifth part), where it is one. */
export function accountOf(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4]
  return account && /^\d{12}$/.test(account) ? account : undefined
}

const OURS_RE = new RegExp(`^${ACTION_NAME}-(?:cognito|lambda-(?:token|request))-[0-9a-f]{8}$`)

/** 8 hex of the sha256 of the text. */
const hash8 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8)

/** An authorizer the action made: its name is one the action gives (on an API of ours). */
export const isOurAuthorizer = (a: Pick<AuthorizerState, 'name'>): boolean => OURS_RE.test(a.name)

/** The function a Lambda authorizer invokes, from its URI. */
export function functionOf(authorizerUri: string | undefined): string | undefined {
  return /\/functions\/(.+)\/invocations$/.exec(authorizerUri ?? '')?.[1]
}

/** The authorizer the inputs ask for. */
export function authorizerSpec(want: AuthorizerConfig, region: string): AuthorizerSpec {
  if (want.kind === 'cognito') {
    const pools = [...want.userPoolArns].sort()
    return {
      name: `${ACTION_NAME}-cognito-${hash8(pools.join('\n'))}`,
      type: 'COGNITO_USER_POOLS',
      providerArns: pools,
      identitySource: COGNITO_IDENTITY_SOURCE
    }
  }
  return {
    // the function is in the name: another function is another authorizer, the old one kept while used
    name: `${ACTION_NAME}-lambda-${want.type.toLowerCase()}-${hash8(want.functionArn)}`,
    type: want.type,
    providerArns: [],
    authorizerUri:
      `arn:${partitionOf(region)}:apigateway:${region}:lambda:path/2015-03-31/functions/` +
      `${want.functionArn}/invocations`,
    identitySource: want.identitySource,
    ttl: want.ttl
  }
}

export interface AuthorizerInput {
  want?: AuthorizerConfig
  region: string
  /** The API's account (for the permission's SourceArn). */
  account: string
  /** The API, where there is one, with its authorizers and methods. */
  apiId?: string
  found: AuthorizerState[]
  resources: ResourceState[]
}

export interface AuthorizerPart {
  /** What the proxied methods use; absent without an authorizer. */
  use?: { authorizerId: AuthorizerRef; scopes?: string[] }
  /** Before the methods change: the permission, then the authorizer made or updated. */
  before: AuthorizerStep[]
  /** Once the stage serves the methods' new authorizer: permissions no longer needed, authorizers unused. */
  after: AuthorizerStep[]
  notes: string[]
}

/** Updates of what AWS changes in place and the name does not hold: the identity source, the TTL. */
function inPlace(have: AuthorizerState, want: AuthorizerSpec): { patches: Patch[]; changes: Change[] } {
  const patches: Patch[] = []
  const changes: Change[] = []
  const fields: [string, string, string | undefined, string | undefined, (v: string) => string][] = [
    ['/identitySource', 'identity source', have.identitySource, want.identitySource, v => v],
    [
      '/authorizerResultTtlInSeconds',
      'TTL',
      have.ttl === undefined ? undefined : String(have.ttl),
      want.ttl === undefined ? undefined : String(want.ttl),
      v => `${v} s`
    ]
  ]
  for (const [path, what, from, to, show] of fields) {
    if (to === undefined || from === to) continue
    patches.push({ op: 'replace', path, value: to })
    changes.push({ what, ...(from === undefined ? {} : { from: show(from) }), to: show(to) })
  }
  return { patches, changes }
}

/** Whether every proxied method uses this authorizer now. */
function methodsUse(resources: ResourceState[], authorizerId: string): boolean {
  const proxied = [ROOT_PATH, PROXY_PATH].map(p => resources.find(r => r.path === p)?.methods.ANY)
  return proxied.every(m => m?.authorizerId === authorizerId)
}

/** The methods other than the proxied ones (a person's) that use an authorizer. */
function othersUsing(resources: ResourceState[], authorizerId: string): string[] {
  return resources.flatMap(r =>
    Object.entries(r.methods)
      .filter(
        ([name, m]) =>
          m.authorizerId === authorizerId &&
          !(name === 'ANY' && [ROOT_PATH, PROXY_PATH].includes(r.path as never))
      )
      .map(([name]) => `${name} ${r.path}`)
  )
}

/** The authorizer wanted, made or brought in place, and the action's others removed once unused. */
export function planAuthorizer(input: AuthorizerInput): AuthorizerPart {
  const { want, found, resources } = input
  const spec = want && authorizerSpec(want, input.region)
  const ours = found.filter(isOurAuthorizer)
  const keep = spec && ours.find(a => a.name === spec.name)
  const before: AuthorizerStep[] = []
  const after: AuthorizerStep[] = []
  const notes: string[] = []
  const wantedFunction = want?.kind === 'lambda' ? want.functionArn : undefined
  let use: AuthorizerPart['use']
  if (spec && want) {
    const scopes = want.kind === 'cognito' && want.scopes.length > 0 ? want.scopes : undefined
    if (!keep) before.push({ op: 'create-authorizer', authorizer: spec })
    else {
      const { patches, changes } = inPlace(keep, spec)
      if (patches.length > 0)
        before.push({ op: 'update-authorizer', authorizerId: keep.id, name: keep.name, patches, changes })
    }
    // the permission goes once the authorizer naming the function is there (a run stopped between the two
    // finds the authorizer, which names the function, and its statement is removed with it), and again
    // whenever the methods are moved onto it (a run that stopped half-way may have removed it)
    if (wantedFunction && (!keep || !methodsUse(resources, keep.id)))
      before.push({
        op: 'add-lambda-permission',
        functionArn: wantedFunction,
        account: input.account,
        ...(input.apiId ? { apiId: input.apiId } : {})
      })
    use = { authorizerId: keep ? keep.id : NEW_AUTHORIZER, ...(scopes ? { scopes } : {}) }
  }
  const going: AuthorizerState[] = []
  for (const a of ours.filter(a => a !== keep)) {
    const others = othersUsing(resources, a.id)
    if (others.length > 0) {
      notes.push(`Authorizer ${a.id} (${a.name}) is kept: ${others.join(', ')} still use it`)
      continue
    }
    going.push(a)
    after.push({ op: 'delete-authorizer', authorizerId: a.id, name: a.name })
  }
  // a function's statement goes once no authorizer of ours that stays (kept, wanted) names it
  const staying = new Set(
    ours.filter(a => !going.includes(a)).flatMap(a => functionOf(a.authorizerUri) ?? [])
  )
  if (wantedFunction) staying.add(wantedFunction)
  const leaving = new Set(
    going.flatMap(a => functionOf(a.authorizerUri) ?? []).filter(fn => !staying.has(fn))
  )
  // the statement goes before the authorizer that needed it: a run stopped between the two finds the
  // authorizer unused, and removes both again
  const apiId = input.apiId
  const removals: AuthorizerStep[] = apiId
    ? [...leaving].map(fn => ({ op: 'remove-lambda-permission', functionArn: fn, apiId }))
    : []
  return { use, before, after: [...removals, ...after], notes }
}

/** A delete: the statements the API's Lambda authorizers of ours needed, before the API goes. */
export function planAuthorizerDelete(apiId: string, found: AuthorizerState[] = []): AuthorizerStep[] {
  const functions = new Set(found.filter(isOurAuthorizer).flatMap(a => functionOf(a.authorizerUri) ?? []))
  return [...functions].map(fn => ({ op: 'remove-lambda-permission', functionArn: fn, apiId }))
}
