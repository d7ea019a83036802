import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteMethodCommand,
  DeleteRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRestApiCommand,
  UpdateStageCommand
} from '@aws-sdk/client-api-gateway'
import type { ResolvedMethod, ResourceState, RestApiSummary } from '../model/model.js'
import { all } from '../base/concurrency.js'
import { call, unlessNotFound, type CallOptions } from './call.js'
import type { AwsContext } from './context.js'

export {
  getDeploymentDescription,
  getResources,
  getRestApi,
  getStage,
  getStages,
  listRestApis,
  listRestApisAt,
  toSettings
} from './rest-api-read.js'

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
    disableExecuteApiEndpoint?: boolean
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
          ...(input.disableExecuteApiEndpoint ? { disableExecuteApiEndpoint: true } : {}),
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
 * method, so a method that differs is deleted first (see core/diff.ts); the deployed stage keeps
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
        authorizerId: m.authorizerId,
        authorizationScopes: m.authorizationScopes,
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
          responseTransferMode: i.responseTransferMode,
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
  tags: Record<string, string>,
  variables?: Record<string, string>
): Promise<void> {
  await call(ctx, 'CreateStage', () =>
    ctx.apigw.send(new CreateStageCommand({ restApiId, stageName, deploymentId, tags, variables }))
  )
}

/** Points an existing stage (and, with `canaryToo`, its canary) at a deployment; its settings and tags stay. */
export async function pointStage(
  ctx: AwsContext,
  restApiId: string,
  stageName: string,
  deploymentId: string,
  canaryToo = false
): Promise<void> {
  const paths = ['/deploymentId', ...(canaryToo ? ['/canarySettings/deploymentId'] : [])]
  await call(ctx, 'UpdateStage', () =>
    ctx.apigw.send(
      new UpdateStageCommand({
        restApiId,
        stageName,
        patchOperations: paths.map(path => ({ op: 'replace', path, value: deploymentId }))
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
