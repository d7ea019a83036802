/**
 * The REST settings, one row a setting: what teams choose a REST API for (throttling, API keys, binary
 * payloads, long inferences, logs, policies, private endpoints, WAF). A row holds its inputs (their rows
 * of the inputs table), how they are read and checked (before any AWS call), its line in the job summary,
 * and for a setting of the stage, all the stage planner and the AWS layer need: how GetStage reads it
 * back, how it compares, the UpdateStage patches that set it and set it back, its name in the stage's
 * settings tag. The planner (plan-stage.ts) and the stage's reading (aws/rest-api.ts) loop over the rows.
 */
import { Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import { parseBoolean, type InputRow } from '../../config/input-row.js'
import type { Patch } from '../../model/model.js'
import { quoted } from '../../report/safe-text.js'
import { apiKeyQuota, apiKeys, apiKeyThrottle } from '../keys/inputs.js'
import { corsAllowOrigins } from '../cors/inputs.js'
import {
  allowedSourceIps,
  binaryMediaTypes,
  disableExecuteApiEndpoint,
  integrationTimeoutMs,
  resourcePolicy,
  responseStreaming,
  vpcEndpointIds
} from './inputs-api.js'
import {
  inRegion,
  input,
  parseAccessLog,
  rateBurst,
  setting,
  type InputText,
  type RateBurst,
  type SettingsContext
} from './inputs-checks.js'

export { MAX_INTEGRATION_TIMEOUT_MS } from './inputs-api.js'
export type { InputText, RateBurst, SettingsContext }

/** How GetStage answers, as far as the rows read it. */
export interface StageAnswer {
  /** By `resource/method`: the settings of the stage's methods (`*\/*` for all of them). */
  methodSettings?: Record<
    string,
    | {
        throttlingRateLimit?: number
        throttlingBurstLimit?: number
        loggingLevel?: string
        [field: string]: unknown
      }
    | undefined
  >
  accessLogSettings?: { destinationArn?: string; format?: string }
  [field: string]: unknown
}

/** The steps of a stage setting that no UpdateStage sets. */
export type StagePartStep =
  | { op: 'associate-web-acl'; stage: string; webAclArn: string }
  | { op: 'disassociate-web-acl'; stage: string; webAclArn: string }

/** A setting of the stage: how the stage planner reconciles it. */
export interface StagePart<V> {
  /** Its name in the stage's settings tag, and in the update's text. */
  group: string
  /** Where it comes in the stage's update and its tag (1 first; a new setting takes the next number). */
  position: number
  /** The value of a stage on which nothing is set: AWS's default, what unset inputs ask for. */
  none: V
  same: (a: V, b: V) => boolean
  /** The value in an update's text (`100/200`, `INFO`, `on`); `off` for AWS's default when not given. */
  show?: (value: V) => string
  /** As GetStage answers; absent for one read elsewhere (discovery puts it in the stage's settings). */
  read?: (stage: StageAnswer) => V
  /** The UpdateStage patches that set it, and those that set it back to AWS's default. */
  set?: (value: V) => Patch[]
  reset?: Patch[]
  /** Or steps of its own: what is wanted, what the stage has, whether the action set that. */
  steps?: (want: V, have: V | undefined, ours: boolean, stage: string) => StagePartStep[]
}

/** One setting: a field of Settings, read from its inputs. */
export interface Setting<K extends string, V> {
  key: K
  inputs: InputRow[]
  parse: (text: InputText, context: SettingsContext) => V
  /** Its line in the job summary (names of keys, never their values); undefined for none. */
  summary?: (value: V, context: { endpointType: string; all: Record<string, unknown> }) => string | undefined
  /** Whether it needs the account's CloudWatch Logs role. */
  needsCloudWatchRole?: (value: V) => boolean
  stage?: StagePart<V>
}

/** An on/off setting of the stage: on where asked, off again only where the action turned it on. */
export function onOff<K extends string>(
  key: K,
  row: {
    description: string
    summary: string
    position: number
    path: string
    read: (s: StageAnswer) => unknown
  }
): Setting<K, boolean> {
  return setting({
    key,
    inputs: [input(key, undefined, row.description, 'boolean', { default: false, flag: { no: true } })],
    parse: text => parseBoolean(key, text(key), false),
    summary: on => (on ? row.summary : undefined),
    stage: {
      group: key,
      position: row.position,
      none: false,
      same: (a, b) => a === b,
      show: on => (on ? 'on' : 'off'),
      read: s => row.read(s) === true,
      set: () => [{ op: 'replace', path: row.path, value: 'true' }],
      reset: [{ op: 'replace', path: row.path, value: 'false' }]
    }
  })
}

const WEB_ACL = 'web-acl-arn'
const WEB_ACL_ARN_RE =
  /^arn:aws[a-z-]*:wafv2:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:regional\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/
const ALL = '/*/*'
const sameRate = (a?: RateBurst, b?: RateBurst): boolean => a?.rate === b?.rate && a?.burst === b?.burst

const throttle = setting({
  key: 'throttle',
  inputs: [input(Inputs.Throttle, 'RATE/BURST', 'stage-wide throttling, e.g. 100/200')],
  parse: text => rateBurst(Inputs.Throttle, text(Inputs.Throttle)),
  summary: t => t && `throttle ${t.rate}/${t.burst}`,
  stage: {
    group: 'throttle',
    position: 1,
    none: undefined,
    same: sameRate,
    show: t => (t ? `${t.rate}/${t.burst}` : 'off'),
    read: s => {
      const all = s.methodSettings?.['*/*']
      const [rate, burst] = [all?.throttlingRateLimit, all?.throttlingBurstLimit]
      return typeof rate === 'number' && typeof burst === 'number' && rate >= 0 && burst >= 0
        ? { rate, burst }
        : undefined
    },
    set: t => [
      { op: 'replace', path: `${ALL}/throttling/rateLimit`, value: String(t!.rate) },
      { op: 'replace', path: `${ALL}/throttling/burstLimit`, value: String(t!.burst) }
    ],
    reset: [
      { op: 'replace', path: `${ALL}/throttling/rateLimit`, value: '-1' },
      { op: 'replace', path: `${ALL}/throttling/burstLimit`, value: '-1' }
    ]
  }
})

const accessLog = setting({
  key: 'accessLog',
  inputs: [
    input(
      Inputs.AccessLogDestination,
      'ARN',
      'a log group (or amazon-apigateway-… Firehose stream) for access logs'
    ),
    input(Inputs.AccessLogFormat, 'TEXT', 'the access log line (default: a JSON object)')
  ],
  parse: (text, { region }) =>
    parseAccessLog(Inputs.AccessLogDestination, Inputs.AccessLogFormat, text, region),
  summary: log => log && `access logs to ${log.destinationArn}`,
  needsCloudWatchRole: log => Boolean(log?.destinationArn.includes(':logs:')),
  stage: {
    group: 'access-log',
    position: 5,
    none: undefined,
    same: (a, b) => a?.destinationArn === b?.destinationArn && a?.format === b?.format,
    show: log => log?.destinationArn ?? 'off',
    read: s => {
      const log = s.accessLogSettings
      return log?.destinationArn
        ? { destinationArn: log.destinationArn, format: log.format ?? '' }
        : undefined
    },
    set: log => [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: log!.destinationArn },
      { op: 'replace', path: '/accessLogSettings/format', value: log!.format }
    ],
    reset: [{ op: 'remove', path: '/accessLogSettings' }]
  }
})

const loggingLevel = setting({
  key: 'loggingLevel',
  inputs: [input(Inputs.LoggingLevel, 'OFF|ERROR|INFO', '', 'string', { default: 'OFF' })],
  parse: text => {
    const level = (text(Inputs.LoggingLevel) || 'OFF').toUpperCase()
    if (level !== 'OFF' && level !== 'ERROR' && level !== 'INFO') {
      throw new InputError(Inputs.LoggingLevel, `${quoted(level)} is not one of 'OFF', 'ERROR', 'INFO'`)
    }
    return level
  },
  summary: level => (level !== 'OFF' ? `execution logging ${level}` : undefined),
  needsCloudWatchRole: level => level !== 'OFF',
  stage: {
    group: 'logging',
    position: 2,
    none: 'OFF',
    same: (a, b) => a === b,
    show: level => level,
    read: s => (s.methodSettings?.['*/*']?.loggingLevel ?? 'OFF').toUpperCase() as 'OFF' | 'ERROR' | 'INFO',
    set: level => [{ op: 'replace', path: `${ALL}/logging/loglevel`, value: level }],
    reset: [{ op: 'replace', path: `${ALL}/logging/loglevel`, value: 'OFF' }]
  }
})

const webAclArn = setting({
  key: 'webAclArn',
  inputs: [input(WEB_ACL, 'ARN', 'a regional WAF web ACL for the stage')],
  parse: (text, { region }) => {
    const arn = text(WEB_ACL)
    if (arn === '') return undefined
    const m = WEB_ACL_ARN_RE.exec(arn)
    if (!m) {
      throw new InputError(
        WEB_ACL,
        `${quoted(arn)} is not a regional AWS WAF web ACL ARN (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID)`
      )
    }
    inRegion(WEB_ACL, m, region, 'a web ACL')
    return arn
  },
  summary: arn => arn && `web ACL ${arn}`,
  stage: {
    group: 'waf',
    position: 6,
    none: undefined,
    same: (a, b) => a === b,
    // read by discovery (GetWebACLForResource), where one is wanted or the action set one
    steps: (want, have, ours, stage): StagePartStep[] => {
      const off = (arn: string): StagePartStep => ({ op: 'disassociate-web-acl', stage, webAclArn: arn })
      if (!want) return ours && have ? [off(have)] : []
      if (have === want) return []
      return [...(have && ours ? [off(have)] : []), { op: 'associate-web-acl', stage, webAclArn: want }]
    }
  }
})

/** The settings, in the order of their inputs in the command line's help. */
export const SETTINGS = [
  throttle,
  apiKeys,
  apiKeyQuota,
  apiKeyThrottle,
  binaryMediaTypes,
  integrationTimeoutMs,
  accessLog,
  loggingLevel,
  onOff('metrics', {
    description: 'detailed CloudWatch metrics',
    summary: 'detailed metrics',
    position: 3,
    path: `${ALL}/metrics/enabled`,
    read: s => s.methodSettings?.['*/*']?.metricsEnabled
  }),
  onOff('tracing', {
    description: 'X-Ray tracing',
    summary: 'X-Ray tracing',
    position: 4,
    path: '/tracingEnabled',
    read: s => s.tracingEnabled
  }),
  resourcePolicy,
  allowedSourceIps,
  vpcEndpointIds,
  webAclArn,
  disableExecuteApiEndpoint,
  responseStreaming,
  corsAllowOrigins
] as const

type Row = (typeof SETTINGS)[number]

/** The settings as read: one field a row, of the row's type. */
export type Settings = { [R in Row as R['key']]: R extends Setting<string, infer V> ? V : never }

/** A setting of the stage, in the order of the stage's update and tag. */
export type StageSetting = Setting<string, unknown> & { stage: StagePart<unknown> }

export const STAGE_SETTINGS: StageSetting[] = (SETTINGS as readonly Setting<string, unknown>[])
  .filter((s): s is StageSetting => s.stage !== undefined)
  .sort((a, b) => a.stage.position - b.stage.position)

/** Every input of the settings, in the order of the command line's help. */
export const SETTINGS_INPUTS: InputRow[] = SETTINGS.flatMap(s => s.inputs)

/** The input of the web ACL's setting. */
export const WEB_ACL_INPUT = WEB_ACL

/** Every setting read and checked, row by row; any problem names the input, before any AWS call. */
export function parseSettings(text: InputText, context: SettingsContext): Settings {
  return Object.fromEntries(
    (SETTINGS as readonly Setting<string, unknown>[]).map(s => [s.key, s.parse(text, context)])
  ) as Settings
}
