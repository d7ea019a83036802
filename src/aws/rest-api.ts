import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteMethodCommand,
  DeleteRestApiCommand,
  GetDeploymentCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  type Method,
  type RestApi,
  type Stage
} from '@aws-sdk/client-api-gateway'
import type {
  MethodState,
  ResolvedMethod,
  ResourceState,
  RestApiSummary,
  StageSettings,
  StageState
} from '../model/model.js'
import { all } from '../base/concurrency.js'
import { call, unlessNotFound, type CallOptions } from './call.js'
import type { AwsContext } from './context.js'
import { allPages } from './paging.js'
import { STAGE_SETTINGS, type StageAnswer } from '../features/settings/inputs.js'

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
    vpcEndpointIds: api.endpointConfiguration?.vpcEndpointIds ?? []
  }
}

/** A method as AWS shows it, reduced to what the action sets. */
function toMethodState(m: Method): MethodState {
  const i = m.methodIntegration
  return {
    authorizationType: m.authorizationType,
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
      responses: Object.fromEntries(
        Object.entries(i.integrationResponses ?? {}).map(([code, r]) => [code, r.responseParameters ?? {}])
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
      settings: toSettings(out)
    }
  )
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

export async function createRestApi(
  ctx: AwsContext,
  input: {
    name: string
    description: string
    endpointType: string
    tags: Record<string, string>
    binaryMediaTypes?: string[]
    policy?: string
    vpcEndpointIds?: string[]
  },
  /** Finds the API a create whose answer was lost made, so a retry does not make a second. */
  findMade?: () => Promise<RestApiSummary | undefined>
): Promise<RestApiSummary> {
  const made = await call(
    ctx,
    'CreateRestApi',
    async (): Promise<RestApiSummary> => {
      const out = await ctx.apigw.send(
        new CreateRestApiCommand({
          name: input.name,
          description: input.description,
          endpointConfiguration: {
            types: [input.endpointType as 'REGIONAL'],
            ...(input.vpcEndpointIds?.length ? { vpcEndpointIds: input.vpcEndpointIds } : {})
          },
          ...(input.binaryMediaTypes?.length ? { binaryMediaTypes: input.binaryMediaTypes } : {}),
          ...(input.policy ? { policy: input.policy } : {}),
          tags: input.tags
        })
      )
      return {
        id: out.id ?? '',
        name: out.name ?? input.name,
        description: out.description ?? input.description,
        tags: out.tags ?? input.tags,
        endpointTypes: out.endpointConfiguration?.types ?? [input.endpointType],
        rootResourceId: out.rootResourceId,
        createdDate: out.createdDate
      }
    },
    { adopt: findMade }
  )
  return made
}

export async function setEndpointType(
  ctx: AwsContext,
  restApiId: string,
  from: string,
  to: string
): Promise<void> {
  await call(ctx, 'UpdateRestApi', () =>
    ctx.apigw.send(
      new UpdateRestApiCommand({
        restApiId,
        patchOperations: [{ op: 'replace', path: `/endpointConfiguration/types/${from}`, value: to }]
      })
    )
  )
}

export function restApiArn(region: string, restApiId: string): string {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws'
  return `arn:${partition}:apigateway:${region}::/restapis/${restApiId}`
}

export async function tagRestApi(
  ctx: AwsContext,
  restApiId: string,
  tags: Record<string, string>
): Promise<void> {
  await call(ctx, 'TagResource', () =>
    ctx.apigw.send(new TagResourceCommand({ resourceArn: restApiArn(ctx.region, restApiId), tags }))
  )
}

export async function untagRestApi(ctx: AwsContext, restApiId: string, keys: string[]): Promise<void> {
  await call(ctx, 'UntagResource', () =>
    ctx.apigw.send(
      new UntagResourceCommand({ resourceArn: restApiArn(ctx.region, restApiId), tagKeys: keys })
    )
  )
}

export async function createResource(
  ctx: AwsContext,
  restApiId: string,
  parentId: string,
  pathPart: string
): Promise<ResourceState> {
  const out = await call(ctx, 'CreateResource', () =>
    ctx.apigw.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))
  )
  return { id: out.id ?? '', path: out.path ?? '', parentId, methods: {} }
}

export async function deleteMethod(
  ctx: AwsContext,
  restApiId: string,
  resourceId: string,
  httpMethod: string
): Promise<void> {
  // already gone: the state we wanted
  await unlessNotFound(
    call(ctx, 'DeleteMethod', () =>
      ctx.apigw.send(new DeleteMethodCommand({ restApiId, resourceId, httpMethod }))
    )
  )
}

/**
 * Creates a method with everything under it. AWS answers 409 to a PutMethod on an existing
 * method, so a method that differs is deleted first (see plan.ts); the deployed stage keeps
 * serving the old one until the next deployment.
 */
export async function putMethod(
  ctx: AwsContext,
  restApiId: string,
  resourceId: string,
  m: ResolvedMethod
): Promise<void> {
  const base = { restApiId, resourceId, httpMethod: m.httpMethod }
  await call(ctx, 'PutMethod', () =>
    ctx.apigw.send(
      new PutMethodCommand({
        ...base,
        authorizationType: m.authorizationType,
        apiKeyRequired: m.apiKeyRequired,
        requestParameters: m.requestParameters
      })
    )
  )
  const i = m.integration
  // both need only the method; the integration responses need both
  await all([
    ...m.methodResponses.map(r =>
      call(ctx, 'PutMethodResponse', () =>
        ctx.apigw.send(
          new PutMethodResponseCommand({
            ...base,
            statusCode: r.statusCode,
            responseParameters: r.responseParameters,
            responseModels: r.responseModels
          })
        )
      )
    ),
    call(ctx, 'PutIntegration', () =>
      ctx.apigw.send(
        new PutIntegrationCommand({
          ...base,
          type: i.type,
          integrationHttpMethod: i.integrationHttpMethod,
          uri: i.uri,
          connectionType: i.connectionType,
          connectionId: i.connectionId,
          integrationTarget: i.integrationTarget,
          requestParameters: i.requestParameters,
          requestTemplates: i.requestTemplates,
          timeoutInMillis: i.timeoutInMillis,
          passthroughBehavior: i.passthroughBehavior
        })
      )
    )
  ])
  await all(
    i.responses.map(r =>
      call(ctx, 'PutIntegrationResponse', () =>
        ctx.apigw.send(
          new PutIntegrationResponseCommand({
            ...base,
            statusCode: r.statusCode,
            responseParameters: r.responseParameters,
            responseTemplates: r.responseTemplates
          })
        )
      )
    )
  )
}

/**
 * A deployment of the API as it is now; a stage is pointed at it separately (so the stage keeps its tags).
 */
export async function createDeployment(
  ctx: AwsContext,
  restApiId: string,
  description: string
): Promise<string> {
  const out = await call(ctx, 'CreateDeployment', () =>
    ctx.apigw.send(new CreateDeploymentCommand({ restApiId, description }))
  )
  return out.id ?? ''
}

/** A new stage serving `deploymentId`, tagged (AWS allocates costs by stage tags, not the API's). */
export async function createStage(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  deploymentId: string,
  tags: Record<string, string>
): Promise<void> {
  await call(ctx, 'CreateStage', () =>
    ctx.apigw.send(new CreateStageCommand({ restApiId, stageName, deploymentId, tags }))
  )
}

/** Points an existing stage at a deployment; its settings and tags stay. */
export async function pointStage(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  deploymentId: string
): Promise<void> {
  await call(ctx, 'UpdateStage', () =>
    ctx.apigw.send(
      new UpdateStageCommand({
        restApiId,
        stageName,
        patchOperations: [{ op: 'replace', path: '/deploymentId', value: deploymentId }]
      })
    )
  )
}

export async function tagStage(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  tags: Record<string, string>
): Promise<void> {
  await call(ctx, 'TagResource', () =>
    ctx.apigw.send(
      new TagResourceCommand({
        resourceArn: `${restApiArn(ctx.region, restApiId)}/stages/${stageName}`,
        tags
      })
    )
  )
}

/** Every stage of an API, with its tags. */
export async function getStages(ctx: AwsContext, restApiId: string): Promise<StageState[]> {
  const out = await call(ctx, 'GetStages', () => ctx.apigw.send(new GetStagesCommand({ restApiId })))
  return (out.item ?? []).map(st => ({
    name: st.stageName ?? '',
    deploymentId: st.deploymentId,
    tags: st.tags ?? {}
  }))
}

/** True when it was deleted, false when it was already gone. */
export async function deleteRestApi(
  ctx: AwsContext,
  restApiId: string,
  options: Pick<CallOptions<unknown>, 'onThrottle'> = {}
): Promise<boolean> {
  const done = await unlessNotFound(
    call(ctx, 'DeleteRestApi', () => ctx.apigw.send(new DeleteRestApiCommand({ restApiId })), options)
  )
  return done !== undefined
}
