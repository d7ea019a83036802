/**
 * The inputs of what teams choose a REST API for (throttling, API keys, binary payloads, long
 * inferences, logs, policies, private endpoints, WAF), read and checked before any AWS call.
 */
import { DEFAULT_ACCESS_LOG_FORMAT, Defaults, Inputs, type InputName } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import { tagValue } from '../../model/ownership.js'
import { hasControl, quoted } from '../../report/safe-text.js'

export interface RateBurst {
  rate: number
  burst: number
}

export interface Settings {
  /** Stage-wide throttling for every caller. */
  throttle?: RateBurst
  /** API key names: with any, the proxied methods require a key, and a usage plan holds them. */
  apiKeys: string[]
  apiKeyQuota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' }
  apiKeyThrottle?: RateBurst
  binaryMediaTypes: string[]
  integrationTimeoutMs: number
  accessLog?: { destinationArn: string; format: string }
  loggingLevel: 'OFF' | 'ERROR' | 'INFO'
  metrics: boolean
  tracing: boolean
  /** The user's policy document, parsed; the action adds its own statements for the two below. */
  resourcePolicy?: { Version?: string; Statement: unknown[] }
  allowedSourceIps: string[]
  vpcEndpointIds: string[]
  webAclArn?: string
}

export type InputText = (name: InputName) => string

/** What AWS allows an integration to wait, in ms, without a raised quota. */
export const MAX_INTEGRATION_TIMEOUT_MS = 29_000
/** The most a REGIONAL (or PRIVATE) API's integration may wait once AWS raised the account's quota. */
const RAISED_INTEGRATION_TIMEOUT_MS = 300_000
const MIN_INTEGRATION_TIMEOUT_MS = 50
const MAX_API_KEYS = 100
const API_KEY_NAME_RE = /^[A-Za-z0-9 _.-]{1,128}$/
const MEDIA_TYPE_RE = /^[a-z0-9*][a-z0-9!#$&^_.+*-]*\/[a-z0-9*][a-z0-9!#$&^_.+*-]*$/i
const CIDR4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/
const CIDR6_RE = /^[0-9a-f:]+\/(\d{1,3})$/i
const VPCE_RE = /^vpce-[0-9a-f]{8,17}$/
const LOG_GROUP_ARN_RE =
  /^arn:aws[a-z-]*:logs:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:log-group:[\w#./-]{1,512}$/
const FIREHOSE_ARN_RE =
  /^arn:aws[a-z-]*:firehose:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:deliverystream\/amazon-apigateway-[\w.-]+$/
const WEB_ACL_ARN_RE =
  /^arn:aws[a-z-]*:wafv2:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:regional\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/

/** Items separated by commas or new lines (spaces inside an item stay). */
function items(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\n,]/)
        .map(v => v.trim())
        .filter(Boolean)
    )
  ]
}

/** `RATE/BURST`: requests per second (a number) and a whole burst. */
function rateBurst(input: InputName, value: string): RateBurst | undefined {
  if (value === '') return undefined
  const m = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+)$/.exec(value)
  if (!m || Number(m[1]) <= 0 || Number(m[2]) < 1) {
    throw new InputError(
      input,
      `${quoted(value)} is not RATE/BURST: requests per second and a burst, e.g. 100/200`
    )
  }
  return { rate: Number(m[1]), burst: Number(m[2]) }
}

/** 'true' or 'false' in any case; '' is the fallback (every boolean input reads this way). */
export function parseBoolean(input: InputName, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  const v = value.toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new InputError(input, `${quoted(value)} is not a boolean: use 'true' or 'false'`)
}

function isCidr(value: string): boolean {
  const v4 = CIDR4_RE.exec(value)
  if (v4) return v4.slice(1, 5).every(o => Number(o) <= 255) && Number(v4[5]) <= 32
  const v6 = CIDR6_RE.exec(value)
  return Boolean(v6 && value.includes(':') && Number(v6[1]) <= 128 && value.split('::').length <= 2)
}

/** An ARN's region, checked against the API's: a log group, a stream or a web ACL elsewhere cannot serve it. */
function inRegion(input: InputName, m: RegExpExecArray, region: string, what: string): void {
  if (m[1] !== region) {
    throw new InputError(input, `is in ${m[1]}, but the API is in ${region}: use ${what} in ${region}`)
  }
}

export function parseSettings(text: InputText, context: { region: string; endpointType: string }): Settings {
  const apiKeys = items(text(Inputs.ApiKeys))
  for (const name of apiKeys) {
    if (!API_KEY_NAME_RE.test(name)) {
      throw new InputError(
        Inputs.ApiKeys,
        `${quoted(name)} is not an API key name: letters, digits, spaces and _ . - only, at most 128 characters`
      )
    }
  }
  if (apiKeys.length > MAX_API_KEYS) throw new InputError(Inputs.ApiKeys, `at most ${MAX_API_KEYS} keys`)
  const quotaText = text(Inputs.ApiKeyQuota)
  let apiKeyQuota: Settings['apiKeyQuota']
  if (quotaText !== '') {
    const m = /^(\d+)\s*\/\s*(day|week|month)$/i.exec(quotaText)
    if (!m || Number(m[1]) < 1) {
      throw new InputError(
        Inputs.ApiKeyQuota,
        `${quoted(quotaText)} is not N/day, N/week or N/month, e.g. 10000/month`
      )
    }
    apiKeyQuota = { limit: Number(m[1]), period: m[2].toUpperCase() as 'DAY' }
  }
  const apiKeyThrottle = rateBurst(Inputs.ApiKeyThrottle, text(Inputs.ApiKeyThrottle))
  if (apiKeys.length === 0) {
    if (apiKeyQuota) throw new InputError(Inputs.ApiKeyQuota, `needs '${Inputs.ApiKeys}': the keys it limits`)
    if (apiKeyThrottle)
      throw new InputError(Inputs.ApiKeyThrottle, `needs '${Inputs.ApiKeys}': the keys it limits`)
  }

  const binaryMediaTypes = items(text(Inputs.BinaryMediaTypes)).map(t => t.toLowerCase())
  for (const t of binaryMediaTypes) {
    if (!MEDIA_TYPE_RE.test(t)) {
      throw new InputError(
        Inputs.BinaryMediaTypes,
        `${quoted(t)} is not a media type such as image/png or */*`
      )
    }
  }

  // what the action set is recorded in one tag on the API: it must fit
  if (tagValue(['policy', ...binaryMediaTypes.map(t => `binary:${t}`)].join(' ')) === undefined) {
    throw new InputError(
      Inputs.BinaryMediaTypes,
      'names more media types than the action can record in a tag (256 characters): use fewer, or */*'
    )
  }

  const timeoutText = text(Inputs.IntegrationTimeout)
  const integrationTimeoutMs = timeoutText === '' ? Defaults.integrationTimeout : Number(timeoutText)
  const most = context.endpointType === 'EDGE' ? MAX_INTEGRATION_TIMEOUT_MS : RAISED_INTEGRATION_TIMEOUT_MS
  if (
    !/^\d*$/.test(timeoutText) ||
    integrationTimeoutMs < MIN_INTEGRATION_TIMEOUT_MS ||
    integrationTimeoutMs > most
  ) {
    throw new InputError(
      Inputs.IntegrationTimeout,
      `must be a whole number of milliseconds from ${MIN_INTEGRATION_TIMEOUT_MS} to ${most}` +
        (context.endpointType === 'EDGE' ? ' for an EDGE API (more only for REGIONAL or PRIVATE)' : '') +
        `, got ${quoted(timeoutText)}`
    )
  }

  const destination = text(Inputs.AccessLogDestination)
  const formatText = text(Inputs.AccessLogFormat)
  let accessLog: Settings['accessLog']
  if (destination !== '') {
    const m = LOG_GROUP_ARN_RE.exec(destination.replace(/:\*$/, '')) ?? FIREHOSE_ARN_RE.exec(destination)
    if (!m) {
      throw new InputError(
        Inputs.AccessLogDestination,
        `${quoted(destination)} is neither a CloudWatch Logs log group ARN ` +
          '(arn:aws:logs:REGION:ACCOUNT:log-group:NAME) nor a Firehose stream named amazon-apigateway-…'
      )
    }
    inRegion(Inputs.AccessLogDestination, m, context.region, 'a log group or stream')
    if (hasControl(formatText.replace(/\n/g, ''))) {
      throw new InputError(Inputs.AccessLogFormat, 'must not hold control characters')
    }
    const format = formatText === '' ? DEFAULT_ACCESS_LOG_FORMAT : formatText.replace(/\s*\n\s*/g, ' ')
    if (!format.includes('$context.requestId') && !format.includes('$context.extendedRequestId')) {
      throw new InputError(
        Inputs.AccessLogFormat,
        'must include $context.requestId (or $context.extendedRequestId): AWS refuses a format without it'
      )
    }
    accessLog = { destinationArn: destination.replace(/:\*$/, ''), format }
  } else if (formatText !== '') {
    throw new InputError(Inputs.AccessLogFormat, `needs '${Inputs.AccessLogDestination}': where the lines go`)
  }

  const level = (text(Inputs.LoggingLevel) || Defaults.loggingLevel).toUpperCase()
  if (level !== 'OFF' && level !== 'ERROR' && level !== 'INFO') {
    throw new InputError(Inputs.LoggingLevel, `${quoted(level)} is not one of 'OFF', 'ERROR', 'INFO'`)
  }

  const policyText = text(Inputs.ResourcePolicy)
  let resourcePolicy: Settings['resourcePolicy']
  if (policyText !== '') {
    let parsed: unknown
    try {
      parsed = JSON.parse(policyText)
    } catch (error) {
      throw new InputError(
        Inputs.ResourcePolicy,
        `is not valid JSON (${error instanceof Error ? error.message : String(error)})`
      )
    }
    const doc = parsed as { Version?: unknown; Statement?: unknown }
    const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : []
    if (typeof parsed !== 'object' || parsed === null || statements.length === 0) {
      throw new InputError(Inputs.ResourcePolicy, 'must be a policy document: an object with a "Statement"')
    }
    if (!statements.every(st => typeof st === 'object' && st !== null && !Array.isArray(st))) {
      throw new InputError(Inputs.ResourcePolicy, 'must hold statements that are objects ({"Effect": …})')
    }
    resourcePolicy = {
      Version: typeof doc.Version === 'string' ? doc.Version : undefined,
      Statement: statements
    }
  }

  const allowedSourceIps = items(text(Inputs.AllowedSourceIps).replace(/\s+/g, '\n'))
  for (const cidr of allowedSourceIps) {
    if (!isCidr(cidr)) {
      throw new InputError(Inputs.AllowedSourceIps, `${quoted(cidr)} is not a CIDR such as 203.0.113.0/24`)
    }
  }

  const vpcEndpointIds = items(text(Inputs.VpcEndpointIds).replace(/\s+/g, '\n'))
  for (const id of vpcEndpointIds) {
    if (!VPCE_RE.test(id))
      throw new InputError(Inputs.VpcEndpointIds, `${quoted(id)} is not a VPC endpoint id (vpce-…)`)
  }
  if (context.endpointType === 'PRIVATE' && vpcEndpointIds.length === 0) {
    throw new InputError(
      Inputs.VpcEndpointIds,
      "is required with 'endpoint-type: PRIVATE': the execute-api interface VPC endpoints callers come through"
    )
  }
  if (context.endpointType !== 'PRIVATE' && vpcEndpointIds.length > 0) {
    throw new InputError(Inputs.VpcEndpointIds, `is only for '${Inputs.EndpointType}: PRIVATE'`)
  }

  const webAcl = text(Inputs.WebAclArn)
  let webAclArn: string | undefined
  if (webAcl !== '') {
    const m = WEB_ACL_ARN_RE.exec(webAcl)
    if (!m) {
      throw new InputError(
        Inputs.WebAclArn,
        `${quoted(webAcl)} is not a regional AWS WAF web ACL ARN (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID)`
      )
    }
    inRegion(Inputs.WebAclArn, m, context.region, 'a web ACL')
    webAclArn = webAcl
  }

  return {
    throttle: rateBurst(Inputs.Throttle, text(Inputs.Throttle)),
    apiKeys,
    apiKeyQuota,
    apiKeyThrottle,
    binaryMediaTypes,
    integrationTimeoutMs,
    accessLog,
    loggingLevel: level,
    metrics: parseBoolean(Inputs.Metrics, text(Inputs.Metrics), Defaults.metrics),
    tracing: parseBoolean(Inputs.Tracing, text(Inputs.Tracing), Defaults.tracing),
    resourcePolicy,
    allowedSourceIps,
    vpcEndpointIds,
    webAclArn
  }
}
