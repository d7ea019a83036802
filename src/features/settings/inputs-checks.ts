/** The checks the settings' rows (inputs.ts) read their inputs with: lists, rates, CIDRs, ARNs, policies. */
import { DEFAULT_ACCESS_LOG_FORMAT } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import type { InputRow } from '../../config/input-row.js'
import { hasControl, quoted } from '../../report/safe-text.js'
import type { Setting } from './inputs.js'

export interface RateBurst {
  rate: number
  burst: number
}

/** Reads one input, trimmed ('' when unset). */
export type InputText = (name: string) => string

/** What the settings are read against: the API's region and endpoint type. */
export interface SettingsContext {
  region: string
  endpointType: string
}

const CIDR4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/
const CIDR6_RE = /^[0-9a-f:]+\/(\d{1,3})$/i
const LOG_GROUP_ARN_RE =
  /^arn:aws[a-z-]*:logs:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:log-group:[\w#./-]{1,512}$/
const FIREHOSE_ARN_RE =
  /^arn:aws[a-z-]*:firehose:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:deliverystream\/amazon-apigateway-[\w.-]+$/

/** Items separated by commas or new lines (spaces inside an item stay). */
export function items(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\n,]/)
        .map(v => v.trim())
        .filter(Boolean)
    )
  ]
}

/** Items separated by commas, spaces or new lines. */
export const words = (value: string): string[] => items(value.replace(/\s+/g, '\n'))

/** `RATE/BURST`: requests per second (a number) and a whole burst. */
export function rateBurst(input: string, value: string): RateBurst | undefined {
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

export function isCidr(value: string): boolean {
  const v4 = CIDR4_RE.exec(value)
  if (v4) return v4.slice(1, 5).every(o => Number(o) <= 255) && Number(v4[5]) <= 32
  const v6 = CIDR6_RE.exec(value)
  return Boolean(v6 && value.includes(':') && Number(v6[1]) <= 128 && value.split('::').length <= 2)
}

/** An ARN's region, checked against the API's: a log group, a stream or a web ACL elsewhere cannot serve it. */
export function inRegion(input: string, m: RegExpExecArray, region: string, what: string): void {
  if (m[1] !== region) {
    throw new InputError(input, `is in ${m[1]}, but the API is in ${region}: use ${what} in ${region}`)
  }
}

/** Every item matches, or the input's error names the first that does not. */
export function each(input: string, values: string[], ok: (v: string) => boolean, what: string): string[] {
  const bad = values.find(v => !ok(v))
  if (bad !== undefined) throw new InputError(input, `${quoted(bad)} ${what}`)
  return values
}

/** Access logs: a destination (a log group or a Firehose stream in the API's region) and the line's format. */
export function parseAccessLog(
  destinationInput: string,
  formatInput: string,
  text: InputText,
  region: string
): { destinationArn: string; format: string } | undefined {
  const destination = text(destinationInput)
  const formatText = text(formatInput)
  if (destination === '') {
    if (formatText !== '')
      throw new InputError(formatInput, `needs '${destinationInput}': where the lines go`)
    return undefined
  }
  const m = LOG_GROUP_ARN_RE.exec(destination.replace(/:\*$/, '')) ?? FIREHOSE_ARN_RE.exec(destination)
  if (!m) {
    throw new InputError(
      destinationInput,
      `${quoted(destination)} is neither a CloudWatch Logs log group ARN ` +
        '(arn:aws:logs:REGION:ACCOUNT:log-group:NAME) nor a Firehose stream named amazon-apigateway-…'
    )
  }
  inRegion(destinationInput, m, region, 'a log group or stream')
  if (hasControl(formatText.replace(/\n/g, ''))) {
    throw new InputError(formatInput, 'must not hold control characters')
  }
  const format = formatText === '' ? DEFAULT_ACCESS_LOG_FORMAT : formatText.replace(/\s*\n\s*/g, ' ')
  if (!format.includes('$context.requestId') && !format.includes('$context.extendedRequestId')) {
    throw new InputError(
      formatInput,
      'must include $context.requestId (or $context.extendedRequestId): AWS refuses a format without it'
    )
  }
  return { destinationArn: destination.replace(/:\*$/, ''), format }
}

/** The user's policy document, parsed: an object with one statement or more, each an object. */
export function parsePolicyInput(
  input: string,
  policyText: string
): { Version?: string; Statement: unknown[] } | undefined {
  if (policyText === '') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(policyText)
  } catch (error) {
    throw new InputError(
      input,
      `is not valid JSON (${error instanceof Error ? error.message : String(error)})`
    )
  }
  const doc = parsed as { Version?: unknown; Statement?: unknown }
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : []
  if (typeof parsed !== 'object' || parsed === null || statements.length === 0) {
    throw new InputError(input, 'must be a policy document: an object with a "Statement"')
  }
  if (!statements.every(st => typeof st === 'object' && st !== null && !Array.isArray(st))) {
    throw new InputError(input, 'must hold statements that are objects ({"Effect": …})')
  }
  return { Version: typeof doc.Version === 'string' ? doc.Version : undefined, Statement: statements }
}

/** A row of the settings table (the identity: it keeps the row's key and type). */
export const setting = <K extends string, V>(row: Setting<K, V>): Setting<K, V> => row

/** A create's input, with its flag. */
export const input = (
  name: string,
  arg: string | undefined,
  description: string,
  type: InputRow['type'] = 'string',
  more: Partial<InputRow> = {}
): InputRow => ({ name, type, description, flag: { arg }, modes: 'create', ...more })
