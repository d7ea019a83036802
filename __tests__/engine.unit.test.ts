/**
 * What moto cannot show, with aws-sdk-client-mock: VPC links that take their time or fail,
 * deletes that wait, AWS refusing to delete a link in use, throttling and error shapes.
 * The clock and sleep are fake, so minutes of waiting take no time.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  CreateVpcLinkCommand,
  DeleteRestApiCommand,
  DeleteVpcLinkCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetDomainNamesCommand,
  GetDomainNameCommand,
  GetBasePathMappingsCommand,
  DeleteDomainNameCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  GetVpcLinkCommand,
  GetVpcLinksCommand,
  PutIntegrationCommand,
  TagResourceCommand,
  GetGatewayResponsesCommand,
  GetAuthorizersCommand
} from '@aws-sdk/client-api-gateway'
import {
  ApiGatewayV2Client,
  CreateVpcLinkCommand as CreateVpcLinkV2Command,
  GetVpcLinkCommand as GetVpcLinkV2Command,
  GetVpcLinksCommand as GetVpcLinksV2Command
} from '@aws-sdk/client-apigatewayv2'
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock'
import { API_BURST, API_RATE_PER_SECOND, RateLimiter } from '../src/aws/rate-limiter.js'
import { call } from '../src/aws/call.js'
import type { AwsContext } from '../src/aws/context.js'
import { backoffMs, classify } from '../src/aws/retry.js'
import { Cortex, Tags } from '../src/base/constants.js'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import { configFrom } from './support/inputs.js'

const DNS = 'cortex-abc.elb.us-west-2.amazonaws.com'
const LB_ARN = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/abc'
// made by this repository (configFrom runs outside one: the 'local' owner)
const OWNED = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local',
  'cortex-rest-gateway:api-name': 'cortex'
}

function awsError(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status }
  })
}

let apigwClient: APIGatewayClient
let apigwv2Client: ApiGatewayV2Client
let apigwv2: AwsClientStub<ApiGatewayV2Client>
let elbClient: ElasticLoadBalancingV2Client
let apigw: AwsClientStub<APIGatewayClient>
let elb: AwsClientStub<ElasticLoadBalancingV2Client>
let clock: number
let log: ReturnType<typeof memoryLog>

beforeEach(() => {
  apigwClient = new APIGatewayClient({ region: 'us-west-2' })
  apigwv2Client = new ApiGatewayV2Client({ region: 'us-west-2' })
  apigwv2 = mockClient(apigwv2Client)
  apigwv2.on(GetVpcLinksV2Command).resolves({ Items: [] })
  elbClient = new ElasticLoadBalancingV2Client({ region: 'us-west-2' })
  apigw = mockClient(apigwClient)
  elb = mockClient(elbClient)
  clock = 0
  log = memoryLog()
  elb.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [
      {
        LoadBalancerArn: LB_ARN,
        LoadBalancerName: 'cortex',
        DNSName: DNS,
        Scheme: 'internal',
        Type: 'network'
      }
    ]
  })
  apigw.on(GetRestApisCommand).resolves({ items: [] })
  // every run looks for custom domains of its repository left serving nothing
  apigw.on(GetDomainNamesCommand).resolves({ items: [] })
  apigw.on(GetVpcLinksCommand).resolves({ items: [] })
  apigw.on(GetResourcesCommand).resolves({ items: [] })
  apigw.on(GetStagesCommand).resolves({ item: [] })
  apigw.on(GetAuthorizersCommand).resolves({ items: [] })
  // read back after a create or an update: still there
  apigw
    .on(GetRestApiCommand)
    .callsFake((input: { restApiId: string }) => ({ id: input.restApiId, name: 'cortex' }))
  apigw.on(CreateRestApiCommand).resolves({ id: 'api1', rootResourceId: 'root' })
  apigw.on(CreateResourceCommand).resolves({ id: 'res1', path: '/{proxy+}' })
  apigw.on(CreateDeploymentCommand).resolves({ id: 'dep1' })
})

function engine(
  inputs: Record<string, string> = {},
  where: Record<string, string> = { 'load-balancer': DNS }
) {
  const config = configFrom({ ...where, ...inputs })
  return runEngine({
    config,
    log,
    context: {
      apigw: apigwClient,
      apigwv2: async () => ({ client: apigwv2Client, v2: await import('@aws-sdk/client-apigatewayv2') }),
      elb: elbClient,
      now: () => clock,
      sleep: async ms => {
        clock += ms
      },
      random: () => 0.5
    }
  })
}

/** What the action sent for the HTTP_PROXY integrations (ANY on / and /{proxy+}). */
const proxiedIntegrations = () =>
  apigw
    .commandCalls(PutIntegrationCommand)
    .map(c => c.args[0].input)
    .filter(i => i.type === 'HTTP_PROXY')

describe('cluster-name', () => {
  it("reads past a load balancer deleted between the listing and its tags, and knows Cortex's own mark", async () => {
    const gone = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/gone/def'
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [
        { LoadBalancerArn: gone, LoadBalancerName: 'gone', Scheme: 'internal', Type: 'network' },
        {
          LoadBalancerArn: LB_ARN,
          LoadBalancerName: 'cortex',
          DNSName: DNS,
          Scheme: 'internal',
          Type: 'network'
        }
      ]
    })
    elb.on(DescribeTagsCommand).callsFake((input: { ResourceArns: string[] }) => {
      if (input.ResourceArns.includes(gone)) throw awsError('LoadBalancerNotFoundException', 400, 'not found')
      return {
        TagDescriptions: input.ResourceArns.map(arn => ({
          ResourceArn: arn,
          Tags: [
            { Key: Cortex.ClusterTag, Value: 'prod' },
            { Key: Cortex.LoadBalancerTag, Value: Cortex.ApiLoadBalancer }
          ]
        }))
      }
    })
    const result = await engine({ 'dry-run': 'true', region: 'us-west-2' }, { 'cluster-name': 'prod' })
    expect(result.outputs['load-balancer-arn']).toBe(LB_ARN)
    // both together, refused; then each alone
    expect(elb.commandCalls(DescribeTagsCommand).map(c => c.args[0].input.ResourceArns)).toEqual([
      [gone, LB_ARN],
      [gone],
      [LB_ARN]
    ])
  })
})

describe('VPC link creation', () => {
  it('waits PENDING → AVAILABLE with progress lines, then routes through the link', async () => {
    apigw.on(CreateVpcLinkCommand).resolves({ id: 'vl1', name: 'cortex-vpc-link', status: 'PENDING' })
    apigw
      .on(GetVpcLinkCommand)
      .resolvesOnce({ id: 'vl1', status: 'PENDING' })
      .resolvesOnce({ id: 'vl1', status: 'PENDING' })
      .resolvesOnce({ id: 'vl1', status: 'PENDING' })
      .resolves({ id: 'vl1', status: 'AVAILABLE' })

    const result = await engine()

    expect(result.outputs['vpc-link-id']).toBe('vl1')
    expect(
      log.lines.filter(l => l.startsWith('Waiting for VPC link vl1: PENDING')).length
    ).toBeGreaterThanOrEqual(2)
    expect(log.lines).toContain('VPC link vl1 is AVAILABLE after 9s')
    const create = apigw.commandCalls(CreateVpcLinkCommand)[0].args[0].input
    expect(create).toMatchObject({
      name: 'cortex-vpc-link',
      targetArns: [LB_ARN],
      tags: expect.objectContaining(OWNED)
    })
    const proxied = proxiedIntegrations()
    expect(proxied).toHaveLength(2)
    // the integrations name the link by a stage variable, which the new stage sets to the link made
    for (const i of proxied)
      expect(i).toMatchObject({ connectionType: 'VPC_LINK', connectionId: '${stageVariables.cortexVpcLink}' })
    expect(apigw.commandCalls(CreateStageCommand)[0].args[0].input.variables).toEqual({
      cortexHost: DNS,
      cortexVpcLink: 'vl1'
    })
    // the API is only made once the link is usable
    expect(apigw.commandCalls(CreateRestApiCommand)).toHaveLength(1)
  })

  it('fails with AWS statusMessage when the link goes FAILED, before making the API', async () => {
    apigw.on(CreateVpcLinkCommand).resolves({ id: 'vl1', status: 'PENDING' })
    apigw.on(GetVpcLinkCommand).resolvesOnce({ id: 'vl1', status: 'PENDING' }).resolves({
      id: 'vl1',
      status: 'FAILED',
      statusMessage: 'NLB ARN is malformed'
    })
    await expect(engine()).rejects.toThrow(/VPC link vl1 .*FAILED: NLB ARN is malformed/)
    expect(apigw.commandCalls(CreateRestApiCommand)).toHaveLength(0)
  })

  it('gives up at the timeout, saying how long it waited and that a re-run resumes', async () => {
    apigw.on(CreateVpcLinkCommand).resolves({ id: 'vl1', status: 'PENDING' })
    apigw.on(GetVpcLinkCommand).resolves({ id: 'vl1', status: 'PENDING' })
    await expect(engine({ timeout: '120' })).rejects.toThrow(
      /Timed out after 1\d\ds waiting for VPC link vl1 .*raise the 'timeout' input/
    )
    // polls back off but never wait more than 10 s apart
    const polls = apigw.commandCalls(GetVpcLinkCommand).length
    expect(polls).toBeGreaterThan(10)
    expect(polls).toBeLessThan(25)
  })
})

describe('delete', () => {
  beforeEach(() => {
    apigw.on(GetRestApisCommand).resolves({ items: [{ id: 'api1', name: 'cortex', tags: OWNED }] })
    apigw.on(GetVpcLinksCommand).resolves({
      items: [{ id: 'vl1', name: 'cortex-vpc-link', status: 'AVAILABLE', tags: OWNED, targetArns: [LB_ARN] }]
    })
    apigw.on(DeleteRestApiCommand).resolves({})
  })

  it('deletes the API, then the link, and polls until the link is NotFound', async () => {
    apigw.on(DeleteVpcLinkCommand).resolves({})
    apigw
      .on(GetVpcLinkCommand)
      .resolvesOnce({ id: 'vl1', status: 'DELETING' })
      .resolvesOnce({ id: 'vl1', status: 'DELETING' })
      .rejects(awsError('NotFoundException', 404))
    const result = await engine({ mode: 'delete' })
    expect(result.outputs).toMatchObject({ 'api-id': 'api1', 'vpc-link-id': 'vl1' })
    const order = apigw
      .calls()
      .map(c => (c.args[0] as object).constructor.name)
      .filter((n: string) => n.startsWith('Delete'))
    expect(order).toEqual(['DeleteRestApiCommand', 'DeleteVpcLinkCommand'])
    expect(apigw.commandCalls(GetVpcLinkCommand)).toHaveLength(3)
    expect(log.lines).toContain('VPC link vl1 is gone after 5s')
  })

  it('goes on without the sweep of idle custom domains where the policy may not list them, saying so', async () => {
    apigw.on(GetDomainNamesCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'))
    apigw.on(DeleteVpcLinkCommand).resolves({})
    apigw.on(GetVpcLinkCommand).rejects(awsError('NotFoundException', 404))
    const result = await engine({ mode: 'delete' })
    expect(result.outputs).toMatchObject({ 'api-id': 'api1', 'vpc-link-id': 'vl1' })
    expect(log.lines.filter(l => l.includes('Could not list the custom domains'))).toHaveLength(1)
  })

  it('leaves a domain serving nothing that AWS refuses to remove for a later run, and succeeds', async () => {
    apigw.on(GetDomainNamesCommand).resolves({ items: [{ domainName: 'old.example.com', tags: OWNED }] })
    apigw.on(GetDomainNameCommand).resolves({ domainName: 'old.example.com', tags: OWNED })
    apigw.on(GetBasePathMappingsCommand).resolves({ items: [] })
    apigw.on(DeleteDomainNameCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'))
    apigw.on(DeleteVpcLinkCommand).resolves({})
    apigw.on(GetVpcLinkCommand).rejects(awsError('NotFoundException', 404))
    const result = await engine({ mode: 'delete' })
    expect(result.outputs).toMatchObject({ 'api-id': 'api1', 'vpc-link-id': 'vl1' })
    expect(apigw.commandCalls(DeleteDomainNameCommand)).toHaveLength(1)
    expect(log.lines.some(l => l.includes('Could not remove custom domain old.example.com'))).toBe(true)
  })

  it('keeps a link AWS says is still referenced, with a warning, and succeeds', async () => {
    apigw
      .on(DeleteVpcLinkCommand)
      .rejects(
        awsError(
          'BadRequestException',
          400,
          "Cannot delete vpc link. Vpc link 'vl1', is referenced in [GET:other]"
        )
      )
    const result = await engine({ mode: 'delete' })
    expect(result.outputs['vpc-link-id']).toBe('')
    expect(log.lines.some(l => l.startsWith('warning: VPC link vl1 is kept'))).toBe(true)
  })
})

describe('retries', () => {
  it('waits out throttling, including the 30 s DeleteRestApi limit', async () => {
    apigw.on(GetRestApisCommand).resolves({ items: [{ id: 'api1', name: 'cortex', tags: OWNED }] })
    // AWS lets one DeleteRestApi through every 30 s: throttled until then
    apigw.on(DeleteRestApiCommand).callsFake(() => {
      if (clock < 30_000) throw awsError('TooManyRequestsException', 429, 'Too Many Requests')
      return {}
    })
    const result = await engine({ mode: 'delete' })
    expect(result.outputs['api-id']).toBe('api1')
    const attempts = apigw.commandCalls(DeleteRestApiCommand).length
    // refused once, it joins the account's line (its API tagged) and, first in line without
    // having seen the delete that holds the slot, tries every 4 s
    expect(attempts).toBeGreaterThan(2)
    expect(attempts).toBeLessThanOrEqual(10)
    expect(log.lines.some(l => l.includes('joins the line of deletes'))).toBe(true)
    expect(apigw.commandCalls(TagResourceCommand)[0].args[0].input.tags).toEqual({
      [Tags.DeleteQueued]: expect.stringMatching(/^\d+\/\d+$/)
    })
    expect(clock).toBeGreaterThanOrEqual(30_000)
    expect(clock).toBeLessThanOrEqual(36_000)
  })

  it('takes an API deleted meanwhile by another run (the slot was its delete) as gone', async () => {
    apigw.on(GetRestApisCommand).resolves({ items: [{ id: 'api1', name: 'cortex', tags: OWNED }] })
    apigw.on(DeleteRestApiCommand).rejects(awsError('TooManyRequestsException', 429, 'Too Many Requests'))
    apigw.on(TagResourceCommand).rejects(awsError('NotFoundException', 404, 'Invalid API identifier'))
    const result = await engine({ mode: 'delete' })
    expect(result.outcome).toBe('absent')
    expect(apigw.commandCalls(DeleteRestApiCommand)).toHaveLength(1)
  })

  it('waits without the line where the policy may not tag (one from before it), saying so', async () => {
    apigw.on(GetRestApisCommand).resolves({ items: [{ id: 'api1', name: 'cortex', tags: OWNED }] })
    apigw.on(DeleteRestApiCommand).callsFake(() => {
      if (clock < 30_000) throw awsError('TooManyRequestsException', 429, 'Too Many Requests')
      return {}
    })
    apigw.on(TagResourceCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'))
    const result = await engine({ mode: 'delete' })
    expect(result.outcome).toBe('deleted')
    expect(log.lines.some(l => l.includes('Update the delete policy from iam/delete-policy.json'))).toBe(true)
  })

  it('goes on without the sweep of idle custom domains where the policy may not list them, saying so', async () => {
    apigw.on(GetDomainNamesCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'))
    apigw.on(CreateVpcLinkCommand).resolves({ id: 'vl1', status: 'AVAILABLE' })
    apigw.on(GetVpcLinkCommand).resolves({ id: 'vl1', status: 'AVAILABLE', targetArns: [LB_ARN] })
    const created = await engine()
    expect(created.outcome).toBe('created')
    const said = log.lines.filter(l => l.includes('Could not list the custom domains'))
    expect(said).toHaveLength(1)
    expect(said[0]).toContain('Update the policy from the iam/ folder')
  })

  it('retries server errors a few times', async () => {
    apigw
      .on(GetRestApisCommand)
      .rejectsOnce(awsError('InternalFailure', 500))
      .rejectsOnce(awsError('ServiceUnavailable', 503))
      .resolves({ items: [] })
    apigw.on(GetVpcLinksCommand).resolves({ items: [] })
    const result = await engine({ mode: 'delete' })
    expect(result.outcome).toBe('absent')
  })

  it('fails at once on an error retrying cannot fix, naming the call, the AWS error and a hint', async () => {
    apigw.on(GetRestApisCommand).rejects(awsError('AccessDeniedException', 403, 'User is not authorized'))
    await expect(engine()).rejects.toThrow(
      new RegExp(
        /GetRestApis failed: AccessDeniedException \(HTTP 403\): /.source +
          /User is not authorized \(check the credentials .*IAM policy/.source
      )
    )
    expect(apigw.commandCalls(GetRestApisCommand)).toHaveLength(1)
  })

  it('gives up when throttling outlasts the timeout, saying which call', async () => {
    apigw.on(GetRestApisCommand).rejects(awsError('TooManyRequestsException', 429))
    await expect(engine({ timeout: '60' })).rejects.toThrow(
      /GetRestApis gave up after \d+ attempts: the 'timeout' ran out/
    )
    expect(clock).toBeLessThanOrEqual(60_000)
  })
})

describe('tags', () => {
  it('re-applies changed tags to an owned API with TagResource (moto cannot: tags only at creation)', async () => {
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [
        {
          LoadBalancerArn: LB_ARN,
          LoadBalancerName: 'cortex',
          DNSName: DNS,
          Scheme: 'internet-facing',
          Type: 'network'
        }
      ]
    })
    apigw.on(GetRestApisCommand).resolves({
      items: [
        {
          id: 'api1',
          name: 'cortex',
          tags: { ...OWNED, team: 'old' },
          endpointConfiguration: { types: ['REGIONAL'] },
          rootResourceId: 'root'
        }
      ]
    })
    apigw.on(GetResourcesCommand).resolves({ items: [] })
    apigw.on(GetStageCommand).rejects(awsError('NotFoundException', 404))
    apigw.on(GetGatewayResponsesCommand).resolves({ items: [] })
    apigw.on(TagResourceCommand).resolves({})
    await engine({ tags: 'team=ml' })
    expect(apigw.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
      resourceArn: 'arn:aws:apigateway:us-west-2::/restapis/api1',
      tags: { team: 'ml' }
    })
  })
})

describe('rate budget', () => {
  it('lets a burst through, then keeps to 10 requests a second', async () => {
    const limiter = new RateLimiter(
      API_RATE_PER_SECOND,
      API_BURST,
      () => clock,
      async ms => {
        clock += ms
      }
    )
    const started: number[] = []
    await Promise.all(Array.from({ length: 50 }, () => limiter.take().then(() => started.push(clock))))
    expect(started.slice(0, API_BURST).every(t => t === 0)).toBe(true)
    // the 30 beyond the burst need 3 s at 10/s
    expect(Math.max(...started)).toBeGreaterThanOrEqual(2900)
    expect(Math.max(...started)).toBeLessThanOrEqual(3100)
    for (let i = API_BURST + 10; i < started.length; i++) {
      // any 10 consecutive starts past the burst span at least ~1 s
      expect(started[i] - started[i - 10]).toBeGreaterThanOrEqual(900)
    }
  })
})

describe('rate budget shared with other runs', () => {
  it('halves its rate on a throttled answer, and earns it back as answers go through', async () => {
    let clock = 0
    const limiter = new RateLimiter(
      API_RATE_PER_SECOND,
      API_BURST,
      () => clock,
      async ms => {
        clock += ms
      }
    )
    const span = async (n: number): Promise<number> => {
      const t0 = clock
      for (let i = 0; i < n; i++) await limiter.take()
      return clock - t0
    }
    await span(API_BURST)
    limiter.throttled()
    limiter.throttled()
    // 10/s → 2.5/s, and no burst: ten calls take about 4 s
    expect(await span(10)).toBeGreaterThanOrEqual(3_500)
    for (let i = 0; i < 100; i++) limiter.succeeded()
    // back to 10/s (the burst comes back once the bucket refills)
    expect(await span(10)).toBeLessThanOrEqual(1_100)
    for (let i = 0; i < 20; i++) limiter.throttled()
    // never slower than one call each 2 s
    expect(await span(3)).toBeLessThanOrEqual(6_100)
  })
})

describe('VPC links v2', () => {
  beforeEach(() => {
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [
        {
          LoadBalancerArn: LB_ARN.replace('/net/', '/app/'),
          LoadBalancerName: 'cortex',
          DNSName: DNS,
          Scheme: 'internal',
          Type: 'application',
          SecurityGroups: ['sg-0aaaaaaa'],
          AvailabilityZones: [{ SubnetId: 'subnet-0bbbbbbb' }, { SubnetId: 'subnet-0aaaaaaa' }]
        }
      ]
    })
  })

  it(
    "makes a v2 link from the ALB's subnets and groups, " +
      'waits PENDING → AVAILABLE, and names the ALB in each integration',
    async () => {
      apigwv2
        .on(CreateVpcLinkV2Command)
        .resolves({ VpcLinkId: 'v2a', Name: 'cortex-vpc-link', VpcLinkStatus: 'PENDING' })
      apigwv2
        .on(GetVpcLinkV2Command)
        .resolvesOnce({ VpcLinkId: 'v2a', VpcLinkStatus: 'PENDING' })
        .resolves({ VpcLinkId: 'v2a', VpcLinkStatus: 'AVAILABLE' })
      const result = await engine()
      expect(result.outputs['vpc-link-id']).toBe('v2a')
      expect(apigwv2.commandCalls(CreateVpcLinkV2Command)[0].args[0].input).toMatchObject({
        Name: 'cortex-vpc-link',
        SubnetIds: ['subnet-0aaaaaaa', 'subnet-0bbbbbbb'],
        SecurityGroupIds: ['sg-0aaaaaaa'],
        Tags: expect.objectContaining(OWNED)
      })
      const proxied = proxiedIntegrations()
      expect(proxied).toHaveLength(2)
      for (const i of proxied) {
        expect(i).toMatchObject({
          connectionType: 'VPC_LINK',
          connectionId: 'v2a',
          integrationTarget: LB_ARN.replace('/net/', '/app/')
        })
      }
      expect(apigw.commandCalls(CreateVpcLinkCommand)).toHaveLength(0)
    }
  )

  it('fails with the reason when the v2 link FAILS', async () => {
    apigwv2.on(CreateVpcLinkV2Command).resolves({ VpcLinkId: 'v2a', VpcLinkStatus: 'PENDING' })
    apigwv2.on(GetVpcLinkV2Command).resolves({
      VpcLinkId: 'v2a',
      VpcLinkStatus: 'FAILED',
      VpcLinkStatusMessage: 'Subnet subnet-0aaaaaaa not found'
    })
    await expect(engine()).rejects.toThrow(
      /VPC link v2a .*FAILED: Subnet subnet-0aaaaaaa not found.*subnet-ids, security-group-ids/
    )
  })

  it('says so when the link it reuses went INACTIVE', async () => {
    apigwv2.on(GetVpcLinksV2Command).resolves({
      Items: [
        {
          VpcLinkId: 'v2old',
          Name: 'x',
          VpcLinkStatus: 'INACTIVE',
          SubnetIds: ['subnet-0aaaaaaa', 'subnet-0bbbbbbb'],
          SecurityGroupIds: ['sg-0aaaaaaa'],
          Tags: OWNED
        }
      ]
    })
    // read back once the gateway is built: still there, still INACTIVE
    apigwv2.on(GetVpcLinkV2Command).resolves({ VpcLinkId: 'v2old', VpcLinkStatus: 'INACTIVE' })
    const result = await engine()
    expect(result.outputs['vpc-link-id']).toBe('v2old')
    expect(log.lines.some(l => l.startsWith('warning: VPC link v2old is INACTIVE'))).toBe(true)
  })
})

describe('which errors are retried', () => {
  it.each([
    ['TooManyRequestsException', 429, 'throttled'],
    ['LimitExceededException', 429, 'throttled'],
    ['LimitExceededException', 400, 'no'],
    ['ServiceUnavailableException', 503, 'transient'],
    ['InternalFailure', 500, 'transient'],
    ['BadRequestException', 400, 'no'],
    ['AccessDeniedException', 403, 'no'],
    ['NotFoundException', 404, 'no']
  ] as const)('%s (HTTP %i): %s', (name, status, kind) => {
    expect(classify(awsError(name, status))).toBe(kind)
  })

  it('retries dropped connections and timeouts, which carry no HTTP status', () => {
    expect(
      classify(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }))
    ).toBe('transient')
    expect(classify(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('transient')
    expect(classify(new Error('something else'))).toBe('no')
    expect(classify('a string')).toBe('no')
  })

  it('backs off exponentially with jitter, capped at 32 s so a 30 s limit is waited out', () => {
    expect(backoffMs(1, () => 0)).toBe(250)
    expect(backoffMs(1, () => 1)).toBe(500)
    expect(backoffMs(7, () => 1)).toBe(32_000)
    expect(backoffMs(20, () => 0)).toBe(16_000)
  })

  it('cuts a wait that would pass the deadline short, to one last try just before it', async () => {
    let now = 0
    const answers = [
      awsError('TooManyRequestsException', 429),
      awsError('TooManyRequestsException', 429),
      'ok'
    ]
    const ctx = {
      log: memoryLog(),
      deadline: 10_000,
      now: () => now,
      sleep: async (ms: number) => {
        now += ms
      },
      // CreateDeployment waits 2.5 to 7.5 s a try: 7.5 s here
      random: () => 1,
      calls: []
    } as unknown as AwsContext
    const at: number[] = []
    const fn = async () => {
      at.push(now)
      const a = answers.shift()!
      if (a instanceof Error) throw a
      return a
    }
    await expect(call(ctx, 'CreateDeployment', fn)).resolves.toBe('ok')
    // 7.5 s, then 15 s would pass the deadline: the last try goes at 9 s instead
    expect(at).toEqual([0, 7_500, 9_000])
    // and with no time left, it gives up
    answers.push(awsError('TooManyRequestsException', 429))
    await expect(call(ctx, 'CreateDeployment', fn)).rejects.toThrow(/gave up after 1 attempt:/)
  })

  it('counts only server errors and broken connections toward the cap of six, throttling not', async () => {
    let now = 0
    const ctx = {
      log: memoryLog(),
      deadline: 900_000,
      now: () => now,
      sleep: async (ms: number) => {
        now += ms
      },
      random: () => 0.5,
      calls: []
    } as unknown as AwsContext
    const throttled = () => awsError('TooManyRequestsException', 429)
    const unavailable = () => awsError('ServiceUnavailableException', 503)
    const dropped = () => Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' })
    const answering = (answers: (Error | string)[]) => async () => {
      const a = answers.shift()!
      if (a instanceof Error) throw a
      return a
    }
    // a storm: five throttled answers, then a server error, then through (the 7th try)
    const storm = [throttled(), throttled(), throttled(), throttled(), throttled(), unavailable(), 'ok']
    await expect(call(ctx, 'GetResources', answering(storm))).resolves.toBe('ok')
    // throttling and server errors interleaved: five of each still gets through
    const mixed = [...Array.from({ length: 5 }, () => [throttled(), unavailable()]).flat(), 'ok']
    await expect(call(ctx, 'GetResources', answering(mixed))).resolves.toBe('ok')
    // but six server errors or broken connections, whatever throttling came between, is the end
    const broken: (Error | string)[] = [
      unavailable(),
      throttled(),
      dropped(),
      throttled(),
      unavailable(),
      dropped(),
      unavailable()
    ]
    broken.push(throttled(), dropped(), 'ok')
    await expect(call(ctx, 'GetResources', answering(broken))).rejects.toThrow(
      /^GetResources failed 6 times with a server error or a broken connection; last: ECONNRESET: socket hang up$/
    )
  })

  it('retries a throttled call with an account limit of its own about one period later, then further', () => {
    // CreateDeployment: one per 5 s per account; jittered by half a period either way
    expect(backoffMs(1, () => 0, 'CreateDeployment')).toBe(2_500)
    expect(backoffMs(1, () => 1, 'CreateDeployment')).toBe(7_500)
    expect(backoffMs(2, () => 0.5, 'CreateDeployment')).toBe(10_000)
    expect(backoffMs(9, () => 0.5, 'CreateDeployment')).toBe(15_000)
    expect(backoffMs(1, () => 0.5, 'DeleteVpcLinkV2')).toBe(30_000)
    // the rest, and anything not throttled, back off as before
    expect(backoffMs(1, () => 1, 'GetRestApis')).toBe(500)
  })
})

describe('paging', () => {
  it('reads every page of a listing, and stops on a token that repeats', async () => {
    apigw
      .on(GetRestApisCommand)
      .resolvesOnce({ items: [{ id: 'x1', name: 'other' }], position: 'p2' })
      .resolvesOnce({ items: [{ id: 'api1', name: 'cortex', tags: OWNED }], position: 'p3' })
      .resolves({ items: [], position: 'p3' })
    apigw.on(DeleteRestApiCommand).resolves({})
    const result = await engine({ mode: 'delete' })
    expect(result.outputs['api-id']).toBe('api1')
    expect(apigw.commandCalls(GetRestApisCommand).map(c => c.args[0].input.position)).toEqual([
      undefined,
      'p2',
      'p3'
    ])
  })

  it('pages load balancers only until the one named is found', async () => {
    const other = {
      LoadBalancerArn: `${LB_ARN}0`,
      LoadBalancerName: 'other',
      DNSName: 'other-1.elb.us-west-2.amazonaws.com',
      Scheme: 'internal',
      Type: 'network'
    } as const
    elb
      .on(DescribeLoadBalancersCommand)
      .resolvesOnce({ LoadBalancers: [other], NextMarker: 'm2' })
      .resolvesOnce({
        LoadBalancers: [{ ...other, LoadBalancerArn: LB_ARN, LoadBalancerName: 'cortex', DNSName: DNS }],
        NextMarker: 'm3'
      })
      .resolves({ LoadBalancers: [other] })
    const result = await engine({ 'dry-run': 'true' })
    expect(result.outputs['load-balancer-arn']).toBe(LB_ARN)
    expect(elb.commandCalls(DescribeLoadBalancersCommand).map(c => c.args[0].input.Marker)).toEqual([
      undefined,
      'm2'
    ])
  })
})
