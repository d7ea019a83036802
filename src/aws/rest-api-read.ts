/** The reads of a REST API: the list, one API, its resources and methods, its stages and their settings. */
import {
  GetDeploymentCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  type Method,
  type RestApi,
  type Stage
} from '@aws-sdk/client-api-gateway'
import type { MethodState, ResourceState, RestApiSummary, StageSettings, StageState } from '../model/model.js'
import { STAGE_SETTINGS, type StageAnswer } from '../features/settings/inputs.js'
import { call, unlessNotFound } from './call.js'
import type { AwsContext } from './context.js'
import { allPages } from './paging.js'

export async function listRestApis(ctx: AwsContext): Promise<RestApiSummary[]> {
  return (await listRestApisAt(ctx)).apis
}

/**
 * Every REST API, and AWS's clock when the listing began (the first page's Date header, whole
 * seconds; absent where the answer has none). Deciding between racing runs needs both.
 */
export async function listRestApisAt(
  ctx: AwsContext
): Promise<{ apis: RestApiSummary[]; serverTime?: Date }> {
  let serverTime: Date | undefined
  const apis = await allPages(async position => {
    const command = new GetRestApisCommand({ limit: 500, position })
    command.middlewareStack.add(
      next => async args => {
        const out = await next(args)
        const date = (out.response as { headers?: Record<string, string> } | undefined)?.headers?.date
        if (date && !serverTime && !Number.isNaN(Date.parse(date))) serverTime = new Date(date)
        return out
      },
      { step: 'deserialize', name: 'serverTime' }
    )
    const out = await call(ctx, 'GetRestApis', () => ctx.apigw.send(command))
    return { next: out.position, items: (out.items ?? []).map(toSummary) }
  })
  return { apis, serverTime }
}

function toSummary(api: RestApi): RestApiSummary {
  return {
    id: api.id ?? '',
    name: api.name ?? '',
    description: api.description,
    tags: api.tags ?? {},
    endpointTypes: api.endpointConfiguration?.types ?? [],
    rootResourceId: api.rootResourceId,
    createdDate: api.createdDate,
    binaryMediaTypes: api.binaryMediaTypes ?? [],
    policy: api.policy || undefined,
    vpcEndpointIds: api.endpointConfiguration?.vpcEndpointIds ?? [],
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
    minimumCompressionSize: api.minimumCompressionSize ?? undefined
  }
}

/** A method as AWS shows it, reduced to what the action sets. */
function toMethodState(m: Method): MethodState {
  const i = m.methodIntegration
  return {
    authorizationType: m.authorizationType,
    authorizerId: m.authorizerId ?? undefined,
    authorizationScopes: m.authorizationScopes ?? undefined,
    apiKeyRequired: m.apiKeyRequired,
    requestParameters: m.requestParameters,
    responses: Object.fromEntries(
      Object.entries(m.methodResponses ?? {}).map(([code, r]) => [code, r.responseParameters ?? {}])
    ),
    integration: i && {
      type: i.type ?? '',
      httpMethod: i.httpMethod,
      uri: i.uri,
      connectionType: i.connectionType,
      connectionId: i.connectionId,
      integrationTarget: i.integrationTarget,
      requestParameters: i.requestParameters,
      requestTemplates: i.requestTemplates,
      timeoutInMillis: i.timeoutInMillis,
      responseTransferMode: i.responseTransferMode,
      responses: Object.fromEntries(
        Object.entries(i.integrationResponses ?? {}).map(([code, r]) => [code, r.responseParameters ?? {}])
      ),
      responseTemplates: Object.fromEntries(
        Object.entries(i.integrationResponses ?? {}).map(([code, r]) => [code, r.responseTemplates ?? {}])
      )
    }
  }
}

/** One REST API, or undefined when it is gone. */
export async function getRestApi(ctx: AwsContext, restApiId: string): Promise<RestApiSummary | undefined> {
  const out = await unlessNotFound(
    call(ctx, 'GetRestApi', () => ctx.apigw.send(new GetRestApiCommand({ restApiId })))
  )
  return out && toSummary(out)
}

/** All resources with their methods and integrations embedded: one call for most APIs. */
export async function getResources(ctx: AwsContext, restApiId: string): Promise<ResourceState[]> {
  return allPages(async position => {
    const out = await call(ctx, 'GetResources', () =>
      ctx.apigw.send(new GetResourcesCommand({ restApiId, embed: ['methods'], limit: 500, position }))
    )
    return {
      next: out.position,
      items: (out.items ?? []).map((r): ResourceState => ({
        id: r.id ?? '',
        path: r.path ?? '',
        parentId: r.parentId,
        methods: Object.fromEntries(
          Object.entries(r.resourceMethods ?? {}).map(([name, m]) => [name, toMethodState(m)])
        )
      }))
    }
  })
}

export async function getStage(
  ctx: AwsContext,
  restApiId: string,
  stageName: string
): Promise<StageState | undefined> {
  const out = await unlessNotFound(
    call(ctx, 'GetStage', () => ctx.apigw.send(new GetStageCommand({ restApiId, stageName })))
  )
  return (
    out && {
      name: stageName,
      deploymentId: out.deploymentId,
      tags: out.tags ?? {},
      settings: toSettings(out),
      ...backendOf(out),
      caching: cachingOf(out)
    }
  )
}

/** Whether a stage caches responses: its cache cluster, or the caching of any of its methods' settings. */
export function cachingOf(stage: Stage): boolean {
  const methods = Object.values(stage.methodSettings ?? {})
  return stage.cacheClusterEnabled === true || methods.some(m => m.cachingEnabled === true)
}

/** The stage's variables and its canary, as GetStage and GetStages answer them. */
export function backendOf(stage: Stage): Pick<StageState, 'variables' | 'canary'> {
  const c = stage.canarySettings
  return {
    variables: stage.variables ?? {},
    ...(c
      ? {
          canary: {
            deploymentId: c.deploymentId,
            percent: c.percentTraffic ?? 0,
            overrides: c.stageVariableOverrides ?? {}
          }
        }
      : {})
  }
}

/** The stage's settings, as the settings table's rows read them from GetStage's answer. */
export function toSettings(stage: Stage): StageSettings {
  const answer = stage as StageAnswer
  return Object.fromEntries(
    STAGE_SETTINGS.flatMap(row => (row.stage.read ? [[row.key, row.stage.read(answer)]] : []))
  )
}

export async function getDeploymentDescription(
  ctx: AwsContext,
  restApiId: string,
  deploymentId: string
): Promise<string | undefined> {
  const out = await unlessNotFound(
    call(ctx, 'GetDeployment', () => ctx.apigw.send(new GetDeploymentCommand({ restApiId, deploymentId })))
  )
  return out && (out.description ?? '')
}

/** Every stage of an API, with its tags. */
export async function getStages(ctx: AwsContext, restApiId: string): Promise<StageState[]> {
  const out = await call(ctx, 'GetStages', () => ctx.apigw.send(new GetStagesCommand({ restApiId })))
  return (out.item ?? []).map(st => ({
    name: st.stageName ?? '',
    deploymentId: st.deploymentId,
    tags: st.tags ?? {},
    ...backendOf(st)
  }))
}
