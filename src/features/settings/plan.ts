/**
 * Pure: the REST settings part of a plan. On the API: binary media types, the resource policy
 * (with `allowed-source-ips` and a PRIVATE API's VPC endpoints), the endpoints (here, and the policy in
 * plan-policy.ts). On the stage: the settings of the stage, row by row of the settings table
 * (plan-stage.ts). Each is compared with what AWS holds; one the action set and the input no longer asks
 * for is set back to AWS's default, and one a person set is left alone: tags on the API and the stage say
 * which the action set.
 */
import { Inputs, Tags } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import type { EndpointType } from '../../config/inputs.js'
import type { Patch, RestApiSummary } from '../../model/model.js'
import { tagValue } from '../../model/ownership.js'
import type { Change } from '../../report/words.js'
import { SETTINGS, type Setting, type Settings } from './inputs.js'
import { canonicalPolicy, planPolicy } from './plan-policy.js'
import { groupsIn, type StageStep } from './plan-stage.js'

export { canonicalPolicy, POLICY_SID_PREFIX } from './plan-policy.js'
export { groupsIn, needsCloudWatchRole, planStageSettings, type StageSettingsPart } from './plan-stage.js'

export type SettingsStep =
  /** One UpdateRestApi: binary media types, the policy, a PRIVATE API's endpoints. */
  | { op: 'update-api'; patches: Patch[]; changes: Change[] }
  | { op: 'tag-api'; tags: Record<string, string> }
  | { op: 'untag-api'; keys: string[] }
  | StageStep

/** The API settings tag's group that says the action turned the execute-api endpoint off. */
export const NO_EXECUTE_API = 'no-execute-api'

/** A list in an update's text, sorted: `none` for an empty one. */
const listText = (items: readonly string[]): string =>
  items.length > 0 ? [...items].sort().join(' ') : 'none'

/** `/` in a patch path is written `~1` (and `~` as `~0`). */
const pointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')

export interface ApiSettingsPart {
  steps: SettingsStep[]
  /** For a new API: what CreateRestApi is given. */
  create: {
    binaryMediaTypes: string[]
    policy?: string
    vpcEndpointIds: string[]
    disableExecuteApiEndpoint?: boolean
  }
  /** The API's tag of what the action set on it (a new API is made with it). */
  apiTag: Record<string, string>
  /** Binary media types or the policy change: a deployment makes them take effect. */
  needsDeploy: boolean
  /** What of the API's settings a deployment puts live, for its label; undefined when none are set. */
  deployed?: { binaryMediaTypes: string[]; policy?: string; noExecuteApi?: true }
}

/** The API's settings: for a new API (`api` absent), everything wanted; otherwise what differs. */
export function planApiSettings(
  settings: Settings,
  endpointType: EndpointType,
  api: RestApiSummary | undefined
): ApiSettingsPart {
  refuseStreamingWithEncoding(settings, api)
  const ours = groupsIn(api?.tags[Tags.ApiSettings])
  const patches: Patch[] = []
  const changes: Change[] = []
  const wantTypes = settings.binaryMediaTypes
  binaryTypesUpdate(wantTypes, api, ours, patches, changes)

  // the action's statements, and a person's beside them, kept as they are
  const { policy, patch, change: policyChange } = planPolicy(settings, api, ours.has('policy'))
  if (patch && policyChange) {
    patches.push(patch)
    changes.push(policyChange)
  }
  // the execute-api endpoint: off where asked, on again only where the action turned it off
  const noExecuteApi = settings.disableExecuteApiEndpoint
  const isOff = api?.disableExecuteApiEndpoint ?? false
  if (isOff !== noExecuteApi && (noExecuteApi || ours.has(NO_EXECUTE_API))) {
    patches.push({ op: 'replace', path: '/disableExecuteApiEndpoint', value: String(noExecuteApi) })
    changes.push({
      what: 'execute-api endpoint',
      from: isOff ? 'off' : 'on',
      to: noExecuteApi ? 'off' : 'on'
    })
  }
  // AWS turns the endpoint off or on only with a deployment
  const needsDeploy = patches.length > 0

  // an API that stops being PRIVATE keeps no VPC endpoints
  vpcEndpointsUpdate(endpointType === 'PRIVATE' ? settings.vpcEndpointIds : [], api, patches, changes)

  const groups = [
    ...(policy ? ['policy'] : []),
    ...wantTypes.map(t => `binary:${t}`),
    // recorded only where the action turns it off (or did): an endpoint a person turned off stays theirs
    ...(noExecuteApi && (!isOff || ours.has(NO_EXECUTE_API)) ? [NO_EXECUTE_API] : [])
  ]
  const value = groups.length > 0 ? tagValue(groups.join(' ')) : undefined
  const apiTag: Record<string, string> = value ? { [Tags.ApiSettings]: value } : {}
  const steps = api ? apiTagSteps(api, ours, groups, patches, changes) : []
  const create = {
    binaryMediaTypes: wantTypes,
    policy: policy && JSON.stringify(policy),
    vpcEndpointIds: endpointType === 'PRIVATE' ? settings.vpcEndpointIds : [],
    ...(noExecuteApi ? { disableExecuteApiEndpoint: true } : {})
  }
  const deployed =
    wantTypes.length > 0 || policy || noExecuteApi
      ? {
          binaryMediaTypes: [...wantTypes].sort(),
          policy: policy && canonicalPolicy(policy, undefined),
          ...(noExecuteApi ? { noExecuteApi: true as const } : {})
        }
      : undefined
  return { steps, create, apiTag, needsDeploy, deployed }
}

/** The binary media types' patches: those wanted added, those the action set and no longer wanted removed. */
function binaryTypesUpdate(
  wantTypes: string[],
  api: RestApiSummary | undefined,
  ours: Set<string>,
  patches: Patch[],
  changes: Change[]
): void {
  const current = new Set((api?.binaryMediaTypes ?? []).map(t => t.toLowerCase()))
  const add = wantTypes.filter(t => !current.has(t))
  const drop = [...ours]
    .filter(g => g.startsWith('binary:'))
    .map(g => g.slice('binary:'.length))
    .filter(t => !wantTypes.includes(t) && current.has(t))
  for (const t of add) patches.push({ op: 'add', path: `/binaryMediaTypes/${pointer(t)}` })
  for (const t of drop) patches.push({ op: 'remove', path: `/binaryMediaTypes/${pointer(t)}` })
  if (add.length + drop.length > 0) {
    const before = [...current]
    const after = [...before.filter(t => !drop.includes(t)), ...add]
    changes.push({ what: 'binary media types', from: listText(before), to: listText(after) })
  }
}

/** The VPC endpoints' patches: the API brought to those wanted. */
function vpcEndpointsUpdate(
  want: string[],
  api: RestApiSummary | undefined,
  patches: Patch[],
  changes: Change[]
): void {
  const have = new Set(api?.vpcEndpointIds ?? [])
  const adds = want.filter(i => !have.has(i))
  const drops = [...have].filter(i => !want.includes(i))
  for (const id of adds) patches.push({ op: 'add', path: '/endpointConfiguration/vpcEndpointIds', value: id })
  for (const id of drops)
    patches.push({ op: 'remove', path: '/endpointConfiguration/vpcEndpointIds', value: id })
  if (adds.length + drops.length > 0)
    changes.push({ what: 'VPC endpoints', from: listText([...have]), to: listText(want) })
}

/**
 * A present API's steps: its settings tag widened to all the action sets before the update, the update,
 * then the tag brought to what is wanted.
 */
function apiTagSteps(
  api: RestApiSummary,
  ours: Set<string>,
  groups: string[],
  patches: Patch[],
  changes: Change[]
): SettingsStep[] {
  const value = groups.length > 0 ? tagValue(groups.join(' ')) : undefined
  const steps: SettingsStep[] = []
  // what the action set is written down before it is set: a run that stops still knows it
  const union = [...new Set([...ours, ...groups])]
  const before = union.length > 0 ? tagValue(union.join(' ')) : undefined
  if (before && before !== api.tags[Tags.ApiSettings])
    steps.push({ op: 'tag-api', tags: { [Tags.ApiSettings]: before } })
  if (patches.length > 0) steps.push({ op: 'update-api', patches, changes })
  if (value && value !== before) steps.push({ op: 'tag-api', tags: { [Tags.ApiSettings]: value } })
  // nothing of the action's left: the tag goes, so what a person sets later is theirs
  if (!value && before) steps.push({ op: 'untag-api', keys: [Tags.ApiSettings] })
  return steps
}

/**
 * AWS streams no response it has to encode whole: an API that compresses its responses (content encoding,
 * which only a person sets here) cannot stream. Refused before any write, naming the input.
 */
function refuseStreamingWithEncoding(settings: Settings, api: RestApiSummary | undefined): void {
  if (!settings.responseStreaming || api?.minimumCompressionSize === undefined) return
  throw new InputError(
    Inputs.ResponseStreaming,
    `API ${api.id} compresses its responses (minimumCompressionSize ${api.minimumCompressionSize}), and AWS ` +
      'streams no response it has to encode: turn content encoding off on the API (the console: API settings), ' +
      'or leave response-streaming off'
  )
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
  const all = s as Record<string, unknown>
  return (SETTINGS as readonly Setting<string, unknown>[]).flatMap(row => {
    const line = row.summary?.(all[row.key], { endpointType, all })
    return line ? [line] : []
  })
}
