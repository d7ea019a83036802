/**
 * End to end: the bundled dist/index.js under Node 24, run as the runner runs it, against moto
 * server behind the recording proxy; results checked with reads of our own.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { createForeignApi, createLoadBalancer, type SeededLoadBalancer } from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { actionYml, runAction } from './support/run-action.js'

const aws = motoBehindProxy()

let publicLb: SeededLoadBalancer
let internalLb: SeededLoadBalancer

beforeEach(async () => {
  const fresh = await aws.freshAccount()
  publicLb = fresh.publicLb
  internalLb = fresh.internalLb
})

const run = (inputs: Record<string, string>) => runAction(inputs, { endpoint: aws.proxy.endpoint })

describe('create, re-run, delete: internet-facing', () => {
  it('builds the gateway, sets every output, then a re-run writes nothing and delete removes it', async () => {
    // pasted the way people paste it: scheme, upper case, port, trailing slash
    const pasted = `HTTP://${publicLb.dnsName.toUpperCase()}:80/`
    const first = await run({ 'load-balancer': pasted, stage: 'dev' })
    expect(first.errors).toEqual([])
    expect(first.code).toBe(0)

    const state = await readGateway(aws.moto.endpoint, 'cortex')
    expect(state.apis).toHaveLength(1)
    const apiId = state.api.id!
    expect(first.outputs).toEqual({
      'canary-percent': '',
      'invoke-url': `https://${apiId}.execute-api.us-west-2.amazonaws.com/dev`,
      'api-id': apiId,
      stage: 'dev',
      'vpc-link-id': '',
      scheme: 'internet-facing',
      'load-balancer-arn': publicLb.arn,
      'ready-status': '',
      'domain-url': '',
      'domain-target': '',
      'domain-hosted-zone-id': '',
      'api-key-ids': '',
      'api-key': '',
      'authorizer-id': '',
      'deployment-id': '',
      // the account is the load balancer's (moto's default account)
      'execution-arn': `arn:aws:execute-api:us-west-2:123456789012:${apiId}`,
      plan: expect.stringContaining('create REGIONAL REST API "cortex"'),
      result: 'created'
    })
    expect(first.summaryText).toContain('REST gateway "cortex": created')
    expect(first.summaryText).toContain(`https://${apiId}.execute-api.us-west-2.amazonaws.com/dev`)
    expect(first.summaryText).toContain(`apigateway/main/apis/${apiId}/resources`)
    // every output the action set is declared in action.yml
    expect(Object.keys(first.outputs).sort()).toEqual(Object.keys(actionYml().outputs).sort())

    const byPath = Object.fromEntries(state.resources.map(r => [r.path ?? '', r]))
    expect(Object.keys(byPath).sort()).toEqual(['/', '/{proxy+}'])
    const proxyAny = byPath['/{proxy+}'].resourceMethods!.ANY
    expect(proxyAny.methodIntegration).toMatchObject({
      type: 'HTTP_PROXY',
      httpMethod: 'ANY',
      // the cluster named by the stage's variables (README), so a canary can send a share elsewhere
      uri: 'http://${stageVariables.cortexHost}/{proxy}',
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' }
    })
    expect(state.stages[0].variables).toEqual({ cortexHost: publicLb.dnsName })
    expect(proxyAny.requestParameters).toEqual({ 'method.request.path.proxy': true })
    expect(byPath['/'].resourceMethods!.ANY.methodIntegration).toMatchObject({
      type: 'HTTP_PROXY',
      uri: 'http://${stageVariables.cortexHost}/'
    })
    for (const path of ['/', '/{proxy+}']) {
      const options = byPath[path].resourceMethods!.OPTIONS
      expect(options.authorizationType).toBe('NONE')
      expect(options.methodIntegration?.type).toBe('MOCK')
      expect(options.methodIntegration?.integrationResponses?.['200']?.responseParameters).toMatchObject({
        'method.response.header.Access-Control-Allow-Origin': "'*'"
      })
    }
    expect(state.stages.map(s => s.stageName)).toEqual(['dev'])
    expect(state.api.tags).toMatchObject({
      'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
      'cortex-rest-gateway:repository': 'octo-org/cortex-app',
      'cortex-rest-gateway:workflow': 'deploy -preview-'
    })

    aws.proxy.clear()
    const again = await run({ 'load-balancer': publicLb.dnsName, stage: 'dev' })
    expect(again.code).toBe(0)
    expect(aws.proxy.writes()).toEqual([])
    expect(again.outputs['api-id']).toBe(apiId)
    expect(again.outputs.result).toBe('unchanged')

    aws.proxy.clear()
    const gone = await run({ mode: 'delete' })
    expect(gone.code).toBe(0)
    expect(gone.outputs).toMatchObject({ 'api-id': apiId, result: 'deleted' })
    expect((await readGateway(aws.moto.endpoint, 'cortex')).apis).toEqual([])

    const twice = await run({ mode: 'delete' })
    expect(twice.code).toBe(0)
    expect(twice.outputs.result).toBe('absent')
    expect(twice.stdout).toContain('::notice::Nothing to delete')
    expect(twice.summaryText).toContain('nothing to delete')
  })

  it('updates the same API in place when an input changes, and redeploys once', async () => {
    await run({ 'load-balancer': publicLb.dnsName })
    const before = await readGateway(aws.moto.endpoint, 'cortex')

    aws.proxy.clear()
    const changed = await run({ 'load-balancer': publicLb.dnsName, authorization: 'aws_iam', cors: 'false' })
    expect(changed.code).toBe(0)
    expect(changed.outputs.result).toBe('updated')
    expect(aws.proxy.writes().filter(w => w.operation === 'POST /restapis/{id}/deployments')).toHaveLength(1)

    const after = await readGateway(aws.moto.endpoint, 'cortex')
    expect(after.apis).toHaveLength(1)
    expect(after.api.id).toBe(before.api.id)
    for (const r of after.resources) {
      expect(Object.keys(r.resourceMethods ?? {})).toEqual(['ANY'])
      expect(r.resourceMethods!.ANY.authorizationType).toBe('AWS_IAM')
      expect(r.resourceMethods!.ANY.methodIntegration?.type).toBe('HTTP_PROXY')
    }

    aws.proxy.clear()
    await run({ 'load-balancer': publicLb.dnsName, authorization: 'AWS_IAM', cors: 'false' })
    expect(aws.proxy.writes()).toEqual([])
  })
})

describe('internal load balancer', () => {
  it('goes through a VPC link it creates, reuses it on re-run, and delete removes API then link', async () => {
    const first = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'private-api' })
    expect(first.errors).toEqual([])
    expect(first.outputs.scheme).toBe('internal')
    const linkId = first.outputs['vpc-link-id']
    expect(linkId).toMatch(/\w+/)
    // what was done names the link it made, not the plan's placeholder
    expect(first.outputs.plan).toContain(`wait for VPC link ${linkId} to become AVAILABLE`)
    expect(first.outputs.plan).not.toContain('<new-vpc-link>')
    expect(first.summaryText).toContain(`via ${linkId}`)

    const state = await readGateway(aws.moto.endpoint, 'private-api')
    expect(state.links).toHaveLength(1)
    expect(state.links[0]).toMatchObject({
      id: linkId,
      name: 'private-api-vpc-link',
      targetArns: [internalLb.arn],
      tags: expect.objectContaining({ 'cortex-rest-gateway:api-name': 'private-api' })
    })
    const proxyAny = state.resources.find(r => r.path === '/{proxy+}')!.resourceMethods!.ANY
    // moto keeps connectionType but not connectionId: see the proxy's recording below
    expect(proxyAny.methodIntegration).toMatchObject({ type: 'HTTP_PROXY', connectionType: 'VPC_LINK' })
    const putIntegrations = aws.proxy.requests.filter(
      r => r.operation.endsWith('/integration') && r.method === 'PUT'
    )
    expect(putIntegrations.length).toBe(4)

    aws.proxy.clear()
    const again = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'private-api' })
    expect(again.outputs['vpc-link-id']).toBe(linkId)
    expect(aws.proxy.writes()).toEqual([])

    const gone = await run({ mode: 'delete', 'api-name': 'private-api' })
    expect(gone.code).toBe(0)
    expect(gone.outputs['vpc-link-id']).toBe(linkId)
    const deletes = aws.proxy
      .writes()
      .filter(w => w.method === 'DELETE')
      .map(w => w.operation)
    expect(deletes).toEqual(['DELETE /restapis/{id}', 'DELETE /vpclinks/{id}'])
    const after = await readGateway(aws.moto.endpoint, 'private-api')
    expect(after.apis).toEqual([])
    expect(after.links).toEqual([])
  })

  it('refuses an internal ALB through a v1 link with a clear error, and writes nothing', async () => {
    const alb = await createLoadBalancer(aws.moto.endpoint, {
      name: 'cortex-alb',
      scheme: 'internal',
      type: 'application'
    })
    aws.proxy.clear()
    const res = await run({ 'load-balancer': alb.dnsName, 'vpc-link-version': 'v1' })
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toMatch(
      /Input 'vpc-link-version': .*Network Load Balancers only: use 'vpc-link-version: v2'/
    )
    expect(aws.proxy.writes()).toEqual([])
  })
})

describe('ownership and bad input', () => {
  it('never touches a same-named API it did not make', async () => {
    const foreign = await createForeignApi(aws.moto.endpoint, 'cortex')
    aws.proxy.clear()
    const res = await run({ 'load-balancer': publicLb.dnsName })
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain(
      `already exists in us-west-2: ${foreign} (not made by this action)`
    )
    expect(aws.proxy.writes()).toEqual([])

    const del = await run({ mode: 'delete' })
    expect(del.code).toBe(0)
    expect(del.stdout).toContain('Left alone')
    expect((await readGateway(aws.moto.endpoint, 'cortex')).apis.map(a => a.id)).toEqual([foreign])
  })

  it.each([
    [{ mode: 'destroy', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' }, "Input 'mode'"],
    [{ 'load-balancer': '' }, "Input 'load-balancer': is required"],
    [{ stage: 'dev stage', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' }, "Input 'stage'"],
    [
      { 'endpoint-type': 'PRIVATE', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' },
      "Input 'vpc-endpoint-ids'"
    ],
    [
      { 'endpoint-type': 'INTERNAL', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' },
      "Input 'endpoint-type'"
    ],
    [{ throttle: 'lots', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' }, "Input 'throttle'"],
    [{ authorization: 'COGNITO', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' }, "Input 'authorization'"],
    [{ cors: 'maybe', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' }, "Input 'cors'"],
    [{ timeout: '10m', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' }, "Input 'timeout'"],
    [{ tags: 'no-equals-sign', 'load-balancer': 'x.elb.us-west-2.amazonaws.com' }, "Input 'tags'"],
    [
      { 'load-balancer': 'nope-1.elb.us-west-2.amazonaws.com' },
      "Input 'load-balancer': no load balancer with DNS name"
    ]
  ])('%j fails naming the input, with no write', async (inputs, message) => {
    aws.proxy.clear()
    const res = await run(inputs)
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain(message)
    expect(aws.proxy.writes()).toEqual([])
  })

  it('fails when scheme contradicts the load balancer, naming scheme, with no write', async () => {
    aws.proxy.clear()
    const res = await run({ 'load-balancer': publicLb.dnsName, scheme: 'internal' })
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain("Input 'scheme'")
    expect(aws.proxy.writes()).toEqual([])
  })
})

describe('secrets', () => {
  it('never prints a credential, in success or failure, debug lines included', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIASECRETKEYID00001',
      AWS_SECRET_ACCESS_KEY: 'sEcReT/aCcEsS+kEy0000000000000000000000',
      AWS_SESSION_TOKEN: 'SeSsIoNtOkEn0000000000000000000000000000',
      ACTIONS_STEP_DEBUG: 'true',
      RUNNER_DEBUG: '1'
    }
    const runs = [
      await runAction({ 'load-balancer': internalLb.dnsName }, { endpoint: aws.proxy.endpoint, env }),
      await runAction({ mode: 'delete' }, { endpoint: aws.proxy.endpoint, env }),
      await runAction(
        { 'load-balancer': 'missing-1.elb.us-west-2.amazonaws.com' },
        { endpoint: aws.proxy.endpoint, env }
      )
    ]
    expect(runs.map(r => r.code)).toEqual([0, 0, 1])
    for (const r of runs) {
      const everything = [
        r.stdout,
        r.stderr,
        r.summary,
        JSON.stringify(r.outputs),
        JSON.stringify(r.state)
      ].join('\n')
      expect(everything).toContain('::debug::')
      for (const secret of Object.values(env).slice(0, 3)) expect(everything).not.toContain(secret)
      expect(everything).not.toMatch(/X-Amz-Signature|Signature=/i)
    }
  })
})

describe('dry run', () => {
  it('plans a create and a delete without writing, and says so in the log, the outputs and the summary', async () => {
    const plan = await run({ 'load-balancer': internalLb.dnsName, 'dry-run': 'true' })
    expect(plan.code).toBe(0)
    expect(aws.proxy.writes()).toEqual([])
    expect(plan.outputs.result).toBe('would-create')
    expect(plan.outputs.plan.split('\n')).toEqual([
      expect.stringMatching(/^create VPC link "cortex-vpc-link" to arn:/),
      'wait for VPC link <new-vpc-link> to become AVAILABLE',
      'create REGIONAL REST API "cortex"',
      'create resource /{proxy+}',
      expect.stringMatching(/^put method ANY \/ → HTTP_PROXY/),
      'put method OPTIONS / → MOCK',
      expect.stringMatching(/^put method ANY \/\{proxy\+\} → HTTP_PROXY/),
      'put method OPTIONS /{proxy+} → MOCK',
      'set the DEFAULT_4XX gateway response: CORS headers, a JSON body',
      'set the DEFAULT_5XX gateway response: CORS headers, a JSON body',
      `deploy new stage "dev" at ${internalLb.dnsName.toLowerCase()} via <new-vpc-link>`
    ])
    expect(plan.stdout).toContain('would create REGIONAL REST API "cortex"')
    expect(plan.summaryText).toContain('dry run: would be created')
    expect(plan.summaryText).toContain('- create VPC link "cortex-vpc-link"')
    expect((await readGateway(aws.moto.endpoint, 'cortex')).apis).toEqual([])

    await run({ 'load-balancer': internalLb.dnsName })
    aws.proxy.clear()
    const change = await run({ 'load-balancer': internalLb.dnsName, cors: 'false', 'dry-run': 'true' })
    expect(change.outputs.result).toBe('would-update')
    expect(change.outputs.plan).toContain('delete method OPTIONS /')
    const del = await run({ mode: 'delete', 'dry-run': 'true' })
    expect(del.outputs.result).toBe('would-delete')
    expect(del.outputs.stage).toBe('dev')
    expect(del.outputs.plan).toMatch(/delete REST API \w+\ndelete VPC link \w+/)
    expect(aws.proxy.writes()).toEqual([])
    expect((await readGateway(aws.moto.endpoint, 'cortex')).apis).toHaveLength(1)
  })
})

describe('delete-on-exit', () => {
  /** The post step as the runner runs it: the same inputs, the main step's state as STATE_* variables. */
  const post = (inputs: Record<string, string>, state: Record<string, string>) =>
    runAction(inputs, {
      endpoint: aws.proxy.endpoint,
      env: Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
    })

  it('deletes what the main step made, VPC link included, at the end of the job', async () => {
    const inputs = { 'load-balancer': internalLb.dnsName, 'api-name': 'pr-42', 'delete-on-exit': 'true' }
    const main = await run(inputs)
    expect(main.code).toBe(0)
    expect(main.state.isPost).toBe('true')
    expect(JSON.parse(main.state.cleanup)).toMatchObject({ apiName: 'pr-42', region: 'us-west-2' })
    expect((await readGateway(aws.moto.endpoint, 'pr-42')).apis).toHaveLength(1)

    const end = await post(inputs, main.state)
    expect(end.code).toBe(0)
    expect(end.summaryText).toContain('REST gateway "pr-42": deleted')
    const after = await readGateway(aws.moto.endpoint, 'pr-42')
    expect(after.apis).toEqual([])
    expect(after.links).toEqual([])
  })

  it('does nothing in the post step without the input', async () => {
    const inputs = { 'load-balancer': publicLb.dnsName }
    const main = await run(inputs)
    expect(main.state.cleanup).toBeUndefined()
    aws.proxy.clear()
    const end = await post(inputs, main.state)
    expect(end.code).toBe(0)
    expect(end.stdout).toContain('delete-on-exit is off')
    expect(aws.proxy.requests).toEqual([])
  })

  it('warns instead of failing the job when the clean-up fails, unless asked to fail', async () => {
    const inputs = { 'load-balancer': publicLb.dnsName, 'delete-on-exit': 'true', timeout: '2' }
    const main = await run(inputs)
    aws.proxy.options.fault = rec =>
      rec.write ? { kind: 'status', status: 403, code: 'AccessDeniedException' } : undefined
    try {
      const warned = await post(inputs, main.state)
      expect(warned.code).toBe(0)
      expect(warned.stdout).toMatch(
        new RegExp(
          /::warning::delete-on-exit could not delete REST gateway "cortex": /.source +
            /DeleteRestApi failed: AccessDeniedException/.source
        )
      )
      const strict = await post(
        { ...inputs, 'fail-on-cleanup-error': 'true' },
        {
          ...main.state,
          cleanup: JSON.stringify({ ...JSON.parse(main.state.cleanup), failOnCleanupError: true })
        }
      )
      expect(strict.code).toBe(1)
      expect(strict.errors.join()).toContain('delete-on-exit could not delete')
    } finally {
      aws.proxy.options.fault = undefined
    }
  })
})
