import { createHash } from 'node:crypto'
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_ALLOW_ORIGIN,
  Defaults,
  DEPLOYMENT_DESCRIPTION_PREFIX,
  PROXY_PATH,
  ROOT_PATH
} from '../base/constants.js'
import type { Authorization } from '../config/inputs.js'
import type { AuthorizerRef, DesiredMethod, DesiredResource, LinkRef } from '../model/model.js'

export type { DesiredMethod, DesiredResource }

export interface DesiredInput {
  /** The load balancer's DNS name, lower case. */
  dnsName: string
  authorization: Authorization
  cors: boolean
  /** Set for an internal load balancer: the VPC link to go through. */
  vpcLink?: { id: LinkRef; version: 'v1' | 'v2'; targetArn: string }
  /** With `api-keys`: the proxied methods require a key. */
  apiKeyRequired?: boolean
  /** The proxied integrations' timeout (AWS's default of 29 s is left unset). */
  timeoutMs?: number
  /** The proxied integrations stream the backend's response (`responseTransferMode: STREAM`). */
  streaming?: boolean
  /** The origins the preflight allows (`cors-allow-origins`): `*` by default. */
  corsOrigins?: string[]
  /** COGNITO_USER_POOLS and CUSTOM: the authorizer the proxied methods use, and a Cognito one's scopes. */
  authorizer?: { authorizerId: AuthorizerRef; scopes?: string[] }
}

/**
 * The stage variables the proxied integrations name their backend by (the URI's host; through a v1 VPC link,
 * the link too), so a stage canary can send a share to another cluster by overriding them. A v2 link's
 * integration names its load balancer (`integrationTarget`) literally, so its integrations stay literal.
 */
export const StageVariables = { Host: 'cortexHost', VpcLink: 'cortexVpcLink' } as const
const variable = (name: string): string => `\${stageVariables.${name}}`

/** Whether the integrations name their backend by stage variables: all but those through a v2 VPC link. */
export function byStageVariables(input: Pick<DesiredInput, 'vpcLink'>): boolean {
  return input.vpcLink?.version !== 'v2'
}

const PROXY_PARAM = 'method.request.path.proxy'
const HEADER = 'method.response.header.'

/** The API the guide's console steps build, plus `ANY /` so the root is routed too. */
export function desiredResources(input: DesiredInput): DesiredResource[] {
  const link = input.vpcLink
  const byVariables = byStageVariables(input)
  const connection: Pick<
    DesiredMethod['integration'],
    'connectionType' | 'connectionId' | 'integrationTarget'
  > = link
    ? {
        connectionType: 'VPC_LINK',
        connectionId: byVariables ? variable(StageVariables.VpcLink) : link.id,
        ...(link.version === 'v2' ? { integrationTarget: link.targetArn } : {})
      }
    : { connectionType: 'INTERNET' }
  const host = byVariables ? variable(StageVariables.Host) : input.dnsName
  const proxyMethod = (path: DesiredResource['path']): DesiredMethod => ({
    httpMethod: 'ANY',
    authorizationType: input.authorization,
    ...(input.authorizer ? { authorizerId: input.authorizer.authorizerId } : {}),
    ...(input.authorizer?.scopes ? { authorizationScopes: input.authorizer.scopes } : {}),
    ...(input.apiKeyRequired ? { apiKeyRequired: true as const } : {}),
    requestParameters: path === PROXY_PATH ? { [PROXY_PARAM]: true } : undefined,
    methodResponses: [],
    integration: {
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: path === PROXY_PATH ? `http://${host}/{proxy}` : `http://${host}/`,
      ...connection,
      requestParameters: path === PROXY_PATH ? { 'integration.request.path.proxy': PROXY_PARAM } : undefined,
      ...(input.timeoutMs !== undefined && input.timeoutMs !== Defaults.integrationTimeout
        ? { timeoutInMillis: input.timeoutMs }
        : {}),
      ...(input.streaming ? { responseTransferMode: 'STREAM' as const } : {}),
      passthroughBehavior: 'WHEN_NO_MATCH',
      responses: []
    }
  })
  return ([ROOT_PATH, PROXY_PATH] as const).map(path => ({
    path,
    methods: input.cors ? [proxyMethod(path), corsMethod(input.corsOrigins)] : [proxyMethod(path)]
  }))
}

/**
 * What the console's "Enable API Gateway CORS" adds: OPTIONS, MOCK, the three headers. Of several origins
 * an answer names one: the first, unless the caller's `Origin` is another of them (a mapping template sets
 * it then, and `Vary: Origin` tells caches the answer depends on it).
 */
function corsMethod(origins: string[] = [CORS_ALLOW_ORIGIN]): DesiredMethod {
  const several = origins.length > 1
  const headers: Record<string, string> = {
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
    'Access-Control-Allow-Origin': origins[0],
    ...(several ? { Vary: 'Origin' } : {})
  }
  return {
    httpMethod: 'OPTIONS',
    // the preflight carries no credentials: it stays open whatever `authorization` says
    authorizationType: 'NONE',
    methodResponses: [
      {
        statusCode: '200',
        responseParameters: Object.fromEntries(Object.keys(headers).map(h => [HEADER + h, false])),
        responseModels: { 'application/json': 'Empty' }
      }
    ],
    integration: {
      type: 'MOCK',
      connectionType: 'INTERNET',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      responses: [
        {
          statusCode: '200',
          responseParameters: Object.fromEntries(
            Object.entries(headers).map(([h, v]) => [HEADER + h, `'${v}'`])
          ),
          responseTemplates: { 'application/json': several ? originTemplate(origins) : '' }
        }
      ]
    }
  }
}

/** A preflight's answer names the caller's origin when it is one of `origins`. */
export function originTemplate(origins: string[]): string {
  const listed = origins.map(o => `$origin == "${o}"`).join(' || ')
  return (
    "#set($origin = $input.params().header.get('Origin'))\n" +
    `#if(${listed})#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end`
  )
}

/** Deployments are labelled with a hash of what they deploy, so a stale stage is seen on re-run. */
export function deploymentDescription(resources: DesiredResource<string>[], apiSettings?: unknown): string {
  // the API settings a deployment makes take effect (binary types, the policy) count too, where any are set:
  // a run that set them and stopped before deploying is seen by the next one
  const what = apiSettings === undefined ? resources : { resources, apiSettings }
  const hash = createHash('sha256').update(stableJson(what)).digest('hex').slice(0, 16)
  return `${DEPLOYMENT_DESCRIPTION_PREFIX}${hash}`
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
