/** A REST API's resources and methods, with their integrations: read, made, deleted. */
import {
  CreateResourceCommand,
  DeleteMethodCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type Method
} from '@aws-sdk/client-api-gateway'
import type { MethodState, ResolvedMethod, ResourceState } from '../model/model.js'
import { all } from '../base/concurrency.js'
import { call, unlessNotFound } from './call.js'
import type { AwsContext } from './context.js'
import { allPages } from './paging.js'

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
