/** The API's settings (binary types, the integrations' timeout, the policy, private endpoints): their rows. */
import { Defaults, Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import { quoted } from '../../report/safe-text.js'
import { tagValue } from '../../model/ownership.js'
import { parseBoolean } from '../../config/input-row.js'
import { each, input, isCidr, items, parsePolicyInput, setting, words } from './inputs-checks.js'

/** What AWS allows an integration to wait, in ms, without a raised quota. */
export const MAX_INTEGRATION_TIMEOUT_MS = 29_000
/** The most a REGIONAL (or PRIVATE) API's integration may wait once AWS raised the account's quota. */
const RAISED_INTEGRATION_TIMEOUT_MS = 300_000
/** The most a streamed integration may wait: AWS streams a response for up to 15 minutes. */
const STREAMED_INTEGRATION_TIMEOUT_MS = 900_000
const MIN_INTEGRATION_TIMEOUT_MS = 50
const MEDIA_TYPE_RE = /^[a-z0-9*][a-z0-9!#$&^_.+*-]*\/[a-z0-9*][a-z0-9!#$&^_.+*-]*$/i
const VPCE_RE = /^vpce-[0-9a-f]{8,17}$/

export const binaryMediaTypes = setting({
  key: 'binaryMediaTypes',
  inputs: [
    input(Inputs.BinaryMediaTypes, 'TYPES', 'media types passed through as binary (e.g. image/png, */*)')
  ],
  parse: text => {
    const types = each(
      Inputs.BinaryMediaTypes,
      items(text(Inputs.BinaryMediaTypes)).map(t => t.toLowerCase()),
      t => MEDIA_TYPE_RE.test(t),
      'is not a media type such as image/png or */*'
    )
    // what the action set is recorded in one tag on the API: it must fit
    if (tagValue(['policy', 'no-execute-api', ...types.map(t => `binary:${t}`)].join(' ')) === undefined) {
      throw new InputError(
        Inputs.BinaryMediaTypes,
        'names more media types than the action can record in a tag (256 characters): use fewer, or */*'
      )
    }
    return types
  },
  summary: types => (types.length > 0 ? `binary media types ${types.join(', ')}` : undefined)
})

export const integrationTimeoutMs = setting({
  key: 'integrationTimeoutMs',
  inputs: [
    input(
      Inputs.IntegrationTimeout,
      'MS',
      `the proxied integrations' timeout (default ${Defaults.integrationTimeout})`,
      'number',
      { default: Defaults.integrationTimeout }
    )
  ],
  parse: (text, { endpointType }) => {
    const timeoutText = text(Inputs.IntegrationTimeout)
    const ms = timeoutText === '' ? Defaults.integrationTimeout : Number(timeoutText)
    const streamed = parseBoolean(Inputs.ResponseStreaming, text(Inputs.ResponseStreaming), false)
    const most =
      endpointType === 'EDGE'
        ? MAX_INTEGRATION_TIMEOUT_MS
        : streamed
          ? STREAMED_INTEGRATION_TIMEOUT_MS
          : RAISED_INTEGRATION_TIMEOUT_MS
    if (!/^\d*$/.test(timeoutText) || ms < MIN_INTEGRATION_TIMEOUT_MS || ms > most) {
      throw new InputError(
        Inputs.IntegrationTimeout,
        `must be a whole number of milliseconds from ${MIN_INTEGRATION_TIMEOUT_MS} to ${most}` +
          (endpointType === 'EDGE' ? ' for an EDGE API (more only for REGIONAL or PRIVATE)' : '') +
          (endpointType !== 'EDGE' && !streamed
            ? ` (up to ${STREAMED_INTEGRATION_TIMEOUT_MS} with streaming)`
            : '') +
          `, got ${quoted(timeoutText)}`
      )
    }
    return ms
  },
  summary: ms => (ms !== Defaults.integrationTimeout ? `integration timeout ${ms} ms` : undefined)
})

export const resourcePolicy = setting({
  key: 'resourcePolicy',
  inputs: [input(Inputs.ResourcePolicy, 'JSON', 'a resource policy for the API')],
  parse: text => parsePolicyInput(Inputs.ResourcePolicy, text(Inputs.ResourcePolicy)),
  summary: policy => policy && 'resource policy'
})

export const allowedSourceIps = setting({
  key: 'allowedSourceIps',
  inputs: [input(Inputs.AllowedSourceIps, 'CIDRS', 'deny every other source IP')],
  parse: text =>
    each(
      Inputs.AllowedSourceIps,
      words(text(Inputs.AllowedSourceIps)),
      isCidr,
      'is not a CIDR such as 203.0.113.0/24'
    ),
  summary: ips => (ips.length > 0 ? `source IPs ${ips.join(', ')} only` : undefined)
})

export const vpcEndpointIds = setting({
  key: 'vpcEndpointIds',
  inputs: [input(Inputs.VpcEndpointIds, 'IDS', 'with --endpoint-type PRIVATE: the VPC endpoints allowed in')],
  parse: (text, { endpointType }) => {
    const ids = each(
      Inputs.VpcEndpointIds,
      words(text(Inputs.VpcEndpointIds)),
      id => VPCE_RE.test(id),
      'is not a VPC endpoint id (vpce-…)'
    )
    if (endpointType === 'PRIVATE' && ids.length === 0) {
      throw new InputError(
        Inputs.VpcEndpointIds,
        "is required with 'endpoint-type: PRIVATE': the execute-api interface VPC endpoints callers come through"
      )
    }
    if (endpointType !== 'PRIVATE' && ids.length > 0) {
      throw new InputError(Inputs.VpcEndpointIds, `is only for '${Inputs.EndpointType}: PRIVATE'`)
    }
    return ids
  },
  summary: (ids, { endpointType }) =>
    endpointType === 'PRIVATE' ? `PRIVATE through ${ids.join(', ')}` : undefined
})

/** The API's default execute-api endpoint off: callers come only through `domain-name` (parseDomain checks it). */
export const disableExecuteApiEndpoint = setting({
  key: 'disableExecuteApiEndpoint',
  inputs: [
    input(
      Inputs.DisableExecuteApiEndpoint,
      undefined,
      "turn off the API's execute-api endpoint (needs --domain-name)",
      'boolean',
      { default: false, flag: {} }
    )
  ],
  parse: text =>
    parseBoolean(Inputs.DisableExecuteApiEndpoint, text(Inputs.DisableExecuteApiEndpoint), false),
  summary: off => (off ? 'execute-api endpoint off (the custom domain only)' : undefined)
})

/** The proxied integrations stream the backend's response: beyond 10 MB, for up to 15 minutes. */
export const responseStreaming = setting({
  key: 'responseStreaming',
  inputs: [
    input(
      Inputs.ResponseStreaming,
      undefined,
      "stream the backend's response (responseTransferMode STREAM): beyond 10 MB, up to 15 min",
      'boolean',
      { default: false, flag: {} }
    )
  ],
  parse: text => parseBoolean(Inputs.ResponseStreaming, text(Inputs.ResponseStreaming), false),
  summary: on => (on ? 'responses streamed' : undefined)
})
