/**
 * Pure: the REST settings part of a plan. On the API: binary media types, the resource policy
 * (with `allowed-source-ips` and a PRIVATE API's VPC endpoints), the endpoints. On the stage:
 * throttling, execution logging, metrics, tracing, access logs, the web ACL. Each is compared
 * with what AWS holds; one the action set and the input no longer asks for is set back to AWS's
 * default, and one a person set is left alone: tags on the API and the stage say which the action set.
 */
import { Defaults, Inputs, Tags } from '../../base/constants.js'
import { ActionError } from '../../base/errors.js'
import type { EndpointType } from '../../config/inputs.js'
import type { Patch, RestApiSummary, StageSettings, StageState } from '../../model/model.js'
import { tagValue } from '../../model/ownership.js'
import type { Settings } from './inputs.js'

export type SettingsStep =
  /** One UpdateRestApi: binary media types, the policy, a PRIVATE API's endpoints. */
  | { op: 'update-api'; patches: Patch[]; what: string[] }
  /** One UpdateStage: the stage-wide method settings, tracing, access logs. */
  | { op: 'update-stage'; stage: string; patches: Patch[]; what: string[] }
  | { op: 'tag-stage'; stage: string; tags: Record<string, string> }
  | { op: 'untag-stage'; stage: string; keys: string[] }
  | { op: 'tag-api'; tags: Record<string, string> }
  | { op: 'untag-api'; keys: string[] }
  | { op: 'associate-web-acl'; stage: string; webAclArn: string }
  | { op: 'disassociate-web-acl'; stage: string; webAclArn: string }

/** Stage setting groups, as the stage's tag names them. */
type StageGroup = 'throttle' | 'logging' | 'metrics' | 'tracing' | 'access-log' | 'waf' | 'api-keys'
const STAGE_GROUPS: StageGroup[] = [
  'throttle',
  'logging',
  'metrics',
  'tracing',
  'access-log',
  'waf',
  'api-keys'
]

/** Decodes a value written by `tagValue`. */
function fromTagValue(value: string): string {
  return value.replace(/(?:=[0-9A-F]{2})+/g, run =>
    Buffer.from(
      run
        .split('=')
        .slice(1)
        .map(h => parseInt(h, 16))
    ).toString('utf8')
  )
}

/** The groups a settings tag names. */
export const groupsIn = (value: string | undefined): Set<string> =>
  new Set(value ? fromTagValue(value).split(' ').filter(Boolean) : [])

/** `/` in a patch path is written `~1` (and `~` as `~0`). */
const pointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * The mark of a statement the action wrote in a resource policy: its `Sid` starts with it. A
 * statement without it is a person's, kept as it is; the action changes and removes only its own.
 */
export const POLICY_SID_PREFIX = 'CortexRestGateway'

interface PolicyDocument {
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

export interface ApiSettingsPart {
  steps: SettingsStep[]
  /** For a new API: what CreateRestApi is given. */
  create: { binaryMediaTypes: string[]; policy?: string; vpcEndpointIds: string[] }
  /** The API's tag of what the action set on it (a new API is made with it). */
  apiTag: Record<string, string>
  /** Binary media types or the policy change: a deployment makes them take effect. */
  needsDeploy: boolean
  /** What of the API's settings a deployment puts live, for its label; undefined when none are set. */
  deployed?: { binaryMediaTypes: string[]; policy?: string }
}

/** The API's settings: for a new API (`api` absent), everything wanted; otherwise what differs. */
export function planApiSettings(
  settings: Settings,
  endpointType: EndpointType,
  api: RestApiSummary | undefined
): ApiSettingsPart {
  const ours = groupsIn(api?.tags[Tags.ApiSettings])
  const current = new Set((api?.binaryMediaTypes ?? []).map(t => t.toLowerCase()))
  const patches: Patch[] = []
  const what: string[] = []
  const wantTypes = settings.binaryMediaTypes
  const add = wantTypes.filter(t => !current.has(t))
  const drop = [...ours]
    .filter(g => g.startsWith('binary:'))
    .map(g => g.slice('binary:'.length))
    .filter(t => !wantTypes.includes(t) && current.has(t))
  for (const t of add) patches.push({ op: 'add', path: `/binaryMediaTypes/${pointer(t)}` })
  for (const t of drop) patches.push({ op: 'remove', path: `/binaryMediaTypes/${pointer(t)}` })
  if (add.length + drop.length > 0) what.push('binary media types')

  // the action's statements, and a person's beside them, kept as they are
  const apiId = api?.id
  // a policy the action has no part in is not even read
  const mayBeOurs = ourStatements(settings).length > 0 || ours.has('policy')
  const parsed =
    mayBeOurs || (api?.policy ?? '').includes(POLICY_SID_PREFIX) ? parsePolicy(api?.policy) : undefined
  // the mark's text alone (a person's CortexRestGatewayAudit) is no part: a statement marked is
  const ourPart = mayBeOurs || (parsed?.Statement.some(isMarked) ?? false)
  const have = ourPart ? parsed : undefined
  const theirs = theirStatements(have, settings, apiId, ours.has('policy'))
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
  if (ourPart && !samePolicy) {
    patches.push({ op: 'replace', path: '/policy', value: whole ? JSON.stringify(whole) : '' })
    const kept =
      theirs.length > 0
        ? ` (${theirs.length} statement${theirs.length > 1 ? 's' : ''} of a person's kept)`
        : ''
    what.push((policy ? 'resource policy' : "resource policy: the action's statements removed") + kept)
  }
  const needsDeploy = patches.length > 0

  {
    const have = new Set(api?.vpcEndpointIds ?? [])
    // an API that stops being PRIVATE keeps no VPC endpoints
    const want = endpointType === 'PRIVATE' ? settings.vpcEndpointIds : []
    const adds = want.filter(i => !have.has(i))
    const drops = [...have].filter(i => !want.includes(i))
    for (const id of adds)
      patches.push({ op: 'add', path: '/endpointConfiguration/vpcEndpointIds', value: id })
    for (const id of drops)
      patches.push({ op: 'remove', path: '/endpointConfiguration/vpcEndpointIds', value: id })
    if (adds.length + drops.length > 0) what.push('VPC endpoints')
  }

  const groups = [...(policy ? ['policy'] : []), ...wantTypes.map(t => `binary:${t}`)]
  const value = groups.length > 0 ? tagValue(groups.join(' ')) : undefined
  const apiTag: Record<string, string> = value ? { [Tags.ApiSettings]: value } : {}
  const steps: SettingsStep[] = []
  if (api) {
    // what the action set is written down before it is set: a run that stops still knows it
    const union = [...new Set([...ours, ...groups])]
    const before = union.length > 0 ? tagValue(union.join(' ')) : undefined
    if (before && before !== api.tags[Tags.ApiSettings])
      steps.push({ op: 'tag-api', tags: { [Tags.ApiSettings]: before } })
    if (patches.length > 0) steps.push({ op: 'update-api', patches, what })
    if (value && value !== before) steps.push({ op: 'tag-api', tags: apiTag })
    // nothing of the action's left: the tag goes, so what a person sets later is theirs
    if (!value && before) steps.push({ op: 'untag-api', keys: [Tags.ApiSettings] })
  }
  const create = {
    binaryMediaTypes: wantTypes,
    policy: policy && JSON.stringify(policy),
    vpcEndpointIds: endpointType === 'PRIVATE' ? settings.vpcEndpointIds : []
  }
  const deployed =
    wantTypes.length > 0 || policy
      ? { binaryMediaTypes: [...wantTypes].sort(), policy: policy && canonicalPolicy(policy, undefined) }
      : undefined
  return { steps, create, apiTag, needsDeploy, deployed }
}

/** What the stage holds when the action set nothing on it. */
const DEFAULTS: StageSettings = { loggingLevel: 'OFF', metrics: false, tracing: false }

export interface StageSettingsPart {
  steps: SettingsStep[]
  /** The stage's tag brought to what is wanted: after everything the tag's old value still covers is undone. */
  after: SettingsStep[]
  /** The stage's tag of what the action set (a new stage is made with it). */
  stageTag: Record<string, string>
  /** Settings that need the account's CloudWatch Logs role (execution logs, access logs to a log group). */
  needsCloudWatchRole: boolean
}

/**
 * The stage's settings: after the deployment (which makes a new stage), one UpdateStage for all of
 * them, and the web ACL (`webAcl`: the one associated now, as read; undefined when not read).
 */
export function planStageSettings(
  settings: Settings,
  stageName: string,
  stage: StageState | undefined,
  webAcl: string | undefined
): StageSettingsPart {
  const have = stage?.settings ?? DEFAULTS
  const ours = groupsIn(stage?.tags[Tags.StageSettings])
  const wanted = new Set<StageGroup>()
  const patches: Patch[] = []
  const what: string[] = []
  /** A group: set when wanted and different; back to AWS's default when only the action had set it. */
  const group = (
    name: StageGroup,
    want: boolean,
    same: (s: StageSettings) => boolean,
    set: () => Patch[],
    reset: () => Patch[]
  ) => {
    if (want) wanted.add(name)
    if (want ? same(have) : !ours.has(name) || !stage?.settings || isDefault(name, have)) return
    patches.push(...(want ? set() : reset()))
    what.push(want ? name : `${name} off`)
  }
  const t = settings.throttle
  group(
    'throttle',
    t !== undefined,
    s => s.throttle?.rate === t?.rate && s.throttle?.burst === t?.burst,
    () => [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: String(t!.rate) },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: String(t!.burst) }
    ],
    () => [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '-1' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '-1' }
    ]
  )
  group(
    'logging',
    settings.loggingLevel !== 'OFF',
    s => s.loggingLevel === settings.loggingLevel,
    () => [{ op: 'replace', path: '/*/*/logging/loglevel', value: settings.loggingLevel }],
    () => [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' }]
  )
  /** An on/off setting: on when wanted, off again only where the action turned it on. */
  const flag = (name: 'metrics' | 'tracing', want: boolean, path: string) =>
    group(
      name,
      want,
      s => s[name],
      () => [{ op: 'replace', path, value: 'true' }],
      () => [{ op: 'replace', path, value: 'false' }]
    )
  flag('metrics', settings.metrics, '/*/*/metrics/enabled')
  flag('tracing', settings.tracing, '/tracingEnabled')
  const log = settings.accessLog
  group(
    'access-log',
    log !== undefined,
    s => s.accessLog?.destinationArn === log?.destinationArn && s.accessLog?.format === log?.format,
    () => [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: log!.destinationArn },
      { op: 'replace', path: '/accessLogSettings/format', value: log!.format }
    ],
    () => [{ op: 'remove', path: '/accessLogSettings' }]
  )
  const steps: SettingsStep[] = []
  const after: SettingsStep[] = []
  // usage plan and keys (plan-keys.ts): only named here, so that a later run knows to read them
  if (settings.apiKeys.length > 0) wanted.add('api-keys')
  const waf: SettingsStep[] = []
  if (settings.webAclArn) {
    wanted.add('waf')
    if (webAcl !== settings.webAclArn) {
      if (webAcl && ours.has('waf'))
        waf.push({ op: 'disassociate-web-acl', stage: stageName, webAclArn: webAcl })
      waf.push({ op: 'associate-web-acl', stage: stageName, webAclArn: settings.webAclArn })
    }
  } else if (ours.has('waf') && webAcl) {
    waf.push({ op: 'disassociate-web-acl', stage: stageName, webAclArn: webAcl })
  }

  const order = (g: Iterable<string>) => STAGE_GROUPS.filter(x => [...g].includes(x))
  const value = wanted.size > 0 ? order(wanted).join(' ') : undefined
  const stageTag: Record<string, string> = value ? { [Tags.StageSettings]: value } : {}
  if (stage) {
    const union = order(new Set([...ours, ...wanted]))
    const before = union.length > 0 ? union.join(' ') : undefined
    if (before && before !== stage.tags[Tags.StageSettings])
      steps.push({ op: 'tag-stage', stage: stageName, tags: { [Tags.StageSettings]: before } })
    if (patches.length > 0) steps.push({ op: 'update-stage', stage: stageName, patches, what })
    steps.push(...waf)
    if (value !== before) {
      after.push(
        value
          ? { op: 'tag-stage', stage: stageName, tags: stageTag }
          : { op: 'untag-stage', stage: stageName, keys: [Tags.StageSettings] }
      )
    }
  } else {
    if (patches.length > 0) steps.push({ op: 'update-stage', stage: stageName, patches, what })
    steps.push(...waf)
  }
  return { steps, after, stageTag, needsCloudWatchRole: needsCloudWatchRole(settings) }
}

/** Execution logs, and access logs to CloudWatch Logs, need the account's CloudWatch Logs role. */
export function needsCloudWatchRole(settings: Settings): boolean {
  return settings.loggingLevel !== 'OFF' || Boolean(settings.accessLog?.destinationArn.includes(':logs:'))
}

function isDefault(name: StageGroup, s: StageSettings): boolean {
  switch (name) {
    case 'throttle':
      return s.throttle === undefined
    case 'logging':
      return s.loggingLevel === 'OFF'
    case 'metrics':
      return !s.metrics
    case 'tracing':
      return !s.tracing
    case 'access-log':
      return s.accessLog === undefined
    case 'waf':
    case 'api-keys':
      return false
  }
}

/** The error for settings that need the account's CloudWatch Logs role when the account has none. */
export function cloudWatchRoleMissing(region: string): string {
  return (
    `'${Inputs.LoggingLevel}' and access logs to CloudWatch Logs need API Gateway's CloudWatch Logs role for ` +
    `the account in ${region}, and it has none: set it once (API Gateway console → Settings, or ` +
    '`aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=ROLE_ARN` ' +
    'with a role that trusts apigateway.amazonaws.com and has AmazonAPIGatewayPushToCloudWatchLogs), then re-run'
  )
}

/** The settings in use, one short line each, for the job summary (names of keys, never their values). */
export function describeSettings(s: Settings, endpointType: string): string[] {
  const lines: string[] = []
  if (s.throttle) lines.push(`throttle ${s.throttle.rate}/${s.throttle.burst}`)
  if (s.apiKeys.length > 0) {
    lines.push(
      `API keys ${s.apiKeys.join(', ')}` +
        (s.apiKeyQuota ? `, quota ${s.apiKeyQuota.limit}/${s.apiKeyQuota.period.toLowerCase()}` : '') +
        (s.apiKeyThrottle ? `, throttle ${s.apiKeyThrottle.rate}/${s.apiKeyThrottle.burst} a key` : '')
    )
  }
  if (s.binaryMediaTypes.length > 0) lines.push(`binary media types ${s.binaryMediaTypes.join(', ')}`)
  if (s.integrationTimeoutMs !== Defaults.integrationTimeout)
    lines.push(`integration timeout ${s.integrationTimeoutMs} ms`)
  if (s.accessLog) lines.push(`access logs to ${s.accessLog.destinationArn}`)
  if (s.loggingLevel !== 'OFF') lines.push(`execution logging ${s.loggingLevel}`)
  if (s.metrics) lines.push('detailed metrics')
  if (s.tracing) lines.push('X-Ray tracing')
  if (s.resourcePolicy) lines.push('resource policy')
  if (s.allowedSourceIps.length > 0) lines.push(`source IPs ${s.allowedSourceIps.join(', ')} only`)
  if (endpointType === 'PRIVATE') lines.push(`PRIVATE through ${s.vpcEndpointIds.join(', ')}`)
  if (s.webAclArn) lines.push(`web ACL ${s.webAclArn}`)
  return lines
}
