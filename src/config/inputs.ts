import {
  Cortex,
  DEFAULT_API_NAME,
  Defaults,
  Inputs,
  MAX_TIMEOUT_SECONDS,
  TAG_PREFIX,
  type InputName
} from '../base/constants.js'
import { ActionError, InputError } from '../base/errors.js'
import { LOCAL_OWNER, OWNER_RE, tagValue } from '../model/ownership.js'
import {
  codePoint,
  forbiddenInInput,
  hasControl,
  quoted,
  redactUrl,
  withoutQuery
} from '../report/safe-text.js'
import { parseBoolean, parseSettings, type Settings } from '../features/settings/inputs.js'

import type { Authorization, Scheme } from '../model/model.js'
export type { Authorization, Scheme }
export type Mode = 'create' | 'delete'
export type SchemeInput = 'auto' | 'internet-facing' | 'internal'
export type EndpointType = 'REGIONAL' | 'EDGE' | 'PRIVATE'

/** The load balancer as the user named it, normalised. */
export type LoadBalancerRef =
  | { kind: 'dns'; dnsName: string; raw: string; region?: string }
  | { kind: 'arn'; arn: string; raw: string; region: string }
  /** The Cortex cluster's API load balancer, found by its tags. */
  | { kind: 'cluster'; clusterName: string; raw: string; region?: undefined }

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
  /** Throttling, API keys, binary types, timeouts, logs, metrics, tracing, policy, private endpoints, WAF. */
  settings: Settings
  /** Action only: a post step deletes what this step made. */
  deleteOnExit: boolean
  failOnCleanupError: boolean
}

export interface DomainConfig {
  /** Lower case, without a final dot. */
  name: string
  certificateArn: string
  /** Where the gateway is mapped under the domain: '' for the domain's root. */
  basePath: string
  /** With it, an alias record for the domain to the domain's target is kept in this hosted zone. */
  hostedZoneId?: string
}

export interface DeleteConfig extends CommonConfig {
  mode: 'delete'
  loadBalancer?: LoadBalancerRef
  /** delete-on-exit: delete only these, what the main step made; absent = the whole gateway. */
  only?: { apiIds: string[]; vpcLinkIds: string[] }
}

export type Config = CreateConfig | DeleteConfig

/** Reads one input as the runner passes it ('' when unset). */
export type InputReader = (name: InputName) => string

const STAGE_RE = /^[A-Za-z0-9_-]{1,128}$/
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/
const HOST_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'
const HOST_RE = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})+$`)
const LB_ARN_RE = new RegExp(
  /^arn:aws[a-z-]*:elasticloadbalancing:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):/.source +
    /\d{12}:loadbalancer\/(?:net|app)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/.source
)
// Real NLBs: {name}-{hash}.elb.{region}.amazonaws.com; ALBs: {name}-{id}.{region}.elb.amazonaws.com
const NLB_DNS_REGION_RE = /\.elb\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?$/
const ALB_DNS_REGION_RE = /\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.elb\.amazonaws\.com(?:\.cn)?$/
// What API Gateway accepts in tags.
// (AWS's own pattern says \p{Z}, which also admits the line and paragraph separators: not here)
const TAG_CHARS_RE = /^[\p{L}\p{Zs}\p{N}_.:/=+\-@]*$/u
const MAX_TAGS = 50
const MAX_API_NAME = 1024
const MAX_VPC_LINK_NAME = 255

/** Every input read and checked, for the mode asked; any problem names the input, before any AWS call. */
export function parseConfig(read: InputReader, env: NodeJS.ProcessEnv = process.env): Config {
  checkEveryInput(read)
  const text = (name: InputName): string => read(name).trim()
  const mode = oneOf(Inputs.Mode, text(Inputs.Mode).toLowerCase() || Defaults.mode, [
    'create',
    'delete'
  ] as const)
  const lbText = text(Inputs.LoadBalancer)
  const clusterName = parseClusterName(text(Inputs.ClusterName))
  if (lbText && clusterName) {
    throw new InputError(
      Inputs.ClusterName,
      `give either '${Inputs.ClusterName}' or '${Inputs.LoadBalancer}', not both: ` +
        "the cluster's name finds its API load balancer"
    )
  }
  const loadBalancer: LoadBalancerRef | undefined = lbText
    ? parseLoadBalancer(lbText)
    : clusterName
      ? { kind: 'cluster', clusterName, raw: clusterName }
      : undefined
  if (mode === 'create' && !loadBalancer) {
    throw new InputError(
      Inputs.LoadBalancer,
      `is required when mode is 'create', unless '${Inputs.ClusterName}' is given: pass the API ` +
        "load balancer's DNS name (as `cortex cluster info` prints it) or its ARN, or the Cortex " +
        "cluster's name as cluster-name"
    )
  }
  const common = parseCommon(read, env, loadBalancer)
  if (mode === 'delete' || !loadBalancer) return { mode: 'delete', ...common, loadBalancer }
  const create = parseCreate(read, common.apiName, common.region)
  // tagged as Cortex tags its own resources
  if (common.clusterName) create.tags = withClusterTag(create.tags, common.clusterName)
  create.domain = parseDomain(read, create.endpointType, common.region)
  if (create.domain)
    checkTagRoom(create.tags, Inputs.DomainName, 2 + (usesSettingsTag(create.settings) ? 1 : 0))
  else if (usesSettingsTag(create.settings)) checkTagRoom(create.tags, Inputs.ResourcePolicy, 1)
  return { mode, ...common, loadBalancer, ...create }
}

/**
 * Every input, read or not in this mode, holds no character that hides or reorders text (a format
 * character: the bidi controls, zero-width ones) and no control but a tab or a line break: one check
 * that every name, tag and value goes through, before anything else is read.
 */
function checkEveryInput(read: InputReader): void {
  for (const input of Object.values(Inputs)) {
    const found = forbiddenInInput(read(input))
    if (found !== undefined) {
      throw new InputError(
        input,
        `must not hold ${codePoint(found)}, an invisible format or control character (it can hide or ` +
          'reorder the text around it): remove it'
      )
    }
  }
}

/** What both modes read: who and where, the gateway's name and stage, the bounds of the run. */
function parseCommon(
  read: InputReader,
  env: NodeJS.ProcessEnv,
  loadBalancer: LoadBalancerRef | undefined
): CommonConfig {
  const text = (name: InputName): string => read(name).trim()
  const clusterName = loadBalancer?.kind === 'cluster' ? loadBalancer.clusterName : undefined
  // one gateway per cluster by default: two clusters in one account never share one
  const apiName = parseName(
    Inputs.ApiName,
    text(Inputs.ApiName) || (clusterName ? `cortex-${clusterName}` : DEFAULT_API_NAME),
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
  const stage = text(Inputs.Stage) || Defaults.stage
  if (!STAGE_RE.test(stage)) {
    throw new InputError(
      Inputs.Stage,
      `${quoted(stage)} is not a valid stage name: use letters, digits, '-' and '_' only, at most 128 characters`
    )
  }
  const timeoutSeconds = parseTimeout(text(Inputs.Timeout))
  const dryRun = parseBoolean(Inputs.DryRun, text(Inputs.DryRun), Defaults.dryRun)
  const { region, regionSource } = resolveRegion(text(Inputs.Region), env, loadBalancer)
  return { dryRun, owner, apiName, region, regionSource, stage, timeoutSeconds, clusterName }
}

/** What only a create reads: the gateway's shape, its VPC link, its tags, the workflow extras. */
function parseCreate(
  read: InputReader,
  apiName: string,
  region: string
): Omit<CreateConfig, keyof CommonConfig | 'mode' | 'loadBalancer'> {
  const text = (name: InputName): string => read(name).trim()
  const flag = (name: InputName, fallback: boolean): boolean => parseBoolean(name, text(name), fallback)
  const readyPath = text(Inputs.ReadyPath) || Defaults.readyPath
  if (!/^\/[\x21-\x7e]*$/.test(readyPath)) {
    throw new InputError(
      Inputs.ReadyPath,
      `${quoted(readyPath)} must be a path starting with '/', without spaces`
    )
  }
  const endpointType = oneOf(
    Inputs.EndpointType,
    text(Inputs.EndpointType).toUpperCase() || Defaults.endpointType,
    ['REGIONAL', 'EDGE', 'PRIVATE'] as const
  )
  return {
    settings: parseSettings(text, { region, endpointType }),
    endpointType,
    scheme: oneOf(Inputs.Scheme, text(Inputs.Scheme).toLowerCase() || Defaults.scheme, [
      'auto',
      'internet-facing',
      'internal'
    ] as const),
    authorization: oneOf(
      Inputs.Authorization,
      text(Inputs.Authorization).toUpperCase() || Defaults.authorization,
      ['NONE', 'AWS_IAM'] as const
    ),
    cors: flag(Inputs.Cors, Defaults.cors),
    vpcLinkName: parseName(
      Inputs.VpcLinkName,
      text(Inputs.VpcLinkName) || defaultVpcLinkName(apiName),
      MAX_VPC_LINK_NAME
    ),
    tags: parseTags(read(Inputs.Tags)),
    waitForReady: flag(Inputs.WaitForReady, Defaults.waitForReady),
    readyPath,
    vpcLinkVersion: oneOf(
      Inputs.VpcLinkVersion,
      text(Inputs.VpcLinkVersion).toLowerCase() || Defaults.vpcLinkVersion,
      ['auto', 'v1', 'v2'] as const
    ),
    subnetIds: parseIdList(Inputs.SubnetIds, read(Inputs.SubnetIds), /^subnet-[0-9a-f]{8,17}$/),
    securityGroupIds: parseIdList(
      Inputs.SecurityGroupIds,
      read(Inputs.SecurityGroupIds),
      /^sg-[0-9a-f]{8,17}$/
    ),
    adopt: flag(Inputs.Adopt, Defaults.adopt),
    deleteOnExit: flag(Inputs.DeleteOnExit, Defaults.deleteOnExit),
    failOnCleanupError: flag(Inputs.FailOnCleanupError, Defaults.failOnCleanupError)
  }
}

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
  if (hasControl(value)) {
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

/**
 * Accepts the forms people paste: `http://NAME/`, `NAME:80`, upper case, or an ARN.
 */
export function parseLoadBalancer(given: string): LoadBalancerRef {
  // a URL may carry credentials (http://user:password@host) or a token in its query: never kept, never echoed.
  // No load balancer's name holds '?' or '#': what follows one is left out even without a scheme or a path
  const raw = withoutQuery(redactUrl(given.trim()))
  const value = raw
  if (/^arn:/i.test(value)) {
    const m = LB_ARN_RE.exec(value)
    if (!m) {
      throw new InputError(
        Inputs.LoadBalancer,
        `${quoted(value)} is not a load balancer ARN ` +
          '(arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID)'
      )
    }
    return { kind: 'arn', arn: value, raw, region: m[1] }
  }
  let host = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^\*\*\*@/, '')
  host = host.split(/[/?#]/, 1)[0]
  host = host.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase()
  if (!HOST_RE.test(host)) {
    throw new InputError(
      Inputs.LoadBalancer,
      `${quoted(value)} is neither a DNS name nor an ARN of a load balancer ` +
        '(expected e.g. abc-123.elb.us-west-2.amazonaws.com)'
    )
  }
  return { kind: 'dns', dnsName: host, raw, region: regionFromDnsName(host) }
}

export function regionFromDnsName(dnsName: string): string | undefined {
  return NLB_DNS_REGION_RE.exec(dnsName)?.[1] ?? ALB_DNS_REGION_RE.exec(dnsName)?.[1]
}

function resolveRegion(
  input: string,
  env: NodeJS.ProcessEnv,
  lb: LoadBalancerRef | undefined
): { region: string; regionSource: string } {
  const candidates: [string | undefined, string][] = [
    [input, `input '${Inputs.Region}'`],
    [env.AWS_REGION?.trim(), 'AWS_REGION'],
    [env.AWS_DEFAULT_REGION?.trim(), 'AWS_DEFAULT_REGION'],
    [lb?.region, `the load balancer's ${lb?.kind === 'arn' ? 'ARN' : 'DNS name'}`]
  ]
  for (const [value, source] of candidates) {
    if (!value) continue
    if (!REGION_RE.test(value)) {
      throw new InputError(
        Inputs.Region,
        `${quoted(value)} (from ${source}) is not an AWS region name such as us-west-2`
      )
    }
    // the gateway is made where its load balancer is found: a run elsewhere (a delete above all)
    // would act on, or report nothing of, a region the gateway is not in
    if (lb?.region && lb.region !== value) {
      throw new InputError(
        Inputs.Region,
        `the run is in ${value} (from ${source}), ` +
          `but the load balancer's ${lb.kind === 'arn' ? 'ARN' : 'DNS name'} says region ${lb.region}: ` +
          `its gateway is in ${lb.region}. Set the '${Inputs.Region}' input to ${lb.region}`
      )
    }
    return { region: value, regionSource: source }
  }
  throw new InputError(
    Inputs.Region,
    'no region given: set the input, or AWS_REGION (aws-actions/configure-aws-credentials does), ' +
      (lb?.kind === 'cluster'
        ? `the region of cluster "${lb.clusterName}"`
        : 'or pass a load balancer DNS name that contains one')
  )
}

/** Ids separated by commas, spaces or new lines; undefined when none are given. */
function parseIdList(input: InputName, value: string, pattern: RegExp): string[] | undefined {
  const ids = value.split(/[\s,]+/).filter(Boolean)
  for (const id of ids) if (!pattern.test(id)) throw new InputError(input, `${quoted(id)} is not a valid id`)
  return ids.length > 0 ? [...new Set(ids)] : undefined
}

/** The user's tags and the cluster's: one more of the action's own, and never another cluster's. */
function withClusterTag(tags: Record<string, string>, clusterName: string): Record<string, string> {
  const given = tags[Cortex.ClusterTag]
  if (given !== undefined && given !== clusterName) {
    throw new InputError(
      Inputs.Tags,
      `${Cortex.ClusterTag}=${quoted(given)} disagrees with '${Inputs.ClusterName}' ` +
        `(${quoted(clusterName)}): leave it out, the action sets it`
    )
  }
  const own = Object.keys(tags).filter(k => k !== Cortex.ClusterTag).length
  if (own > MAX_TAGS - 6) {
    throw new InputError(
      Inputs.Tags,
      `at most ${MAX_TAGS - 6} tags with '${Inputs.ClusterName}' (AWS allows ${MAX_TAGS}, the action ` +
        'uses 6)'
    )
  }
  return { ...tags, [Cortex.ClusterTag]: clusterName }
}

/** Whether the API carries the tag that says which settings the action set on it. */
function usesSettingsTag(s: Settings): boolean {
  return (
    Boolean(s.resourcePolicy) ||
    s.allowedSourceIps.length + s.vpcEndpointIds.length + s.binaryMediaTypes.length > 0
  )
}

/** The user's tags, when an input makes the action keep `more` tags of its own on the API. */
function checkTagRoom(tags: Record<string, string>, because: InputName, more: number): void {
  const own = Object.keys(tags).filter(k => k !== Cortex.ClusterTag).length
  const room = MAX_TAGS - 5 - more - (tags[Cortex.ClusterTag] === undefined ? 0 : 1)
  if (own > room) {
    throw new InputError(
      Inputs.Tags,
      `at most ${room} tags with '${because}' (AWS allows ${MAX_TAGS}, the action uses ${MAX_TAGS - room})`
    )
  }
}

const DOMAIN_MAX = 253
const CERTIFICATE_ARN_RE =
  /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:certificate\/[A-Za-z0-9-]{1,64}$/
// what API Gateway allows in a base path; '/' (multi-level paths) only through API Gateway v2's API mappings
const BASE_PATH_RE = /^[A-Za-z0-9$\-_.+!*'()]{1,255}$/
const HOSTED_ZONE_RE = /^[A-Z0-9]{1,32}$/
/** EDGE custom domains take their certificate from this region, whatever the API's. */
const EDGE_CERTIFICATE_REGION = 'us-east-1'

/** `domain-name` with its certificate, base path and hosted zone; undefined without a domain. */
function parseDomain(
  read: InputReader,
  endpointType: EndpointType,
  region: string
): DomainConfig | undefined {
  const text = (name: InputName): string => read(name).trim()
  const name = text(Inputs.DomainName).toLowerCase().replace(/\.$/, '')
  if (name !== '' && endpointType === 'PRIVATE') {
    throw new InputError(
      Inputs.DomainName,
      "is not made for 'endpoint-type: PRIVATE' (a private API's custom domains are another kind of domain)"
    )
  }
  if (name === '') {
    for (const needs of [Inputs.CertificateArn, Inputs.BasePath, Inputs.HostedZoneId]) {
      if (text(needs) !== '')
        throw new InputError(needs, `needs '${Inputs.DomainName}': the custom domain it is for`)
    }
    return undefined
  }
  if (name.startsWith('*.')) {
    throw new InputError(
      Inputs.DomainName,
      'wildcard custom domains are not made by this action: name one host'
    )
  }
  if (!HOST_RE.test(name) || name.length > DOMAIN_MAX) {
    throw new InputError(Inputs.DomainName, `${quoted(name)} is not a domain name such as api.example.com`)
  }
  const certificateArn = text(Inputs.CertificateArn)
  if (certificateArn === '') {
    throw new InputError(
      Inputs.CertificateArn,
      `is required with '${Inputs.DomainName}': the ARN of an ACM certificate for ${name}`
    )
  }
  const m = CERTIFICATE_ARN_RE.exec(certificateArn)
  if (!m) {
    throw new InputError(
      Inputs.CertificateArn,
      `${quoted(certificateArn)} is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)`
    )
  }
  const wanted = endpointType === 'EDGE' ? EDGE_CERTIFICATE_REGION : region
  if (m[1] !== wanted) {
    throw new InputError(
      Inputs.CertificateArn,
      `is in ${m[1]}, but ${
        endpointType === 'EDGE'
          ? `an EDGE custom domain takes its certificate from ${EDGE_CERTIFICATE_REGION}`
          : `a REGIONAL custom domain takes its certificate from the API's region, ${region}`
      }: use a certificate for ${name} in ${wanted}`
    )
  }
  const path = text(Inputs.BasePath).replace(/^\/+|\/+$/g, '')
  const basePath = path === '(none)' ? '' : path
  if (basePath !== '' && !BASE_PATH_RE.test(basePath)) {
    throw new InputError(
      Inputs.BasePath,
      basePath.includes('/')
        ? "must be one path segment (a REST API base path mapping cannot hold '/'): e.g. v1"
        : "may hold letters, digits and $ - _ . + ! * ' ( ) only"
    )
  }
  const zone = text(Inputs.HostedZoneId).replace(/^\/?hostedzone\//, '')
  if (zone !== '' && !HOSTED_ZONE_RE.test(zone)) {
    throw new InputError(
      Inputs.HostedZoneId,
      `${quoted(zone)} is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ`
    )
  }
  return { name, certificateArn, basePath, hostedZoneId: zone || undefined }
}

/** `key=value` per line; blank lines and lines starting with '#' are skipped. */
export function parseTags(value: string): Record<string, string> {
  const tags: Record<string, string> = {}
  const lines = value.split(/\r?\n/)
  lines.forEach((line, i) => {
    const text = line.trim()
    if (text === '' || text.startsWith('#')) return
    const eq = text.indexOf('=')
    const where = `line ${i + 1} (${quoted(text)})`
    if (eq <= 0) throw new InputError(Inputs.Tags, `${where} is not key=value`)
    const key = text.slice(0, eq).trim()
    const val = text.slice(eq + 1).trim()
    if (key.length > 128) throw new InputError(Inputs.Tags, `${where}: a key may have at most 128 characters`)
    if (val.length > 256)
      throw new InputError(Inputs.Tags, `${where}: a value may have at most 256 characters`)
    if (!TAG_CHARS_RE.test(key) || !TAG_CHARS_RE.test(val)) {
      throw new InputError(
        Inputs.Tags,
        `${where}: keys and values may hold letters, digits, spaces and _ . : / = + - @ only`
      )
    }
    if (key.toLowerCase().startsWith('aws:'))
      throw new InputError(Inputs.Tags, `${where}: keys starting with 'aws:' are reserved by AWS`)
    if (key.startsWith(TAG_PREFIX))
      throw new InputError(
        Inputs.Tags,
        `${where}: keys starting with '${TAG_PREFIX}' are set by the action itself`
      )
    if (key in tags) throw new InputError(Inputs.Tags, `${where}: key ${quoted(key)} is given twice`)
    tags[key] = val
  })
  // The action adds up to five tags of its own.
  if (Object.keys(tags).length > MAX_TAGS - 5) {
    throw new InputError(
      Inputs.Tags,
      `at most ${MAX_TAGS - 5} tags (AWS allows ${MAX_TAGS}, the action uses 5)`
    )
  }
  return tags
}
