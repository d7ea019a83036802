import {
  DEFAULT_API_NAME,
  DEFAULT_STAGE,
  Defaults,
  Inputs,
  MAX_TIMEOUT_SECONDS,
  type InputName
} from '../base/constants.js'
import { ActionError, InputError } from '../base/errors.js'
import { parseAuthorizer, type AuthorizerConfig } from '../features/authorizer/inputs.js'
import { parseCanary, type CanaryConfig } from '../features/canary/inputs.js'
import { parseDomain, type DomainConfig } from '../features/domain/inputs.js'
import { parseSettings, type Settings } from '../features/settings/inputs.js'
import { LOCAL_OWNER, OWNER_RE, tagValue } from '../model/ownership.js'
import { codePoint, forbiddenInInput, hasControl, quoted } from '../report/safe-text.js'
import { parseBoolean } from './input-row.js'
import { INPUTS, inputRow } from './input-table.js'
import { parseLoadBalancer, resolveRegion, type LoadBalancerRef } from './load-balancer.js'
import { checkTagRoom, parseTags, withClusterTag } from './tags.js'

export { parseLoadBalancer, regionFromDnsName, type LoadBalancerRef } from './load-balancer.js'
export { parseTags } from './tags.js'
export type { DomainConfig }

import type { Authorization, Scheme } from '../model/model.js'
export type { Authorization, Scheme }
export type Mode = 'create' | 'delete'
export type SchemeInput = 'auto' | 'internet-facing' | 'internal'
export type EndpointType = 'REGIONAL' | 'EDGE' | 'PRIVATE'

export interface CommonConfig {
  dryRun: boolean
  /** Whose gateways this run may change: the repository (owner/name) it runs for, or 'local'. */
  owner: string
  apiName: string
  region: string
  /** Where the region came from, for error messages. */
  regionSource: string
  stage: string
  timeoutSeconds: number
  /** The Cortex cluster the gateway is for, where `cluster-name` names it. */
  clusterName?: string
}

export interface CreateConfig extends CommonConfig {
  mode: 'create'
  loadBalancer: LoadBalancerRef
  scheme: SchemeInput
  endpointType: EndpointType
  authorization: Authorization
  cors: boolean
  vpcLinkName: string
  tags: Record<string, string>
  /** After deploying, poll the invoke URL + readyPath until it answers below 500. */
  waitForReady: boolean
  readyPath: string
  /** Which VPC link an internal load balancer is reached through: auto = v1 for an NLB, v2 otherwise. */
  vpcLinkVersion: 'auto' | 'v1' | 'v2'
  /** For a v2 link: override what is read from the load balancer. */
  subnetIds?: string[]
  securityGroupIds?: string[]
  /** Take over a same-named REST API this repository did not make. */
  adopt: boolean
  /** A custom domain to serve the gateway on, with its base path and (optionally) a Route 53 alias record. */
  domain?: DomainConfig
  /** The REST settings: a field a row of the settings table (features/settings/inputs.ts). */
  settings: Settings
  /** A new cluster given a share of the stage's requests through a stage canary. */
  canary?: CanaryConfig
  /** The authorizer of `authorization` COGNITO_USER_POOLS or CUSTOM (absent for NONE and AWS_IAM). */
  authorizer?: AuthorizerConfig
  /** Action only: a post step deletes what this step made. */
  deleteOnExit: boolean
  failOnCleanupError: boolean
}

export interface DeleteConfig extends Omit<CommonConfig, 'stage'> {
  mode: 'delete'
  /** The one stage to delete (the API goes only with its last stage); absent: the whole gateway. */
  stage?: string
  loadBalancer?: LoadBalancerRef
  /** delete-on-exit: delete only these, what the main step made; absent = the whole gateway. */
  only?: { apiIds: string[]; vpcLinkIds: string[] }
}

export type Config = CreateConfig | DeleteConfig

/** Reads one input as the runner passes it ('' when unset). */
export type InputReader = (name: InputName) => string

const STAGE_RE = /^[A-Za-z0-9_-]{1,128}$/
const MAX_API_NAME = 1024
const MAX_VPC_LINK_NAME = 255

/**
 * Reads inputs through the table: `text` trimmed, `value` with the row's default where unset, `flag` a
 * boolean. A name no row has, or one a row does not read in this mode, is a mistake of the code's.
 */
interface TableReader {
  raw: (name: string) => string
  text: (name: string) => string
  value: (name: string) => string
  flag: (name: string) => boolean
}

function tableReader(read: InputReader, mode?: Mode): TableReader {
  const raw = (name: string): string => {
    const row = inputRow(name)
    if (mode && row.modes !== 'both' && row.modes !== mode)
      throw new Error(`internal error: input '${name}' is not read by a ${mode}`)
    return read(name)
  }
  const text = (name: string): string => raw(name).trim()
  return {
    raw,
    text,
    value: name => text(name) || String(inputRow(name).default ?? ''),
    flag: name => parseBoolean(name, text(name), inputRow(name).default === true)
  }
}

/** Every input read and checked, for the mode asked; any problem names the input, before any AWS call. */
export function parseConfig(read: InputReader, env: NodeJS.ProcessEnv = process.env): Config {
  checkEveryInput(read)
  const mode = oneOf(Inputs.Mode, tableReader(read).value(Inputs.Mode).toLowerCase(), [
    'create',
    'delete'
  ] as const)
  const input = tableReader(read, mode)
  const loadBalancer = parseTarget(input)
  if (mode === 'create' && !loadBalancer) {
    throw new InputError(
      Inputs.LoadBalancer,
      `is required when mode is 'create', unless '${Inputs.ClusterName}' is given: pass the API ` +
        "load balancer's DNS name (as `cortex cluster info` prints it) or its ARN, or the Cortex " +
        "cluster's name as cluster-name"
    )
  }
  const common = parseCommon(input, env, loadBalancer)
  if (mode === 'delete' || !loadBalancer)
    return { mode: 'delete', ...common, stage: input.text(Inputs.Stage) || undefined, loadBalancer }
  const create = parseCreate(input, common.apiName, common.region)
  // tagged as Cortex tags its own resources
  if (common.clusterName) create.tags = withClusterTag(create.tags, common.clusterName)
  create.domain = parseDomain(input.text, create.endpointType, common.region)
  create.canary = parseCanary(input.text)
  create.authorizer = parseAuthorizer(input.text, create.authorization, common.region)
  if (create.domain)
    checkTagRoom(create.tags, Inputs.DomainName, 2 + (usesSettingsTag(create.settings) ? 1 : 0))
  else if (usesSettingsTag(create.settings)) checkTagRoom(create.tags, Inputs.ResourcePolicy, 1)
  return { mode, ...common, loadBalancer, ...create }
}

/** The load balancer: as named, or the Cortex cluster's API one; undefined for neither. */
function parseTarget(input: TableReader): LoadBalancerRef | undefined {
  const lbText = input.text(Inputs.LoadBalancer)
  const clusterName = parseClusterName(input.text(Inputs.ClusterName))
  if (lbText && clusterName) {
    throw new InputError(
      Inputs.ClusterName,
      `give either '${Inputs.ClusterName}' or '${Inputs.LoadBalancer}', not both: ` +
        "the cluster's name finds its API load balancer"
    )
  }
  if (lbText) return parseLoadBalancer(lbText)
  return clusterName ? { kind: 'cluster', clusterName, raw: clusterName } : undefined
}

/**
 * Every input, read or not in this mode, holds no character that hides or reorders text (a format
 * character: the bidi controls, zero-width ones) and no control but a tab or a line break: one check
 * that every name, tag and value goes through, before anything else is read.
 */
function checkEveryInput(read: InputReader): void {
  for (const { name } of INPUTS) {
    const found = forbiddenInInput(read(name))
    if (found !== undefined) {
      throw new InputError(
        name,
        `must not hold ${codePoint(found)}, an invisible format or control character (it can hide or ` +
          'reorder the text around it): remove it'
      )
    }
  }
}

/** What both modes read: who and where, the gateway's name and stage, the bounds of the run. */
function parseCommon(
  input: TableReader,
  env: NodeJS.ProcessEnv,
  loadBalancer: LoadBalancerRef | undefined
): CommonConfig {
  const clusterName = loadBalancer?.kind === 'cluster' ? loadBalancer.clusterName : undefined
  // one gateway per cluster by default: two clusters in one account never share one
  const apiName = parseName(
    Inputs.ApiName,
    input.text(Inputs.ApiName) || (clusterName ? `cortex-${clusterName}` : DEFAULT_API_NAME),
    MAX_API_NAME
  )
  if (tagValue(apiName) === undefined) {
    throw new InputError(
      Inputs.ApiName,
      'is too long to be recorded whole in a tag (AWS allows 256 characters; ' +
        'characters other than letters, digits, spaces and _ . : / + - @ take 3 or more each): ' +
        'use a shorter name'
    )
  }
  const owner = env.GITHUB_REPOSITORY?.trim() || LOCAL_OWNER
  if (!OWNER_RE.test(owner)) {
    throw new ActionError(
      `GITHUB_REPOSITORY is ${quoted(owner)}, not owner/name: whose gateways this run may change cannot be told`
    )
  }
  const given = input.text(Inputs.Stage)
  // a create deploys 'dev' when none is given; a delete without one deletes the whole gateway
  const stage = given || DEFAULT_STAGE
  if (!STAGE_RE.test(stage)) {
    throw new InputError(
      Inputs.Stage,
      `${quoted(stage)} is not a valid stage name: use letters, digits, '-' and '_' only, at most 128 characters`
    )
  }
  const timeoutSeconds = parseTimeout(input.text(Inputs.Timeout))
  const dryRun = input.flag(Inputs.DryRun)
  const { region, regionSource } = resolveRegion(input.text(Inputs.Region), env, loadBalancer)
  return { dryRun, owner, apiName, region, regionSource, stage, timeoutSeconds, clusterName }
}

/** What only a create reads: the gateway's shape, its VPC link, its tags, the workflow extras. */
function parseCreate(
  input: TableReader,
  apiName: string,
  region: string
): Omit<CreateConfig, keyof CommonConfig | 'mode' | 'loadBalancer'> {
  const { raw, text, value, flag } = input
  const readyPath = value(Inputs.ReadyPath)
  if (!/^\/[\x21-\x7e]*$/.test(readyPath)) {
    throw new InputError(
      Inputs.ReadyPath,
      `${quoted(readyPath)} must be a path starting with '/', without spaces`
    )
  }
  const endpointType = oneOf(Inputs.EndpointType, value(Inputs.EndpointType).toUpperCase(), ENDPOINT_TYPES)
  return {
    settings: parseSettings(text, { region, endpointType }),
    endpointType,
    scheme: oneOf(Inputs.Scheme, value(Inputs.Scheme).toLowerCase(), SCHEMES),
    authorization: oneOf(Inputs.Authorization, value(Inputs.Authorization).toUpperCase(), AUTHORIZATIONS),
    cors: flag(Inputs.Cors),
    vpcLinkName: parseName(
      Inputs.VpcLinkName,
      text(Inputs.VpcLinkName) || defaultVpcLinkName(apiName),
      MAX_VPC_LINK_NAME
    ),
    tags: parseTags(raw(Inputs.Tags)),
    waitForReady: flag(Inputs.WaitForReady),
    readyPath,
    vpcLinkVersion: oneOf(Inputs.VpcLinkVersion, value(Inputs.VpcLinkVersion).toLowerCase(), LINK_VERSIONS),
    subnetIds: parseIdList(Inputs.SubnetIds, raw(Inputs.SubnetIds), /^subnet-[0-9a-f]{8,17}$/),
    securityGroupIds: parseIdList(
      Inputs.SecurityGroupIds,
      raw(Inputs.SecurityGroupIds),
      /^sg-[0-9a-f]{8,17}$/
    ),
    adopt: flag(Inputs.Adopt),
    deleteOnExit: flag(Inputs.DeleteOnExit),
    failOnCleanupError: flag(Inputs.FailOnCleanupError)
  }
}

const ENDPOINT_TYPES = ['REGIONAL', 'EDGE', 'PRIVATE'] as const
const SCHEMES = ['auto', 'internet-facing', 'internal'] as const
const AUTHORIZATIONS = ['NONE', 'AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM'] as const
const LINK_VERSIONS = ['auto', 'v1', 'v2'] as const

/**
 * A Cortex cluster's name, as Cortex's cluster configuration allows it: 3 to 54 lower-case
 * letters and digits, in words joined by single hyphens.
 */
function parseClusterName(value: string): string | undefined {
  if (value === '') return undefined
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value) || value.length < 3 || value.length > 54) {
    throw new InputError(
      Inputs.ClusterName,
      'must be a Cortex cluster name: 3 to 54 lower-case letters and digits, words joined by ' +
        'single hyphens'
    )
  }
  return value
}

/** A name we give AWS and echo in logs: one line of printable characters, not too long. */
function parseName(input: InputName, value: string, max: number): string {
  // (hasControl passes a tab, which a multi-line input such as tags may hold; a name may not)
  if (hasControl(value) || value.includes('\t')) {
    throw new InputError(
      input,
      'must not hold control characters (a new line, a tab, an escape): give a name on one line'
    )
  }
  if ([...value].length > max) throw new InputError(input, `must be at most ${max} characters`)
  return value
}

const VPC_LINK_SUFFIX = '-vpc-link'

/** `<api-name>-vpc-link`, the API name shortened where it must be so the whole fits a VPC link name. */
export function defaultVpcLinkName(apiName: string): string {
  return [...apiName].slice(0, MAX_VPC_LINK_NAME - VPC_LINK_SUFFIX.length).join('') + VPC_LINK_SUFFIX
}

function oneOf<T extends string>(input: InputName, value: string, allowed: readonly T[]): T {
  const found = allowed.find(a => a === value)
  if (found === undefined) {
    throw new InputError(input, `${quoted(value)} is not one of ${allowed.map(a => `'${a}'`).join(', ')}`)
  }
  return found
}

function parseTimeout(value: string): number {
  if (value === '') return Defaults.timeoutSeconds
  if (!/^\d+$/.test(value)) {
    throw new InputError(Inputs.Timeout, `${quoted(value)} is not a whole number of seconds`)
  }
  const n = Number(value)
  if (n < 1 || n > MAX_TIMEOUT_SECONDS) {
    throw new InputError(Inputs.Timeout, `must be between 1 and ${MAX_TIMEOUT_SECONDS} seconds, got ${value}`)
  }
  return n
}

/** Ids separated by commas, spaces or new lines; undefined when none are given. */
function parseIdList(input: InputName, value: string, pattern: RegExp): string[] | undefined {
  const ids = value.split(/[\s,]+/).filter(Boolean)
  for (const id of ids) if (!pattern.test(id)) throw new InputError(input, `${quoted(id)} is not a valid id`)
  return ids.length > 0 ? [...new Set(ids)] : undefined
}

/** Whether the API carries the tag that says which settings the action set on it. */
function usesSettingsTag(s: Settings): boolean {
  return (
    Boolean(s.resourcePolicy) ||
    s.disableExecuteApiEndpoint ||
    s.allowedSourceIps.length + s.vpcEndpointIds.length + s.binaryMediaTypes.length > 0
  )
}
