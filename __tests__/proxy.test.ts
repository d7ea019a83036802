/**
 * The test proxy answers as AWS does where moto is kinder: each case here is an AWS answer the
 * action's tests rely on, asked of the proxy with a client of our own.
 */
import { describe, expect, it } from '@jest/globals'
import {
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateVpcLinkCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand,
  DeleteRestApiCommand,
  DeleteVpcLinkCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRestApiCommand,
  UpdateStageCommand
} from '@aws-sdk/client-api-gateway'
import { createLoadBalancer, REGION, testClients } from './support/aws.js'
import { motoBehindProxy } from './support/harness.js'

const aws = motoBehindProxy()
const client = () => testClients(aws.proxy.endpoint).apigw
const arnOf = (id: string) => `arn:aws:apigateway:${REGION}::/restapis/${id}`

describe('tags of a REST API', () => {
  it('are kept when set after its creation, and removed by key', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'tagged' }))
    await client().send(
      new TagResourceCommand({ resourceArn: arnOf(api.id!), tags: { team: 'ml', tier: 'gold' } })
    )
    await client().send(new UntagResourceCommand({ resourceArn: arnOf(api.id!), tagKeys: ['tier'] }))
    expect((await client().send(new GetRestApiCommand({ restApiId: api.id! }))).tags).toEqual({ team: 'ml' })
  })

  it('cannot be set on or taken off an API that is gone: 404 NotFoundException, as AWS answers', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'gone' }))
    await client().send(new DeleteRestApiCommand({ restApiId: api.id! }))
    await expect(
      client().send(new TagResourceCommand({ resourceArn: arnOf(api.id!), tags: { team: 'ml' } }))
    ).rejects.toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } })
    await expect(
      client().send(new UntagResourceCommand({ resourceArn: arnOf(api.id!), tagKeys: ['team'] }))
    ).rejects.toMatchObject({ name: 'NotFoundException' })
  })

  it.each([
    ['a value with a character outside AWS’s set', { team: 'ml#1' }],
    ['a value with parentheses', { team: 'ml (gpu)' }],
    ['a value with an exclamation mark', { team: 'ml!' }],
    ['a value longer than 256 characters', { team: 'x'.repeat(257) }],
    ['a key longer than 128 characters', { ['k'.repeat(129)]: 'v' }],
    ['a key in AWS’s own namespace', { 'aws:team': 'ml' }],
    ['an empty key', { '': 'v' }]
  ])('are refused as AWS refuses them: %s', async (_, tags) => {
    const api = await client().send(new CreateRestApiCommand({ name: 'strict' }))
    await expect(
      client().send(new TagResourceCommand({ resourceArn: arnOf(api.id!), tags }))
    ).rejects.toMatchObject({
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400 }
    })
    await expect(
      client().send(new CreateRestApiCommand({ name: 'strict-at-creation', tags }))
    ).rejects.toMatchObject({ name: 'BadRequestException' })
  })

  it('take what AWS takes: letters of any script, digits, spaces and _ . : / = + - @, up to the limits', async () => {
    const tags = {
      'cortex-rest-gateway:api-name': 'café =E2=80=AE v1.2/x+y-z@w',
      ['k'.repeat(128)]: 'v'.repeat(256)
    }
    const api = await client().send(new CreateRestApiCommand({ name: 'lenient', tags }))
    await client().send(new TagResourceCommand({ resourceArn: arnOf(api.id!), tags: { empty: '' } }))
    expect((await client().send(new GetRestApiCommand({ restApiId: api.id! }))).tags).toEqual({
      ...tags,
      empty: ''
    })
  })
})

describe('binary media types of a REST API', () => {
  const patch = (
    restApiId: string,
    ...patchOperations: { op: 'add' | 'remove' | 'replace'; path: string; value?: string }[]
  ) => client().send(new UpdateRestApiCommand({ restApiId, patchOperations }))
  const typesOf = async (restApiId: string) =>
    (await client().send(new GetRestApiCommand({ restApiId }))).binaryMediaTypes ?? []

  it('are kept from the creation, and patched by JSON-pointer escaped paths', async () => {
    const api = await client().send(
      new CreateRestApiCommand({ name: 'binary', binaryMediaTypes: ['image/png'] })
    )
    expect(await typesOf(api.id!)).toEqual(['image/png'])
    await patch(api.id!, { op: 'add', path: '/binaryMediaTypes/audio~1wav' })
    await patch(api.id!, { op: 'remove', path: '/binaryMediaTypes/image~1png' })
    expect(await typesOf(api.id!)).toEqual(['audio/wav'])
    await patch(api.id!, { op: 'replace', path: '/binaryMediaTypes/audio~1wav', value: 'audio/flac' })
    expect(await typesOf(api.id!)).toEqual(['audio/flac'])
  })

  it('refuse a path with the type unescaped, as AWS does', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'unescaped' }))
    await expect(patch(api.id!, { op: 'add', path: '/binaryMediaTypes/image/png' })).rejects.toMatchObject({
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400 }
    })
    expect(await typesOf(api.id!)).toEqual([])
  })

  it('cannot be patched on an API that is gone', async () => {
    const api = await client().send(
      new CreateRestApiCommand({ name: 'binary-gone', binaryMediaTypes: ['image/png'] })
    )
    await client().send(new DeleteRestApiCommand({ restApiId: api.id! }))
    await expect(patch(api.id!, { op: 'add', path: '/binaryMediaTypes/audio~1wav' })).rejects.toMatchObject({
      name: 'NotFoundException'
    })
  })
})

describe('VPC endpoints of a REST API', () => {
  const patch = (
    restApiId: string,
    ...patchOperations: { op: 'add' | 'remove' | 'replace'; path: string; value?: string }[]
  ) => client().send(new UpdateRestApiCommand({ restApiId, patchOperations }))
  const endpointsOf = async (restApiId: string) =>
    (await client().send(new GetRestApiCommand({ restApiId }))).endpointConfiguration
  const PATH = '/endpointConfiguration/vpcEndpointIds'
  // AWS's answer, word for word
  const ONLY_PRIVATE = {
    name: 'BadRequestException',
    message: 'VPCEndpoints can only be specified with PRIVATE apis.',
    $metadata: { httpStatusCode: 400 }
  }
  const privateApi = (name: string, vpcEndpointIds: string[]) =>
    client().send(
      new CreateRestApiCommand({ name, endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds } })
    )

  it('are refused on an API not PRIVATE, made or patched: 400 BadRequestException, as AWS answers', async () => {
    await expect(
      client().send(
        new CreateRestApiCommand({
          name: 'regional-made',
          endpointConfiguration: { types: ['REGIONAL'], vpcEndpointIds: ['vpce-0aaaaaaaaaaaaaaa1'] }
        })
      )
    ).rejects.toMatchObject(ONLY_PRIVATE)
    const api = await client().send(
      new CreateRestApiCommand({ name: 'regional', endpointConfiguration: { types: ['REGIONAL'] } })
    )
    await expect(
      patch(api.id!, { op: 'add', path: PATH, value: 'vpce-0aaaaaaaaaaaaaaa1' })
    ).rejects.toMatchObject(ONLY_PRIVATE)
    expect((await endpointsOf(api.id!))?.vpcEndpointIds ?? []).toEqual([])
    // one patch that makes it PRIVATE may add them
    await patch(
      api.id!,
      { op: 'replace', path: '/endpointConfiguration/types/REGIONAL', value: 'PRIVATE' },
      { op: 'add', path: PATH, value: 'vpce-0aaaaaaaaaaaaaaa1' }
    )
    expect(await endpointsOf(api.id!)).toEqual({
      types: ['PRIVATE'],
      vpcEndpointIds: ['vpce-0aaaaaaaaaaaaaaa1']
    })
  })

  it('keep a PRIVATE API from becoming REGIONAL until they are removed, as AWS does', async () => {
    const api = await privateApi('private-to-regional', ['vpce-0aaaaaaaaaaaaaaa1'])
    const toRegional = {
      op: 'replace' as const,
      path: '/endpointConfiguration/types/PRIVATE',
      value: 'REGIONAL'
    }
    await expect(patch(api.id!, toRegional)).rejects.toMatchObject(ONLY_PRIVATE)
    expect((await endpointsOf(api.id!))?.types).toEqual(['PRIVATE'])
    await patch(api.id!, { op: 'remove', path: PATH, value: 'vpce-0aaaaaaaaaaaaaaa1' }, toRegional)
    expect(await endpointsOf(api.id!)).toEqual({ types: ['REGIONAL'] })
  })

  it('are added, removed, and swapped by a replace of one at its path, as AWS does', async () => {
    const api = await privateApi('private', ['vpce-0aaaaaaaaaaaaaaa1'])
    await patch(api.id!, { op: 'add', path: PATH, value: 'vpce-0aaaaaaaaaaaaaaa2' })
    expect((await endpointsOf(api.id!))?.vpcEndpointIds).toEqual([
      'vpce-0aaaaaaaaaaaaaaa1',
      'vpce-0aaaaaaaaaaaaaaa2'
    ])
    // a replace names the endpoint it replaces in its path, and the new one as its value
    await patch(api.id!, {
      op: 'replace',
      path: `${PATH}/vpce-0aaaaaaaaaaaaaaa1`,
      value: 'vpce-0aaaaaaaaaaaaaaa3'
    })
    expect((await endpointsOf(api.id!))?.vpcEndpointIds).toEqual([
      'vpce-0aaaaaaaaaaaaaaa3',
      'vpce-0aaaaaaaaaaaaaaa2'
    ])
    await patch(api.id!, { op: 'remove', path: PATH, value: 'vpce-0aaaaaaaaaaaaaaa2' })
    expect((await endpointsOf(api.id!))?.vpcEndpointIds).toEqual(['vpce-0aaaaaaaaaaaaaaa3'])
  })

  it('cannot be patched on an API that is gone: 404 NotFoundException, as AWS answers', async () => {
    const api = await privateApi('private-gone', ['vpce-0aaaaaaaaaaaaaaa1'])
    await client().send(new DeleteRestApiCommand({ restApiId: api.id! }))
    await expect(
      patch(api.id!, { op: 'add', path: PATH, value: 'vpce-0aaaaaaaaaaaaaaa2' })
    ).rejects.toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } })
  })
})

describe('conflicts moto does not see', () => {
  it('of racing writes, exactly one PutMethod of a method and one CreateResource of a path succeed', async () => {
    const api = await client().send(new CreateRestApiCommand({ name: 'racing' }))
    const root = (await client().send(new GetResourcesCommand({ restApiId: api.id! }))).items![0].id!
    const puts = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        client().send(
          new PutMethodCommand({
            restApiId: api.id!,
            resourceId: root,
            httpMethod: 'ANY',
            authorizationType: 'NONE'
          })
        )
      )
    )
    expect(puts.filter(p => p.status === 'fulfilled')).toHaveLength(1)
    expect(puts.filter(p => p.status === 'rejected').map(p => (p.reason as Error).name)).toEqual(
      Array(5).fill('ConflictException')
    )
    const creates = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        client().send(new CreateResourceCommand({ restApiId: api.id!, parentId: root, pathPart: '{proxy+}' }))
      )
    )
    expect(creates.filter(p => p.status === 'fulfilled')).toHaveLength(1)
    const items = (await client().send(new GetResourcesCommand({ restApiId: api.id! }))).items ?? []
    expect(items.map(r => r.path).sort()).toEqual(['/', '/{proxy+}'])
  })
})

describe('VPC links, as AWS counts them', () => {
  /** An API whose ANY / goes through a new v1 link to a seeded NLB. */
  async function throughLink() {
    const nlb = await createLoadBalancer(aws.moto.endpoint, {
      name: `nlb-${Date.now() % 100000}`,
      scheme: 'internal'
    })
    const link = await client().send(new CreateVpcLinkCommand({ name: 'l', targetArns: [nlb.arn] }))
    const api = await client().send(new CreateRestApiCommand({ name: 'linked' }))
    const root = (await client().send(new GetResourcesCommand({ restApiId: api.id! }))).items![0].id!
    await client().send(
      new PutMethodCommand({
        restApiId: api.id!,
        resourceId: root,
        httpMethod: 'ANY',
        authorizationType: 'NONE'
      })
    )
    const integrate = (
      connection: { connectionType: 'VPC_LINK'; connectionId: string } | { connectionType: 'INTERNET' }
    ) =>
      client().send(
        new PutIntegrationCommand({
          restApiId: api.id!,
          resourceId: root,
          httpMethod: 'ANY',
          type: 'HTTP_PROXY',
          integrationHttpMethod: 'ANY',
          uri: `http://${nlb.dnsName}/`,
          ...connection
        })
      )
    return { link: link.id!, api: api.id!, integrate }
  }

  it('refuses an integration through a link that does not exist', async () => {
    const { integrate } = await throughLink()
    await expect(integrate({ connectionType: 'VPC_LINK', connectionId: 'nolink1' })).rejects.toMatchObject({
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400 }
    })
  })

  it('refuses a deployment over a link that is gone', async () => {
    const { link, api, integrate } = await throughLink()
    await integrate({ connectionType: 'VPC_LINK', connectionId: link })
    // gone behind the proxy's back (moto deletes a link in use)
    await testClients(aws.moto.endpoint).apigw.send(new DeleteVpcLinkCommand({ vpcLinkId: link }))
    await expect(
      client().send(new CreateDeploymentCommand({ restApiId: api, stageName: 'dev' }))
    ).rejects.toMatchObject({ name: 'BadRequestException' })
  })

  it('counts a link in use while a stage serves a deployment that goes through it', async () => {
    const { link, api, integrate } = await throughLink()
    await integrate({ connectionType: 'VPC_LINK', connectionId: link })
    await client().send(new CreateDeploymentCommand({ restApiId: api, stageName: 'dev' }))
    await integrate({ connectionType: 'INTERNET' })
    // no integration goes through it now, but stage dev's deployment does
    await expect(client().send(new DeleteVpcLinkCommand({ vpcLinkId: link }))).rejects.toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('stage') as unknown
    })
    const redeployed = await client().send(new CreateDeploymentCommand({ restApiId: api }))
    await client().send(
      new UpdateStageCommand({
        restApiId: api,
        stageName: 'dev',
        patchOperations: [{ op: 'replace', path: '/deploymentId', value: redeployed.id! }]
      })
    )
    await client().send(new DeleteVpcLinkCommand({ vpcLinkId: link }))
  })
})

describe('base path mappings', () => {
  const CERT = `arn:aws:acm:${REGION}:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666`
  async function domainAndApis(name: string) {
    await client().send(
      new CreateDomainNameCommand({
        domainName: name,
        regionalCertificateArn: CERT,
        endpointConfiguration: { types: ['REGIONAL'] }
      })
    )
    const apis = []
    for (const n of ['a', 'b']) {
      const api = await client().send(new CreateRestApiCommand({ name: `${name}-${n}` }))
      const root = (await client().send(new GetResourcesCommand({ restApiId: api.id! }))).items![0].id!
      await client().send(
        new PutMethodCommand({
          restApiId: api.id!,
          resourceId: root,
          httpMethod: 'GET',
          authorizationType: 'NONE'
        })
      )
      await client().send(
        new PutIntegrationCommand({ restApiId: api.id!, resourceId: root, httpMethod: 'GET', type: 'MOCK' })
      )
      await client().send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'dev' }))
      apis.push(api.id!)
    }
    return apis
  }

  it('of a domain that never had one are none (moto fails on it), and none again once all are gone', async () => {
    const [a] = await domainAndApis('never.example.com')
    const list = () => client().send(new GetBasePathMappingsCommand({ domainName: 'never.example.com' }))
    expect((await list()).items ?? []).toEqual([])
    await client().send(
      new CreateBasePathMappingCommand({
        domainName: 'never.example.com',
        basePath: 'v1',
        restApiId: a,
        stage: 'dev'
      })
    )
    expect(((await list()).items ?? []).map(m => m.basePath)).toEqual(['v1'])
    await client().send(new DeleteBasePathMappingCommand({ domainName: 'never.example.com', basePath: 'v1' }))
    expect((await list()).items ?? []).toEqual([])
  })

  it('pass on any other 500 of moto, as AWS’s would be: one for a domain that had mappings is no "none"', async () => {
    const [a] = await domainAndApis('had.example.com')
    await client().send(
      new CreateBasePathMappingCommand({
        domainName: 'had.example.com',
        basePath: 'v1',
        restApiId: a,
        stage: 'dev'
      })
    )
    // moto forgets the account behind the proxy's back: the domain made again fails on its mappings there,
    // and the proxy, which saw it mapped, passes that 500 on as any server error
    await fetch(`${aws.moto.endpoint}/moto-api/reset`, { method: 'POST' })
    try {
      await client().send(
        new CreateDomainNameCommand({
          domainName: 'had.example.com',
          regionalCertificateArn: CERT,
          endpointConfiguration: { types: ['REGIONAL'] }
        })
      )
      await expect(
        client().send(new GetBasePathMappingsCommand({ domainName: 'had.example.com' }))
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } })
    } finally {
      await aws.moto.reset()
    }
  })

  it('of a domain: tags set after its creation are kept and shown, and a gone domain is a 404', async () => {
    await client().send(
      new CreateDomainNameCommand({
        domainName: 'tagged.example.com',
        regionalCertificateArn: CERT,
        endpointConfiguration: { types: ['REGIONAL'] },
        tags: { team: 'ml' }
      })
    )
    const arn = `arn:aws:apigateway:${REGION}::/domainnames/tagged.example.com`
    await client().send(new TagResourceCommand({ resourceArn: arn, tags: { zone: 'Z1' } }))
    expect(
      (await client().send(new GetDomainNameCommand({ domainName: 'tagged.example.com' }))).tags
    ).toEqual({
      team: 'ml',
      zone: 'Z1'
    })
    const listed = (await client().send(new GetDomainNamesCommand({}))).items ?? []
    expect(listed.find(d => d.domainName === 'tagged.example.com')?.tags).toEqual({ team: 'ml', zone: 'Z1' })
    await client().send(new DeleteDomainNameCommand({ domainName: 'tagged.example.com' }))
    await expect(
      client().send(new TagResourceCommand({ resourceArn: arn, tags: { zone: 'Z2' } }))
    ).rejects.toMatchObject({
      name: 'NotFoundException'
    })
  })

  it('refuse a root beside another mapping with 409 ConflictException, as AWS does', async () => {
    const [a, b] = await domainAndApis('root.example.com')
    await client().send(
      new CreateBasePathMappingCommand({
        domainName: 'root.example.com',
        basePath: 'v1',
        restApiId: a,
        stage: 'dev'
      })
    )
    await expect(
      client().send(
        new CreateBasePathMappingCommand({ domainName: 'root.example.com', restApiId: b, stage: 'dev' })
      )
    ).rejects.toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } })
  })
})
