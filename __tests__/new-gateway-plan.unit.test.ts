/**
 * A new gateway with the features that add to what the API and stage are made with: the create-api and deploy
 * steps written out whole (the tags that record where the API is served and what the action set, docs/ownership.md;
 * the settings the API is made with), and the order of the parts.
 */
import { describe, expect, it } from '@jest/globals'
import type { CreateConfig } from '../src/config/inputs.js'
import { planCreate, type CreateDiscovery } from '../src/core/plan.js'
import type { LoadBalancer } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

const DNS = 'cortex-1.elb.us-west-2.amazonaws.com'
const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const OWNED = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'local'
}
const LB: LoadBalancer = {
  arn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex/1',
  name: 'cortex',
  dnsName: DNS,
  scheme: 'internet-facing',
  type: 'network',
  subnetIds: [],
  securityGroupIds: []
}
const nothing: CreateDiscovery = {
  loadBalancer: LB,
  sameName: [],
  domain: { domains: new Map(), dns: new Map() }
}

describe('a new gateway', () => {
  it('is made with the tags and settings its features ask for, and its stage with theirs', () => {
    const config = configFrom({
      'load-balancer': DNS,
      region: 'us-west-2',
      tags: 'team=ml',
      'domain-name': 'api.example.com',
      'certificate-arn': CERT,
      'binary-media-types': 'image/png',
      'allowed-source-ips': '192.0.2.0/24',
      tracing: 'true',
      cors: 'false'
    }) as CreateConfig
    const plan = planCreate(config, nothing, OWNED)
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CortexRestGatewayAllowInvoke',
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*'
        },
        {
          Sid: 'CortexRestGatewayAllowedSourceIps',
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } }
        }
      ]
    }
    expect(plan.steps[0]).toEqual({
      op: 'create-api',
      name: 'cortex',
      endpointType: 'REGIONAL',
      tags: {
        team: 'ml',
        ...OWNED,
        'cortex-rest-gateway:domain-name': 'api.example.com',
        'cortex-rest-gateway:base-path': '/',
        'cortex-rest-gateway:api-settings': 'policy binary:image/png'
      },
      settings: { binaryMediaTypes: ['image/png'], vpcEndpointIds: [], policy: JSON.stringify(policy) }
    })
    const deploy = plan.steps.find(s => s.op === 'deploy')
    expect(deploy).toEqual({
      op: 'deploy',
      stage: 'dev',
      newStage: true,
      tags: { team: 'ml', ...OWNED, 'cortex-rest-gateway:stage-settings': 'tracing' },
      variables: { cortexHost: DNS }
    })
    // the domain after the stage it maps
    expect(plan.steps.slice(-2).map(s => s.op)).toEqual(['create-domain', 'map-base-path'])
    expect(plan.domainTarget).toBeUndefined()
    expect(plan.apiKeys).toEqual([])
  })

  it('without features asking for anything, is made with no settings but the empty lists', () => {
    const config = configFrom({ 'load-balancer': DNS, region: 'us-west-2', cors: 'false' }) as CreateConfig
    const plan = planCreate(config, { loadBalancer: LB, sameName: [] }, OWNED)
    expect(plan.steps[0]).toEqual({
      op: 'create-api',
      name: 'cortex',
      endpointType: 'REGIONAL',
      tags: OWNED,
      settings: { binaryMediaTypes: [], vpcEndpointIds: [] }
    })
    expect(plan.steps.at(-1)).toEqual({
      op: 'deploy',
      stage: 'dev',
      newStage: true,
      tags: OWNED,
      variables: { cortexHost: DNS }
    })
  })
})
