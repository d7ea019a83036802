/**
 * The least-privilege policies in iam/ are enough for every call each mode makes, and no wider
 * than those calls.
 *
 * API Gateway authorises its management API by HTTP verb on the path (`apigateway:POST` on
 * `arn:aws:apigateway:REGION::/restapis`). moto's IAM enforcement names these actions after the
 * operation instead (`apigateway:CreateRestApi`), so it cannot judge an AWS policy for them: the
 * API Gateway part is checked by evaluating the policy against every request the action made,
 * as the proxy recorded them; the ELBv2 part is checked by moto's own enforcement.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CreateRestApiCommand, CreateVpcLinkCommand, UpdateAccountCommand } from '@aws-sdk/client-api-gateway'
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53'
import { CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2'
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand
} from '@aws-sdk/client-iam'
import { realSleep } from '../src/aws/context.js'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import { createClassicElb, createLoadBalancer, credentials, REGION, testClients } from './support/aws.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'
import type { Recorded } from './support/proxy.js'
import { startMoto } from './support/moto.js'
import { makeFunction, makePool } from './support/authorizer.js'
import { ROOT } from './support/run-action.js'

const aws = motoBehindProxy({ env: true })

interface Statement {
  Sid: string
  Effect: 'Allow' | 'Deny'
  Action: string | string[]
  Resource: string | string[]
}
interface Policy {
  Statement: Statement[]
}
const policy = (mode: string): Policy =>
  JSON.parse(readFileSync(join(ROOT, 'iam', `${mode}-policy.json`), 'utf8')) as Policy
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v])
/** IAM wildcards: * matches any run of characters (slashes too), ? one. */
const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`
  )

/** The IAM action and resource AWS authorises a recorded request as. */
function authorisedAs(r: Recorded): { action: string; resource: string } {
  if (r.service === 'apigateway') {
    // the v2 API's paths start /v2/, its IAM resources do not (arn:…::/vpclinks/ID)
    const path = decodeURIComponent(r.path.split('?')[0]).replace(/^\/v2\//, '/')
    return { action: `apigateway:${r.method}`, resource: `arn:aws:apigateway:${REGION}::${path}` }
  }
  if (r.service === 'route53') {
    // REST-XML: /2013-04-01/hostedzone/ID is GetHostedZone; its /rrset is read by GET, changed by POST
    const m = /^\/2013-04-01\/hostedzone\/([^/?]+)(\/rrset)?/.exec(r.path)
    const action = !m?.[2]
      ? 'GetHostedZone'
      : r.method === 'POST'
        ? 'ChangeResourceRecordSets'
        : 'ListResourceRecordSets'
    return { action: `route53:${action}`, resource: `arn:aws:route53:::hostedzone/${m?.[1] ?? '?'}` }
  }
  if (r.service === 'wafv2') return { action: `wafv2:${r.operation}`, resource: '*' }
  if (r.service === 'lambda') {
    // REST-JSON: the function (here always named by its ARN) in the path; its /policy added to by POST,
    // a statement of it removed by DELETE /policy/<sid>
    const m = /^\/2015-03-31\/functions\/([^/?]+)(\/policy)?/.exec(r.path)
    const fn = decodeURIComponent(m?.[1] ?? '?')
    const action = !m?.[2]
      ? 'GetFunction'
      : r.method === 'POST'
        ? 'AddPermission'
        : r.method === 'DELETE'
          ? 'RemovePermission'
          : 'GetPolicy'
    return { action: `lambda:${action}`, resource: fn }
  }
  if (r.service === 'cognito-idp') {
    const pool = (JSON.parse(r.body ?? '{}') as { UserPoolId?: string }).UserPoolId ?? '?'
    return {
      action: `cognito-idp:${r.operation}`,
      resource: `arn:aws:cognito-idp:${REGION}:123456789012:userpool/${pool}`
    }
  }
  return { action: `elasticloadbalancing:${r.operation}`, resource: '*' }
}

interface Check {
  action: string
  resource: string
}

/**
 * What AWS authorises behind a request, besides the request itself: rights it checks on the caller
 * for the work the call does elsewhere. From AWS's documentation, each with its source; a grant
 * that only these use is used, and a request is allowed only when every one of them is.
 */
function alsoChecked(r: Recorded): Check[] {
  const body = (): Record<string, unknown> => JSON.parse(r.body ?? '{}') as Record<string, unknown>
  const path = decodeURIComponent(r.path.split('?')[0])
  if (r.service === 'apigateway') {
    const edge = (): boolean =>
      JSON.stringify((body().endpointConfiguration as { types?: string[] } | undefined)?.types) === '["EDGE"]'
    // API Gateway developer guide, "Create and attach an API Gateway resource policy to an API",
    // prerequisites: updating a resource policy needs apigateway:UpdateRestApiPolicy as well as PATCH.
    // The same page attaches one at creation (create-rest-api --policy): checked there on the collection
    if (r.operation === 'PATCH /restapis/{id}') {
      const ops = (body().patchOperations ?? []) as { path?: string }[]
      return ops.some(o => o.path === '/policy')
        ? [{ action: 'apigateway:UpdateRestApiPolicy', resource: `arn:aws:apigateway:${REGION}::${path}` }]
        : []
    }
    if (r.operation === 'POST /restapis' && body().policy) {
      return [
        { action: 'apigateway:UpdateRestApiPolicy', resource: `arn:aws:apigateway:${REGION}::/restapis` }
      ]
    }
    // API Gateway developer guide, "Set up an edge-optimized custom domain name in API Gateway",
    // considerations: setting one up or updating its certificate needs cloudfront:UpdateDistribution
    if (r.operation === 'POST /domainnames' && edge()) {
      return [{ action: 'cloudfront:UpdateDistribution', resource: '*' }]
    }
    if (r.operation === 'PATCH /domainnames/{id}') {
      const ops = (body().patchOperations ?? []) as { path?: string }[]
      return ops.some(o => o.path === '/certificateArn')
        ? [{ action: 'cloudfront:UpdateDistribution', resource: '*' }]
        : []
    }
    // API Gateway developer guide, "Set up VPC links for REST APIs" (IAM permissions): API Gateway sets up
    // the link's VPC endpoint service with the caller's rights; deleting a link tears it down with them
    const ec2 = (actions: string[]) => actions.map(a => ({ action: `ec2:${a}`, resource: '*' }))
    if (r.operation === 'POST /vpclinks') {
      return ec2([
        'CreateVpcEndpointServiceConfiguration',
        'DeleteVpcEndpointServiceConfigurations',
        'DescribeVpcEndpointServiceConfigurations',
        'ModifyVpcEndpointServicePermissions'
      ])
    }
    if (r.operation === 'DELETE /vpclinks/{id}') {
      return ec2(['DeleteVpcEndpointServiceConfigurations', 'DescribeVpcEndpointServiceConfigurations'])
    }
    // API Gateway developer guide, "Using service-linked roles for API Gateway": the first v2 link of
    // an account creates AWSServiceRoleForAPIGateway with the caller's iam:CreateServiceLinkedRole
    if (r.operation === 'POST /v2/vpclinks') {
      return [
        {
          action: 'iam:CreateServiceLinkedRole',
          resource:
            'arn:aws:iam::123456789012:role/aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway'
        }
      ]
    }
    return []
  }
  if (r.service === 'wafv2') {
    const resourceArn = (body() as { ResourceArn?: string }).ResourceArn ?? '?'
    // AWS WAF developer guide, "How AWS WAF works with IAM", permissions for AssociateWebACL and
    // DisassociateWebACL: for an API Gateway stage, apigateway:SetWebACL on the stage
    if (r.operation === 'AssociateWebACL' || r.operation === 'DisassociateWebACL') {
      return [{ action: 'apigateway:SetWebACL', resource: resourceArn }]
    }
    // AWS WAF API reference, GetWebACLForResource: "This call uses GetWebACL, to verify that your
    // account has permission to access the retrieved web ACL"
    if (r.operation === 'GetWebACLForResource') return [{ action: 'wafv2:GetWebACL', resource: '*' }]
  }
  return []
}

/** The six parts of an ARN: a wildcard never reaches across the first five colons (IAM matches part by part). */
const arnParts = (arn: string): string[] => {
  const parts = arn.split(':')
  return [...parts.slice(0, 5), parts.slice(5).join(':')]
}
const resourceMatches = (pattern: string, arn: string): boolean =>
  pattern === '*' || arnParts(pattern).every((p, i) => glob(p).test(arnParts(arn)[i] ?? ''))

/** The statement and resource pattern that allow one check, if any. */
function grantFor(p: Policy, { action, resource }: Check): string | undefined {
  for (const s of p.Statement) {
    if (s.Effect !== 'Allow' || !list(s.Action).some(a => glob(a).test(action))) continue
    const match = list(s.Resource).find(res => resourceMatches(res, resource))
    if (match) return `${s.Sid} ${match}`
  }
  return undefined
}

/** Every check AWS makes for a request: the request's own, then those behind it. */
const checksOf = (r: Recorded): Check[] => [authorisedAs(r), ...alsoChecked(r)]

/** The checks of a request no statement allows, as `action resource`. */
const deniedChecks = (p: Policy, r: Recorded): string[] =>
  checksOf(r)
    .filter(c => !grantFor(p, c))
    .map(c => `${c.action} ${c.resource}`)

const byMode: Record<'create' | 'delete', Recorded[]> = { create: [], delete: [] }

beforeAll(async () => {
  const internal = await createLoadBalancer(aws.moto.endpoint, {
    name: 'cortex-internal',
    scheme: 'internal'
  })
  const run = async (mode: 'create' | 'delete', inputs: Record<string, string>) => {
    aws.proxy.clear()
    try {
      await runEngine({
        config: configFrom({ region: REGION, mode, ...inputs }),
        log: memoryLog(),
        context: { sleep: ms => realSleep(ms / 100) }
      })
    } finally {
      byMode[mode].push(...aws.proxy.requests)
    }
  }
  const lb = { 'load-balancer': internal.dnsName }
  // made by this repository: these runs are outside one, in the 'local' scope
  const OURS = {
    'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
    'cortex-rest-gateway:repository': 'local'
  }
  // every kind of call each mode can make: a new internal gateway, in-place updates, leftovers removed
  await run('create', { ...lb, tags: 'team=ml' })
  // v2 links: made for the NLB, then switched back to v1 (the v2 one removed)
  await run('create', { ...lb, 'vpc-link-version': 'v2', 'security-group-ids': 'sg-0aaaaaaa' })
  await run('create', lb)
  await run('create', { ...lb, 'vpc-link-version': 'v2', 'security-group-ids': 'sg-0aaaaaaa' })
  await run('create', { ...lb, authorization: 'AWS_IAM', 'endpoint-type': 'EDGE', cors: 'false' })
  // a canary share for a new internal cluster (a link of its own), changed, promoted; another, rolled back
  const next = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-next', scheme: 'internal' })
  await run('create', { ...lb, 'canary-load-balancer': next.dnsName })
  await run('create', { ...lb, 'canary-load-balancer': next.dnsName, 'canary-percent': '50' })
  await run('create', { 'load-balancer': next.dnsName })
  await run('create', { 'load-balancer': next.dnsName, 'canary-load-balancer': internal.dnsName })
  await run('create', { 'load-balancer': next.dnsName })
  await run('create', lb)
  await testClients(aws.moto.endpoint).apigw.send(new CreateRestApiCommand({ name: 'cortex', tags: OURS }))
  await testClients(aws.moto.endpoint).apigw.send(
    new CreateVpcLinkCommand({
      name: 'spare',
      targetArns: [internal.arn],
      tags: { ...OURS, 'cortex-rest-gateway:api-name': 'cortex' }
    })
  )
  await run('create', lb)
  await run('create', {
    ...lb,
    'vpc-link-version': 'v2',
    'security-group-ids': 'sg-0aaaaaaa',
    tags: 'team=platform'
  })
  // a custom domain with its alias record: made, pointed at another stage, left, made again (delete removes it)
  const zone = await testClients(aws.moto.endpoint).route53.send(
    new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'iam' })
  )
  const v2 = { ...lb, 'vpc-link-version': 'v2', 'security-group-ids': 'sg-0aaaaaaa', tags: 'team=platform' }
  const domain = {
    ...v2,
    'domain-name': 'api.example.com',
    'certificate-arn': `arn:aws:acm:${REGION}:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666`,
    'base-path': 'v1',
    'hosted-zone-id': zone.HostedZone!.Id!.split('/').pop()!
  }
  await run('create', domain)
  await run('create', { ...domain, stage: 'prod' })
  await run('create', v2)
  await run('create', domain)
  // every REST setting, then none (what the action set is undone), then keys again for delete to remove
  await testClients(aws.moto.endpoint).apigw.send(
    new UpdateAccountCommand({
      patchOperations: [
        { op: 'replace', path: '/cloudwatchRoleArn', value: 'arn:aws:iam::123456789012:role/logs' }
      ]
    })
  )
  const acl = await new WAFV2Client({ endpoint: aws.moto.endpoint, region: REGION, credentials }).send(
    new CreateWebACLCommand({
      Name: 'models',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'm' }
    })
  )
  const settings = {
    ...domain,
    throttle: '100/200',
    'api-keys': 'team-a, team-b',
    'api-key-quota': '1000/day',
    'api-key-throttle': '5/10',
    'binary-media-types': 'image/png',
    'integration-timeout': '20000',
    'access-log-destination': `arn:aws:logs:${REGION}:123456789012:log-group:access`,
    'logging-level': 'INFO',
    metrics: 'true',
    tracing: 'true',
    'allowed-source-ips': '203.0.113.0/24',
    'web-acl-arn': acl.Summary!.ARN!,
    'disable-execute-api-endpoint': 'true',
    'response-streaming': 'true'
  }
  await run('create', settings)
  await run('create', { ...settings, 'api-keys': 'team-a', 'api-key-quota': '2000/day' })
  await run('create', domain)
  await run('create', { ...domain, 'api-keys': 'team-a' })
  // a PRIVATE API is made with its resource policy, through a v1 link of its own; an EDGE domain
  await run('create', {
    ...lb,
    'api-name': 'private',
    'endpoint-type': 'PRIVATE',
    'vpc-endpoint-ids': 'vpce-0123456789abcdef0'
  })
  await run('create', {
    ...lb,
    'api-name': 'edge',
    'endpoint-type': 'EDGE',
    'domain-name': 'edge.example.com',
    'certificate-arn': 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
  })
  // one stage deleted of an API that keeps another: its keys, mapping (and domain), API domain tags, web ACL
  await run('create', { ...settings, stage: 'qa' })
  await run('delete', { stage: 'qa' })
  // a Classic ELB cluster (api_load_balancer_type: elb), found by its tags: ELBv2's and the Classic API's
  // DescribeLoadBalancers and DescribeTags, which IAM names alike
  await createClassicElb(aws.moto.endpoint, {
    name: 'legacy-apis',
    scheme: 'internet-facing',
    tags: {
      'cortex.dev/cluster-name': 'legacy',
      'kubernetes.io/service-name': 'istio-system/ingressgateway-apis'
    }
  })
  await run('create', { 'cluster-name': 'legacy' })
  await run('create', { 'load-balancer': 'legacy-apis', 'api-name': 'cortex-legacy' })
  // authorizers: a Lambda one (its statement added), another function (a new one), its TTL changed (in place),
  // a Cognito one
  // (its pool read), none again (the unused one deleted); a Lambda one left for delete to take its statement off
  const fnA = await makeFunction(aws.moto.endpoint, 'iam-auth-a')
  const fnB = await makeFunction(aws.moto.endpoint, 'iam-auth-b')
  const pool = await makePool(aws.moto.endpoint, 'iam-callers')
  const gated = { ...lb, 'api-name': 'gated' }
  await run('create', { ...gated, authorization: 'CUSTOM', 'authorizer-lambda-arn': fnA })
  await run('create', {
    ...gated,
    authorization: 'CUSTOM',
    'authorizer-lambda-arn': fnB,
    'authorizer-ttl': '0'
  })
  await run('create', {
    ...gated,
    authorization: 'CUSTOM',
    'authorizer-lambda-arn': fnB,
    'authorizer-ttl': '60'
  })
  await run('create', { ...gated, authorization: 'COGNITO_USER_POOLS', 'cognito-user-pool-arns': pool })
  await run('create', gated)
  await run('create', { ...gated, authorization: 'CUSTOM', 'authorizer-lambda-arn': fnA })
  await run('delete', { 'api-name': 'gated' })
  // the account's DeleteRestApi slot taken by another workflow: this delete waits its turn in line
  let refused = false
  aws.proxy.options.fault = req => {
    if (req.operation !== 'DELETE /restapis/{id}' || refused) return undefined
    refused = true
    return { kind: 'status', status: 429, code: 'TooManyRequestsException', message: 'Too Many Requests' }
  }
  await run('delete', {})
  aws.proxy.options.fault = undefined
  // the last gateways through the v1 link: it goes with them
  await run('delete', { 'api-name': 'edge' })
  await run('delete', { 'api-name': 'private' })
  // some forty runs of the action: on two busy cores they take minutes, not jest's minute for a hook
}, 300_000)

describe.each(['create', 'delete'] as const)('iam/%s-policy.json', mode => {
  it('allows every request the mode made, and every right AWS checks behind one', () => {
    const denied = byMode[mode].flatMap(r =>
      deniedChecks(policy(mode), r).map(c => `${r.method} ${r.path}: ${c}`)
    )
    expect(byMode[mode].length).toBeGreaterThanOrEqual(5)
    expect(denied).toEqual([])
  })

  it('grants nothing the mode does not use, behind a request or as one', () => {
    const used = new Set(byMode[mode].flatMap(r => checksOf(r).map(c => grantFor(policy(mode), c))))
    const granted = policy(mode).Statement.flatMap(s => list(s.Resource).map(res => `${s.Sid} ${res}`))
    expect(granted.filter(g => !used.has(g))).toEqual([])
  })

  it('has no wildcard actions', () => {
    for (const s of policy(mode).Statement) for (const a of list(s.Action)) expect(a).not.toMatch(/\*/)
  })
})

it('the requests replayed include a delete that waited its turn in line (its own API tagged)', () => {
  // the gateway with an authorizer first; the first delete's refused try and its turn, then one each for
  // the two other gateways
  expect(byMode.delete.filter(r => r.method === 'DELETE' && /^\/restapis\/[^/]+$/.test(r.path))).toHaveLength(
    5
  )
  expect(byMode.delete.some(r => r.method === 'PUT' && r.path.startsWith('/tags/'))).toBe(true)
})

it('the requests replayed include custom domains and their records, made, changed and removed', () => {
  const ops = (mode: 'create' | 'delete') => new Set(byMode[mode].map(r => `${r.service} ${r.operation}`))
  expect([...ops('create')]).toEqual(
    expect.arrayContaining([
      'apigateway POST /domainnames',
      'apigateway POST /domainnames/{id}/basepathmappings',
      'apigateway PATCH /domainnames/{id}/basepathmappings/{id}',
      'apigateway DELETE /domainnames/{id}',
      'route53 GET /2013-04-01/hostedzone/{id}',
      'route53 POST /2013-04-01/hostedzone/{id}/rrset'
    ])
  )
  expect([...ops('delete')]).toEqual(
    expect.arrayContaining([
      'apigateway DELETE /domainnames/{id}/basepathmappings/{id}',
      'apigateway DELETE /domainnames/{id}',
      'route53 POST /2013-04-01/hostedzone/{id}/rrset'
    ])
  )
})

it('the requests replayed include authorizers and the Lambda statement, made, changed and removed', () => {
  const ops = (mode: 'create' | 'delete') => new Set(byMode[mode].map(r => `${r.service} ${r.operation}`))
  expect([...ops('create')]).toEqual(
    expect.arrayContaining([
      'apigateway POST /restapis/{id}/authorizers',
      'apigateway PATCH /restapis/{id}/authorizers/{id}',
      'apigateway DELETE /restapis/{id}/authorizers/{id}',
      'lambda GET /2015-03-31/functions/{fn}',
      'lambda POST /2015-03-31/functions/{fn}/policy',
      'lambda DELETE /2015-03-31/functions/{fn}/policy/{sid}',
      'cognito-idp DescribeUserPool'
    ])
  )
  expect([...ops('delete')]).toContain('lambda DELETE /2015-03-31/functions/{fn}/policy/{sid}')
})

it('the requests replayed include v2 VPC links, made and deleted', () => {
  expect(byMode.create.some(r => r.method === 'POST' && r.path === '/v2/vpclinks')).toBe(true)
  expect(byMode.delete.some(r => r.method === 'DELETE' && r.path.startsWith('/v2/vpclinks/'))).toBe(true)
})

it('the requests replayed include one stage deleted, with its web ACL and the API domain tags', () => {
  const ops = new Set(byMode.delete.map(r => r.operation))
  expect(['DELETE /restapis/{id}/stages/{id}', 'DisassociateWebACL'].filter(o => !ops.has(o))).toEqual([])
  expect(byMode.delete.some(r => r.method === 'DELETE' && r.path.startsWith('/tags/'))).toBe(true)
})

it("the requests replayed include the Classic ELB API's (by the SDK each was made with)", () => {
  const classic = byMode.create.filter(r => /api\/elastic-load-balancing#/.test(r.agent))
  expect([...new Set(classic.map(r => r.operation))].sort()).toEqual([
    'DescribeLoadBalancers',
    'DescribeTags'
  ])
})

it('delete creates nothing; it changes a tag (its own API, waiting its turn) and usage plans (their stages)', () => {
  const grants = policy('delete').Statement.flatMap(s =>
    list(s.Action).map(a => ({ a, on: list(s.Resource) }))
  )
  const changes = grants.filter(g => /apigateway:(POST|PUT|PATCH)|Create|Modify/.test(g.a))
  expect(changes).toEqual([
    { a: 'apigateway:PATCH', on: ['arn:aws:apigateway:*::/usageplans/*'] },
    { a: 'apigateway:PUT', on: ['arn:aws:apigateway:*::/tags/*'] }
  ])
})

it(
  'moto, enforcing IAM, lets a user with the create policy find the load balancer, ' +
    'and not one without it',
  async () => {
    // the first 5 requests are free: seed a load balancer and two users
    const enforcing = await startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: '5' })
    try {
      const c = testClients(enforcing.endpoint)
      await createLoadBalancer(enforcing.endpoint, { name: 'cortex', scheme: 'internal' }) // 2 requests
      const iam = new IAMClient({ endpoint: enforcing.endpoint, region: REGION, credentials, maxAttempts: 1 })
      await iam.send(new CreateUserCommand({ UserName: 'deployer' }))
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'deployer',
          PolicyName: 'gw',
          PolicyDocument: JSON.stringify(policy('create'))
        })
      )
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }))).AccessKey!
      const as = (accessKeyId: string, secretAccessKey: string) =>
        new ElasticLoadBalancingV2Client({
          endpoint: enforcing.endpoint,
          region: REGION,
          maxAttempts: 1,
          credentials: { accessKeyId, secretAccessKey }
        })

      const found = await as(key.AccessKeyId!, key.SecretAccessKey!).send(
        new DescribeLoadBalancersCommand({})
      )
      expect(found.LoadBalancers?.map(l => l.LoadBalancerName)).toEqual(['cortex'])
      await expect(c.elb.send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({
        name: 'InvalidClientTokenId'
      })
      // the delete policy has no ELBv2 right: delete never reads the load balancer, which may be gone already
      expect(
        policy('delete')
          .Statement.flatMap(s => list(s.Action))
          .some(a => a.startsWith('elasticloadbalancing:'))
      ).toBe(false)
    } finally {
      await enforcing.stop()
    }
  }
)

it('the requests replayed include every kind AWS checks more rights behind', () => {
  const behind = new Set(
    [...byMode.create, ...byMode.delete].flatMap(r => alsoChecked(r).map(c => c.action.split(':')[1]))
  )
  expect([...behind].sort()).toEqual([
    'CreateServiceLinkedRole',
    'CreateVpcEndpointServiceConfiguration',
    'DeleteVpcEndpointServiceConfigurations',
    'DescribeVpcEndpointServiceConfigurations',
    'GetWebACL',
    'ModifyVpcEndpointServicePermissions',
    'SetWebACL',
    'UpdateDistribution',
    'UpdateRestApiPolicy'
  ])
})
