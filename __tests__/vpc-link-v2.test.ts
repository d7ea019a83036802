/**
 * VPC links v2 against moto server. moto implements v2 links (always AVAILABLE) but keeps no
 * `integrationTarget` on REST integrations: what the action sends is checked in the proxy's
 * recording, and the proxy hands it back on reads as AWS would.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import { createLoadBalancer, REGION, type SeededLoadBalancer } from './support/aws.js'
import { expectWholeGateway, readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'

const aws = motoBehindProxy({ env: true })

let alb: SeededLoadBalancer
let nlb: SeededLoadBalancer
let nlbWithGroups: SeededLoadBalancer

beforeEach(async () => {
  await aws.moto.reset()
  alb = await createLoadBalancer(aws.moto.endpoint, {
    name: 'cortex-alb',
    scheme: 'internal',
    type: 'application'
  })
  nlb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-nlb', scheme: 'internal' })
  nlbWithGroups = await createLoadBalancer(aws.moto.endpoint, {
    name: 'cortex-nlb-sg',
    scheme: 'internal',
    securityGroups: true
  })
  aws.proxy.clear()
})

const run = (inputs: Record<string, string>) =>
  runEngine({
    config: configFrom({ region: REGION, ...inputs }),
    log: memoryLog(),
    context: { sleep: async () => undefined }
  })

/** The HTTP_PROXY integrations the action sent, as recorded. */
function sentIntegrations(): Record<string, unknown>[] {
  return aws.proxy
    .writes()
    .filter(r => r.method === 'PUT' && r.path.endsWith('/integration') && r.body)
    .map(r => JSON.parse(r.body!) as Record<string, unknown>)
    .filter(b => b.type === 'HTTP_PROXY')
}

describe('v2 VPC links', () => {
  it(
    'an internal ALB goes through a v2 link made from its subnets and groups; ' +
      're-run writes nothing; delete clears both',
    async () => {
      const res = await run({ 'load-balancer': alb.dnsName })
      expect(res.outputs.scheme).toBe('internal')
      const state = await readGateway(aws.proxy.endpoint)
      expect(state.linksV2).toHaveLength(1)
      const link = state.linksV2[0]
      expect(res.outputs['vpc-link-id']).toBe(link.VpcLinkId)
      expect([...link.SubnetIds!].sort()).toEqual([...alb.subnetIds].sort())
      expect(link.SecurityGroupIds).toEqual(alb.securityGroupIds)
      expect(link.Tags).toMatchObject({
        'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
        'cortex-rest-gateway:api-name': 'cortex'
      })
      expect(state.links).toEqual([])
      // what moto drops, the recording shows: each proxied method names the ALB through the v2 link
      expect(sentIntegrations()).toEqual([
        expect.objectContaining({
          connectionType: 'VPC_LINK',
          connectionId: link.VpcLinkId,
          integrationTarget: alb.arn,
          uri: `http://${alb.dnsName}/`
        }),
        expect.objectContaining({
          connectionType: 'VPC_LINK',
          connectionId: link.VpcLinkId,
          integrationTarget: alb.arn,
          uri: `http://${alb.dnsName}/{proxy}`
        })
      ])
      expectWholeGateway(state, alb, { internal: true, v2: true })

      aws.proxy.clear()
      await run({ 'load-balancer': alb.dnsName })
      expect(aws.proxy.writes()).toEqual([])

      aws.proxy.clear()
      const gone = await run({ mode: 'delete' })
      expect(gone.outputs['vpc-link-id']).toBe(link.VpcLinkId)
      expect(aws.proxy.writes().map(w => `${w.method} ${w.operation.split(' ')[1]}`)).toEqual([
        'DELETE /restapis/{id}',
        'DELETE /v2/vpclinks/{id}'
      ])
      const after = await readGateway(aws.proxy.endpoint)
      expect(after.apis).toEqual([])
      expect(after.linksV2).toEqual([])
    }
  )

  it('an NLB goes through v2 when asked, with its own or the given security groups', async () => {
    await run({ 'load-balancer': nlbWithGroups.dnsName, 'vpc-link-version': 'v2' })
    let state = await readGateway(aws.proxy.endpoint)
    expect(state.linksV2[0].SecurityGroupIds).toEqual(nlbWithGroups.securityGroupIds)
    expectWholeGateway(state, nlbWithGroups, { internal: true, v2: true })
    await run({ mode: 'delete' })

    await run({ 'load-balancer': nlb.dnsName, 'vpc-link-version': 'v2', 'security-group-ids': 'sg-0abcdef1' })
    state = await readGateway(aws.proxy.endpoint)
    expect(state.linksV2[0].SecurityGroupIds).toEqual(['sg-0abcdef1'])
  })

  it('an NLB without security groups: says to pass security-group-ids, before any write', async () => {
    await expect(run({ 'load-balancer': nlb.dnsName, 'vpc-link-version': 'v2' })).rejects.toThrow(
      /Input 'security-group-ids': load balancer cortex-nlb has no security groups/
    )
    expect(aws.proxy.writes()).toEqual([])
  })

  it('switching v1 → v2 → v1 converges in place and removes the link no longer used', async () => {
    const v1 = await run({ 'load-balancer': nlbWithGroups.dnsName })
    const apiId = v1.outputs['api-id']
    const v1Link = v1.outputs['vpc-link-id']
    expectWholeGateway(await readGateway(aws.proxy.endpoint), nlbWithGroups, { internal: true })

    const v2 = await run({ 'load-balancer': nlbWithGroups.dnsName, 'vpc-link-version': 'v2' })
    expect(v2.outcome).toBe('updated')
    expect(v2.outputs['api-id']).toBe(apiId)
    expect(v2.steps).toContain(`delete VPC link ${v1Link}`)
    let state = await readGateway(aws.proxy.endpoint)
    expect(state.links).toEqual([])
    expectWholeGateway(state, nlbWithGroups, { internal: true, v2: true })
    aws.proxy.clear()
    await run({ 'load-balancer': nlbWithGroups.dnsName, 'vpc-link-version': 'v2' })
    expect(aws.proxy.writes()).toEqual([])

    const back = await run({ 'load-balancer': nlbWithGroups.dnsName, 'vpc-link-version': 'v1' })
    expect(back.outputs['api-id']).toBe(apiId)
    expect(back.steps).toContain(`delete VPC link ${v2.outputs['vpc-link-id']} (v2)`)
    state = await readGateway(aws.proxy.endpoint)
    expect(state.linksV2).toEqual([])
    expectWholeGateway(state, nlbWithGroups, { internal: true })
    expect(state.apis.map(a => a.id)).toEqual([apiId])

    await run({ mode: 'delete' })
    const after = await readGateway(aws.proxy.endpoint)
    expect([after.apis, after.links, after.linksV2]).toEqual([[], [], []])
  })
})
