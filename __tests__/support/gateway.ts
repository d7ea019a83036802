/** Independent reads of the end state, and the assertion that a gateway is whole and correct. */
import { expect } from '@jest/globals'
import {
  GetDeploymentCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetVpcLinksCommand
} from '@aws-sdk/client-api-gateway'
import { deploymentDescription } from '../../src/core/desired.js'
import { GetVpcLinksCommand as GetVpcLinksV2Command } from '@aws-sdk/client-apigatewayv2'
import type { SeededLoadBalancer } from './aws.js'
import { testClients } from './aws.js'

/**
 * Everything there is to read about the gateway named `apiName`, for asserting the end state
 * independently: through moto's own endpoint, or through the proxy (where integrations show their
 * connectionId, and APIs the tags set after creation, as on AWS).
 */
export async function readGateway(endpoint: string, apiName = 'cortex') {
  const { apigw, apigwv2 } = testClients(endpoint)
  const apis = ((await apigw.send(new GetRestApisCommand({}))).items ?? []).filter(a => a.name === apiName)
  const links = (await apigw.send(new GetVpcLinksCommand({}))).items ?? []
  const linksV2 = (await apigwv2.send(new GetVpcLinksV2Command({}))).Items ?? []
  const api = apis[0]
  const resources = api
    ? ((await apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }))).items ?? [])
    : []
  const stages = api ? ((await apigw.send(new GetStagesCommand({ restApiId: api.id }))).item ?? []) : []
  const deployments: Record<string, string> = {}
  for (const stage of stages) {
    const d = await apigw.send(
      new GetDeploymentCommand({ restApiId: api.id, deploymentId: stage.deploymentId })
    )
    deployments[stage.stageName!] = d.description ?? ''
  }
  return { apis, api, links, linksV2, resources, stages, deployments }
}

/** The CORS headers the README's contract gives the preflight's answer, written out. */
export const CORS_HEADERS = {
  'method.response.header.Access-Control-Allow-Headers':
    "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
  'method.response.header.Access-Control-Allow-Methods': "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'",
  'method.response.header.Access-Control-Allow-Origin': "'*'"
}

/** The CORS preflight the README's contract gives `/` and `/{proxy+}`: OPTIONS, MOCK, open, written out. */
export const CORS_PREFLIGHT = {
  httpMethod: 'OPTIONS',
  authorizationType: 'NONE',
  methodResponses: [
    {
      statusCode: '200',
      responseParameters: {
        'method.response.header.Access-Control-Allow-Headers': false,
        'method.response.header.Access-Control-Allow-Methods': false,
        'method.response.header.Access-Control-Allow-Origin': false
      },
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
        responseParameters: CORS_HEADERS,
        responseTemplates: { 'application/json': '' }
      }
    ]
  }
}

/** How the integrations name the cluster (README): by stage variables, but through a v2 link. */
export const HOST_VARIABLE = '${stageVariables.cortexHost}'
export const LINK_VARIABLE = '${stageVariables.cortexVpcLink}'

/**
 * What `cors` (on by default) sets on the gateway's own DEFAULT_4XX and DEFAULT_5XX answers, written out from
 * the README's contract, as the deployment's label counts it.
 */
export const CORS_GATEWAY_RESPONSES = {
  gatewayResponses: {
    responseParameters: {
      'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
      'gatewayresponse.header.Access-Control-Allow-Headers':
        "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
      'gatewayresponse.header.Access-Control-Allow-Methods': "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"
    },
    responseTemplates: {
      'application/json':
        "## cortex-rest-gateway: CORS on the gateway's own answers\n" +
        '{"message":$context.error.messageString,"requestId":"$context.requestId"}'
    }
  }
}

/**
 * What `create` with default inputs builds, written out from the README's contract (not computed by the
 * action's own code): `ANY` on `/` and `/{proxy+}` proxied to the load balancer (through the link for an
 * internal one), and the console's CORS preflight on both. The load balancer and a v1 link are named by
 * the stage's variables (`stageVariables` gives what they are set to); a v2 link's integrations name them.
 */
export function contractResources(
  dnsName: string,
  link?: { id: string; version: 'v1' | 'v2'; targetArn: string }
) {
  const v2 = link?.version === 'v2'
  const host = v2 ? dnsName : HOST_VARIABLE
  const connection = link
    ? {
        connectionType: 'VPC_LINK' as const,
        connectionId: v2 ? link.id : LINK_VARIABLE,
        ...(v2 ? { integrationTarget: link.targetArn } : {})
      }
    : { connectionType: 'INTERNET' as const }
  const proxied = (path: '/' | '/{proxy+}') => ({
    httpMethod: 'ANY',
    authorizationType: 'NONE',
    requestParameters: path === '/{proxy+}' ? { 'method.request.path.proxy': true } : undefined,
    methodResponses: [],
    integration: {
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: path === '/{proxy+}' ? `http://${host}/{proxy}` : `http://${host}/`,
      ...connection,
      requestParameters:
        path === '/{proxy+}' ? { 'integration.request.path.proxy': 'method.request.path.proxy' } : undefined,
      passthroughBehavior: 'WHEN_NO_MATCH',
      responses: []
    }
  })
  return (['/', '/{proxy+}'] as const).map(path => ({ path, methods: [proxied(path), CORS_PREFLIGHT] }))
}

/** The stage variables that name the cluster, as the README says a stage holds them (none through a v2 link). */
export function stageVariables(dnsName: string, link?: { id: string; version: 'v1' | 'v2' }) {
  if (link?.version === 'v2') return {}
  return { cortexHost: dnsName, ...(link ? { cortexVpcLink: link.id } : {}) }
}

/** The whole gateway, as `create` with default inputs must leave it: nothing missing, nothing twice. */
export function expectWholeGateway(
  state: Awaited<ReturnType<typeof readGateway>>,
  lb: SeededLoadBalancer,
  opts: { internal: boolean; stage?: string; v2?: boolean }
): void {
  expect(state.apis).toHaveLength(1)
  expect(state.apis[0].tags?.['cortex-rest-gateway:managed-by']).toBe('cortex-rest-gateway')
  const paths = state.resources.map(r => r.path).sort()
  expect(paths).toEqual(['/', '/{proxy+}'])
  let linkId: string | undefined
  if (opts.internal && !opts.v2) {
    const ours = state.links.filter(l => l.targetArns?.includes(lb.arn))
    expect(ours).toHaveLength(1)
    expect(ours[0].status).toBe('AVAILABLE')
    linkId = ours[0].id
  }
  if (opts.v2) {
    expect(state.linksV2).toHaveLength(1)
    expect(state.linksV2[0].VpcLinkStatus).toBe('AVAILABLE')
    linkId = state.linksV2[0].VpcLinkId
  }
  const link = linkId
    ? { id: linkId, version: opts.v2 ? ('v2' as const) : ('v1' as const), targetArn: lb.arn }
    : undefined
  const want = contractResources(lb.dnsName.toLowerCase(), link)
  for (const r of want) {
    const got = state.resources.find(x => x.path === r.path)!
    expect(Object.keys(got.resourceMethods ?? {}).sort()).toEqual(['ANY', 'OPTIONS'])
    for (const m of r.methods) {
      const actual = got.resourceMethods![m.httpMethod]
      expect(actual.authorizationType).toBe(m.authorizationType)
      expect(actual.methodIntegration).toMatchObject({
        type: m.integration.type,
        ...('uri' in m.integration ? { uri: m.integration.uri, httpMethod: 'ANY' } : {}),
        ...(m.integration.connectionType === 'VPC_LINK'
          ? { connectionType: 'VPC_LINK', connectionId: opts.v2 ? linkId : LINK_VARIABLE }
          : {}),
        ...('integrationTarget' in m.integration ? { integrationTarget: lb.arn } : {})
      })
      for (const ir of m.integration.responses) {
        expect(actual.methodIntegration?.integrationResponses?.[ir.statusCode]?.responseParameters).toEqual(
          ir.responseParameters
        )
      }
    }
  }
  // the stage names the load balancer (and a v1 link) in its variables
  const stage = state.stages.find(st => st.stageName === (opts.stage ?? 'dev'))
  expect(stage?.variables ?? {}).toEqual(stageVariables(lb.dnsName.toLowerCase(), link))
  // the stage serves a deployment of exactly this definition: its label is the hash of the definition
  // written out above, so a definition the action got wrong is a label that differs
  // (the label hashes the definition as JSON: the written-out objects stand in for the action's type)
  expect(state.deployments[opts.stage ?? 'dev']).toBe(
    deploymentDescription(
      want as unknown as Parameters<typeof deploymentDescription>[0],
      CORS_GATEWAY_RESPONSES
    )
  )
}
