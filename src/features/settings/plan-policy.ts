/**
 * Pure: the resource policy part of the API's settings. The action's statements are marked (their `Sid`);
 * a person's beside them are kept as they are.
 */
import { ActionError } from '../../base/errors.js'
import type { Patch, RestApiSummary } from '../../model/model.js'
import { counted, type Change } from '../../report/words.js'
import type { Settings } from './inputs.js'

/** A policy in an update's text: how many statements it has. */
const statementsText = (count: number): string => (count > 0 ? counted(count, 'statement') : 'none')

/**
 * The mark of a statement the action wrote in a resource policy: its `Sid` starts with it. A
 * statement without it is a person's, kept as it is; the action changes and removes only its own.
 */
export const POLICY_SID_PREFIX = 'CortexRestGateway'

export interface PolicyDocument {
  Version?: string
  Statement: unknown[]
}

const INVOKE = { Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }

/**
 * The action's statements, each marked: those of `resource-policy` (the user's `Sid` kept after the
 * mark), then an `Allow` for everyone where limits come without a policy of the user's, then the denies
 * of `allowed-source-ips` and a PRIVATE API's `vpc-endpoint-ids`.
 */
function ourStatements(s: Settings, theirAllow = false): Record<string, unknown>[] {
  const statements: Record<string, unknown>[] = (s.resourcePolicy?.Statement ?? []).map((st, i) => {
    const given = st as Record<string, unknown>
    const sid = typeof given.Sid === 'string' ? given.Sid : ''
    return { ...given, Sid: `${POLICY_SID_PREFIX}Policy${i + 1}${sid}` }
  })
  const limits = s.allowedSourceIps.length > 0 || s.vpcEndpointIds.length > 0
  // beside a person's own Allow, the denies narrow it: an Allow for everyone would undo their limit
  if (!s.resourcePolicy && limits && !theirAllow)
    statements.push({ Sid: `${POLICY_SID_PREFIX}AllowInvoke`, Effect: 'Allow', ...INVOKE })
  if (s.allowedSourceIps.length > 0) {
    statements.push({
      Sid: `${POLICY_SID_PREFIX}AllowedSourceIps`,
      Effect: 'Deny',
      ...INVOKE,
      Condition: { NotIpAddress: { 'aws:SourceIp': s.allowedSourceIps } }
    })
  }
  if (s.vpcEndpointIds.length > 0) {
    statements.push({
      Sid: `${POLICY_SID_PREFIX}VpcEndpoints`,
      Effect: 'Deny',
      ...INVOKE,
      Condition: { StringNotEquals: { 'aws:SourceVpce': s.vpcEndpointIds } }
    })
  }
  return statements
}

/** The action's own policy (its statements alone), undefined for none. */
function ourPolicy(s: Settings, theirAllow = false): PolicyDocument | undefined {
  const statements = ourStatements(s, theirAllow)
  return statements.length > 0
    ? { Version: s.resourcePolicy?.Version ?? '2012-10-17', Statement: statements }
    : undefined
}

/** A policy's JSON text as AWS returns it (it may escape the text), parsed; undefined if it is not JSON. */
function policyJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    try {
      return JSON.parse(text.replace(/\\"/g, '"').replace(/\\\\/g, '\\'))
    } catch {
      return undefined
    }
  }
}

/** A policy as AWS holds it (a JSON text, maybe escaped), parsed; undefined for none. */
function parsePolicy(text: string | undefined): PolicyDocument | undefined {
  if (!text) return undefined
  const value = policyJson(text)
  if (value === undefined) {
    throw new ActionError(
      "The API's resource policy cannot be read as JSON: the action would not know which of its " +
        "statements are a person's. Fix or remove the policy by hand"
    )
  }
  const doc = value as { Version?: unknown; Statement?: unknown }
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : []
  return { Version: typeof doc?.Version === 'string' ? doc.Version : undefined, Statement: statements }
}

/** The `Sid`s the action writes, exactly: a person's `CortexRestGatewayAudit` is not one of them. */
const OUR_SID_RE = new RegExp(
  `^${POLICY_SID_PREFIX}(Policy[1-9]\\d*.*|AllowInvoke|AllowedSourceIps|VpcEndpoints)$`,
  's'
)

const isMarked = (st: unknown): boolean =>
  typeof (st as { Sid?: unknown })?.Sid === 'string' && OUR_SID_RE.test((st as { Sid: string }).Sid)

/**
 * A statement a gateway made before the marks holds as the action wrote it: the `Allow` for everyone,
 * a deny of other source IPs or of other VPC endpoints (whatever their list), or a statement of the
 * `resource-policy` given now, as given. Only where the API's settings tag says the action set the
 * policy; anything else there is a person's.
 */
function wroteUnmarked(st: unknown, s: Settings, apiId: string | undefined): boolean {
  const given = (s.resourcePolicy?.Statement ?? []).map(g => canonicalPolicy(g, apiId))
  if (given.includes(canonicalPolicy(st, apiId))) return true
  const c = JSON.parse(canonicalPolicy(st, apiId)) as unknown
  if (!c || typeof c !== 'object' || Array.isArray(c)) return false
  const { Effect, Condition, ...rest } = c as Record<string, unknown>
  if (canonicalPolicy(rest, apiId) !== canonicalPolicy(INVOKE, apiId)) return false
  if (Effect === 'Allow') return Condition === undefined
  if (Effect !== 'Deny' || !Condition || typeof Condition !== 'object') return false
  const tests = Object.entries(Condition as Record<string, unknown>)
  if (tests.length !== 1) return false
  const [[operator, test]] = tests
  const keys = test && typeof test === 'object' ? Object.keys(test) : []
  return (
    keys.length === 1 &&
    ((operator === 'NotIpAddress' && keys[0] === 'aws:SourceIp') ||
      (operator === 'StringNotEquals' && keys[0] === 'aws:SourceVpce'))
  )
}

/**
 * The statements of the policy AWS holds that are a person's: every one without the action's mark,
 * less, on a gateway made before the marks (its tag records `policy`, no statement is marked), the
 * ones the action wrote then.
 */
function theirStatements(
  have: PolicyDocument | undefined,
  s: Settings,
  apiId: string | undefined,
  tagged: boolean
): unknown[] {
  const statements = have?.Statement ?? []
  const legacy = tagged && !statements.some(isMarked)
  return statements.filter(st => !isMarked(st) && !(legacy && wroteUnmarked(st, s, apiId)))
}

/**
 * A policy in one comparable form: AWS writes `execute-api:/*` out as the API's ARN, may hold a
 * one-element list as its element, and escapes the text it returns.
 */
export function canonicalPolicy(policy: unknown, apiId: string | undefined): string {
  const value = typeof policy === 'string' ? policyJson(policy) : policy
  if (typeof policy === 'string' && value === undefined) return policy
  const arn = apiId ? new RegExp(`^arn:aws[a-z-]*:execute-api:[^:]+:\\d{12}:${apiId}/`) : undefined
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.length === 1 ? norm(v[0]) : v.map(norm).sort(byJson)
    if (v && typeof v === 'object') {
      // a principal of everyone, `{"AWS": "*"}`, is written `*` by some
      const only = Object.entries(v as Record<string, unknown>)
      if (only.length === 1 && only[0][0] === 'AWS' && norm(only[0][1]) === '*') return '*'
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, x]) => [k, norm(x)])
      )
    }
    return typeof v === 'string' && arn ? v.replace(arn, 'execute-api:/') : v
  }
  return JSON.stringify(norm(value))
}
const byJson = (a: unknown, b: unknown): number => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)

/** What the policy part of an UpdateRestApi holds: the patch and its words, or none; and the action's policy. */
export interface PolicyPart {
  patch?: Patch
  change?: Change
  /** The action's own policy (its statements alone), undefined for none. */
  policy?: PolicyDocument
}

/**
 * The API's policy brought to what is wanted: the action's statements, and a person's beside them, kept as
 * they are. `tagged`: the API's settings tag says the action set a policy.
 */
export function planPolicy(settings: Settings, api: RestApiSummary | undefined, tagged: boolean): PolicyPart {
  const apiId = api?.id
  // a policy the action has no part in is not even read
  const mayBeOurs = ourStatements(settings).length > 0 || tagged
  const parsed =
    mayBeOurs || (api?.policy ?? '').includes(POLICY_SID_PREFIX) ? parsePolicy(api?.policy) : undefined
  // the mark's text alone (a person's CortexRestGatewayAudit) is no part: a statement marked is
  const ourPart = mayBeOurs || (parsed?.Statement.some(isMarked) ?? false)
  const have = ourPart ? parsed : undefined
  const theirs = theirStatements(have, settings, apiId, tagged)
  // an Allow of a person's beside none of the action's is their limit: the denies narrow it. One
  // they added beside the action's Allow for everyone leaves that Allow where it is
  const isAllow = (st: unknown): boolean => (st as { Effect?: unknown })?.Effect === 'Allow'
  const ourAllowThere = (have?.Statement ?? []).some(st => isAllow(st) && !theirs.includes(st))
  const policy = ourPolicy(settings, theirs.some(isAllow) && !ourAllowThere)
  const whole: PolicyDocument | undefined =
    policy || theirs.length > 0
      ? {
          Version: policy?.Version ?? have?.Version ?? '2012-10-17',
          Statement: [...(policy?.Statement ?? []), ...theirs]
        }
      : undefined
  const samePolicy =
    whole === undefined
      ? have === undefined
      : have !== undefined && canonicalPolicy(have, apiId) === canonicalPolicy(whole, apiId)
  if (!ourPart || samePolicy) return { policy }
  const kept = theirs.length > 0 ? ` (${counted(theirs.length, 'statement')} of a person's kept)` : ''
  return {
    policy,
    patch: { op: 'replace', path: '/policy', value: whole ? JSON.stringify(whole) : '' },
    change: {
      what: `resource policy${policy ? '' : " (the action's statements removed)"}${kept}`,
      from: statementsText(have?.Statement.length ?? 0),
      to: statementsText(whole?.Statement.length ?? 0)
    }
  }
}
