/**
 * What a gateway is, in plain types: the load balancer, the REST API with its resources,
 * methods and integrations, its stage, the VPC links. `aws/` maps the SDK's shapes into these
 * and out of them; the planner (plan.ts) and the wanted gateway (desired.ts) speak only these.
 */
import type { PROXY_PATH, ROOT_PATH } from '../base/constants.js'

export type Tags = Record<string, string>

export type Scheme = 'internet-facing' | 'internal'
export type Authorization = 'NONE' | 'AWS_IAM' | 'COGNITO_USER_POOLS' | 'CUSTOM'

export interface LoadBalancer {
  arn: string
  name: string
  dnsName: string
  scheme: Scheme
  /** 'network' | 'application' | 'gateway' as ELBv2 reports it; never inferred from the ARN. */
  type: string
  vpcId?: string
  /** Where it runs and what guards it: what a v2 VPC link is made from. */
  subnetIds: string[]
  securityGroupIds: string[]
}

export interface RestApiSummary {
  id: string
  name: string
  description?: string
  tags: Tags
  endpointTypes: string[]
  rootResourceId?: string
  createdDate?: Date
  binaryMediaTypes?: string[]
  /** The resource policy as AWS holds it (a JSON text), absent when there is none. */
  policy?: string
  /** A PRIVATE API's VPC endpoints. */
  vpcEndpointIds?: string[]
  /** Its default execute-api endpoint is off. */
  disableExecuteApiEndpoint?: boolean
  /** Responses this size and larger are compressed (content encoding); absent when off. */
  minimumCompressionSize?: number
}

/** An integration as it is, with the parts the action sets (AWS fills in more; those are left alone). */
export interface IntegrationState {
  type: string
  httpMethod?: string
  uri?: string
  connectionType?: string
  connectionId?: string
  /** v2 VPC links: the load balancer reached through the link. */
  integrationTarget?: string
  requestParameters?: Record<string, string>
  requestTemplates?: Record<string, string>
  timeoutInMillis?: number
  /** `STREAM` or `BUFFERED` (AWS's default, what absent means). */
  responseTransferMode?: string
  /** By status code: the response parameters each integration response sets. */
  responses: Record<string, Record<string, string>>
  /** By status code: each integration response's mapping templates, by content type. */
  responseTemplates?: Record<string, Record<string, string>>
}

export interface MethodState {
  authorizationType?: string
  /** The authorizer a COGNITO_USER_POOLS or CUSTOM method uses, and the scopes it asks for. */
  authorizerId?: string
  authorizationScopes?: string[]
  apiKeyRequired?: boolean
  requestParameters?: Record<string, boolean>
  /** By status code: the response parameters each method response declares. */
  responses: Record<string, Record<string, boolean>>
  integration?: IntegrationState
}

export interface ResourceState {
  id: string
  path: string
  parentId?: string
  /** By HTTP method. */
  methods: Record<string, MethodState>
}

export interface StageState {
  name: string
  deploymentId?: string
  tags: Tags
  /** What the action reconciles on a stage (read by GetStage; absent where only listed). */
  settings?: StageSettings
  /** Its stage variables (the cluster its integrations reach, where they name it by variables). */
  variables?: Record<string, string>
  /** Its canary, where it has one. */
  canary?: StageCanary
  /** Its cache cluster or a method's caching is on (a person's doing: the action caches nothing). */
  caching?: boolean
}

/** A stage canary: a share of the stage's requests served by a deployment with variables overridden. */
export interface StageCanary {
  deploymentId?: string
  /** 0 to 100. */
  percent: number
  /** The stage variables the canary's requests see instead of the stage's. */
  overrides: Record<string, string>
}

/**
 * A stage's settings the action sets, by the key of their row in the settings table
 * (features/settings/inputs.ts), each as that row reads it back.
 */
export type StageSettings = Readonly<Record<string, unknown>>

export type VpcLinkVersion = 'v1' | 'v2'

/** A VPC link to make: v1 from its NLB, v2 from subnets and security groups. */
export type VpcLinkSpec =
  | { version: 'v1'; name: string; targetArn: string; tags: Tags }
  | {
      version: 'v2'
      name: string
      subnetIds: string[]
      securityGroupIds: string[]
      tags: Tags
    }

export interface VpcLink {
  version: VpcLinkVersion
  id: string
  name: string
  /** PENDING | AVAILABLE | DELETING | FAILED, and for v2 INACTIVE (unused for 60 days). */
  status: string
  statusMessage?: string
  /** v1: the NLB it reaches. */
  targetArns: string[]
  /** v2: where its network interfaces live. */
  subnetIds: string[]
  securityGroupIds: string[]
  tags: Tags
}

/** Stands for the VPC link a plan makes, until apply knows its id (a symbol: never mistaken for an id). */
export const NEW_VPC_LINK: unique symbol = Symbol('new VPC link')
/** A VPC link's id, or the one the plan makes. */
export type LinkRef = string | typeof NEW_VPC_LINK

/** Stands for the authorizer a plan makes, until apply knows its id (as NEW_VPC_LINK does for a link). */
export const NEW_AUTHORIZER: unique symbol = Symbol('new authorizer')
/** An authorizer's id, or the one the plan makes. */
export type AuthorizerRef = string | typeof NEW_AUTHORIZER

/** An authorizer of an API, as AWS holds it (the parts the action sets). */
export interface AuthorizerState {
  id: string
  name: string
  /** TOKEN, REQUEST or COGNITO_USER_POOLS. */
  type: string
  providerArns: string[]
  authorizerUri?: string
  identitySource?: string
  ttl?: number
}

/** An authorizer to make, as CreateAuthorizer takes it. */
export interface AuthorizerSpec {
  name: string
  type: 'COGNITO_USER_POOLS' | 'TOKEN' | 'REQUEST'
  providerArns: string[]
  authorizerUri?: string
  identitySource: string
  /** Lambda only: seconds its answers are cached. */
  ttl?: number
}

/** What one method should look like, with everything under it; `Link` is `string` once resolved. */
export interface DesiredMethod<Link extends LinkRef = LinkRef> {
  httpMethod: 'ANY' | 'OPTIONS'
  authorizationType: Authorization
  /** The authorizer of a COGNITO_USER_POOLS or CUSTOM method (a string once resolved). */
  authorizerId?: Link extends string ? string : AuthorizerRef
  /** Cognito only: the OAuth scopes it requires (absent: none). */
  authorizationScopes?: string[]
  /** Set (true) only where `api-keys` asks for a key: absent is AWS's default, false. */
  apiKeyRequired?: true
  requestParameters?: Record<string, boolean>
  methodResponses: {
    statusCode: string
    responseParameters: Record<string, boolean>
    responseModels?: Record<string, string>
  }[]
  integration: {
    type: 'HTTP_PROXY' | 'MOCK'
    integrationHttpMethod?: 'ANY'
    uri?: string
    connectionType: 'INTERNET' | 'VPC_LINK'
    connectionId?: Link
    /** v2 VPC links: the load balancer the integration reaches through the link. */
    integrationTarget?: string
    requestParameters?: Record<string, string>
    requestTemplates?: Record<string, string>
    /** Set only when it is not AWS's default of 29 s. */
    timeoutInMillis?: number
    /** Set only to stream (`response-streaming`): absent is AWS's default, BUFFERED. */
    responseTransferMode?: 'STREAM'
    passthroughBehavior: 'WHEN_NO_MATCH'
    responses: {
      statusCode: string
      responseParameters: Record<string, string>
      responseTemplates?: Record<string, string>
    }[]
  }
}

/** A method ready for AWS: its VPC link named by id. */
export type ResolvedMethod = DesiredMethod<string>

export interface DesiredResource<Link extends LinkRef = LinkRef> {
  path: typeof ROOT_PATH | typeof PROXY_PATH
  methods: DesiredMethod<Link>[]
}

/** The id a link reference stands for, once the link the plan makes (`made`) exists. */
export function resolveLink(ref: LinkRef, made: string | undefined): string {
  if (typeof ref === 'string') return ref
  if (!made) throw new Error('internal error: the new VPC link is used before it is made')
  return made
}

/** The id an authorizer reference stands for, once the authorizer the plan makes (`made`) exists. */
export function resolveAuthorizer(ref: AuthorizerRef, made: string | undefined): string {
  if (typeof ref === 'string') return ref
  if (!made) throw new Error('internal error: the new authorizer is used before it is made')
  return made
}

export function resolveMethod(
  m: DesiredMethod,
  made: string | undefined,
  madeAuthorizer?: string
): ResolvedMethod {
  const id = m.integration.connectionId
  const { authorizerId, ...rest } = m
  return {
    ...rest,
    ...(authorizerId === undefined ? {} : { authorizerId: resolveAuthorizer(authorizerId, madeAuthorizer) }),
    integration: { ...m.integration, connectionId: id === undefined ? undefined : resolveLink(id, made) }
  }
}

export function resolveResources(
  resources: DesiredResource[],
  made: string | undefined,
  madeAuthorizer?: string
): DesiredResource<string>[] {
  return resources.map(r => ({ ...r, methods: r.methods.map(m => resolveMethod(m, made, madeAuthorizer)) }))
}

/** Whether a method waits for the authorizer the plan makes (its id is not known before). */
export const usesNewAuthorizer = (resources: DesiredResource[]): boolean =>
  resources.some(r => r.methods.some(m => m.authorizerId === NEW_AUTHORIZER))

/** An API Gateway custom domain name, with what DNS must point at. */
export interface CustomDomain {
  /** Lower case. */
  name: string
  /** REGIONAL or EDGE. */
  endpointType: string
  certificateArn?: string
  /** The name DNS points the domain at: the regional domain name, or the CloudFront distribution's. */
  target?: string
  /** The hosted zone of `target`, for an alias record. */
  targetZoneId?: string
  /** Its TLS policy (`TLS_1_2`, `TLS_1_0` or an enhanced `SecurityPolicy_…`), as AWS holds it. */
  securityPolicy?: string
  tags: Tags
}

/** A base path mapping of a custom domain: `basePath` ('' for the root) serves this API's stage. */
export interface BasePathMapping {
  basePath: string
  restApiId: string
  stage?: string
}

/** A custom domain as it is, with its mappings; `domain` absent when there is none of the name. */
export interface DomainView {
  name: string
  domain?: CustomDomain
  mappings: BasePathMapping[]
}

/** A DNS record set, as Route 53 holds it (what a DELETE must repeat exactly). */
export interface DnsRecord {
  /** Lower case, without the final dot. */
  name: string
  type: string
  ttl?: number
  values: string[]
  alias?: { dnsName: string; zoneId: string; evaluateTargetHealth: boolean }
}

/**
 * The records at a domain's name in a hosted zone, and the TXT record that marks an alias record
 * as the action's (see DNS_OWNER_RECORD_PREFIX).
 */
export interface DnsView {
  zoneId: string
  /** The zone's own name (lower case, no final dot). */
  zoneName: string
  name: string
  records: DnsRecord[]
  marker?: DnsRecord
}

/** The custom domain of a gateway as the run found it: where the API is mapped, where DNS was kept. */
export interface DomainDiscovery {
  /** By domain name: the wanted one and the one the API was tagged with. */
  domains: Map<string, DomainView>
  /** By `zone/name`: the records the run may write or remove. */
  dns: Map<string, DnsView>
  /**
   * Domains of this repository that served nothing when the run looked (in `domains` too, with the records
   * in the zone they were made with in `dns`): swept.
   */
  idle?: string[]
}

/** No custom domain read: what a run without one (or a test) discovers. */
export const NO_DOMAINS: DomainDiscovery = { domains: new Map(), dns: new Map() }

export const dnsKey = (zoneId: string, name: string): string => `${zoneId}/${name}`

/** One JSON patch operation of an API Gateway update. */
export interface Patch {
  op: 'add' | 'remove' | 'replace'
  path: string
  value?: string
}

/** A usage plan, with the API stages it serves. */
export interface UsagePlan {
  id: string
  name: string
  apiStages: { apiId: string; stage: string }[]
  quota?: { limit: number; period: string }
  throttle?: { rate: number; burst: number }
  tags: Record<string, string>
}

/** An API key; `value` only where it was read with its value. */
export interface ApiKey {
  id: string
  name: string
  value?: string
  tags: Record<string, string>
}

/** A gateway response of an API (API Gateway's own answer, e.g. `DEFAULT_4XX`), as AWS holds it. */
export interface GatewayResponseState {
  responseType: string
  /** True while nobody set it: AWS's own. */
  defaultResponse: boolean
  responseParameters: Record<string, string>
  responseTemplates: Record<string, string>
}
