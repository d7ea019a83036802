/**
 * CORS on the gateway's own answers, as a planner: the DEFAULT_4XX and DEFAULT_5XX responses as GetGatewayResponses
 * answers them (the recorded fixtures, or written out), and the steps written out by hand.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { CreateConfig } from '../src/config/inputs.js'
import type { CreateDiscovery } from '../src/core/plan.js'
import { planCorsFeature } from '../src/features/cors/plan-feature.js'
import { corsResponse, isOurResponse, planCorsResponses } from '../src/features/cors/plan.js'
import type { GatewayResponseState } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

const H = 'gatewayresponse.header.'
const BODY =
  "## cortex-rest-gateway: CORS on the gateway's own answers\n" +
  '{"message":$context.error.messageString,"requestId":"$context.requestId"}'
const HEADERS = {
  [`${H}Access-Control-Allow-Headers`]:
    "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
  [`${H}Access-Control-Allow-Methods`]: "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"
}

function made(name: string, more: Record<string, string> = {}) {
  const text = readFileSync(new URL(`./fixtures/plan/${name}.json`, import.meta.url), 'utf8')
  const fixture = JSON.parse(text) as { inputs: Record<string, string>; discovery: CreateDiscovery }
  return { config: configFrom({ ...fixture.inputs, ...more }) as CreateConfig, found: fixture.discovery }
}

describe('the response the action sets', () => {
  it("names one origin (every one, '*', when none is given), and no Vary", () => {
    expect(corsResponse([])).toStrictEqual({
      responseParameters: { [`${H}Access-Control-Allow-Origin`]: "'*'", ...HEADERS },
      responseTemplates: { 'application/json': BODY }
    })
    expect(corsResponse(['https://a.example.com']).responseParameters).toStrictEqual({
      [`${H}Access-Control-Allow-Origin`]: "'https://a.example.com'",
      ...HEADERS
    })
  })

  it('is told by the mark at the start of its JSON template alone', () => {
    const r = (templates: Record<string, string>): GatewayResponseState => ({
      responseType: 'DEFAULT_4XX',
      defaultResponse: false,
      responseParameters: {},
      responseTemplates: templates
    })
    expect(isOurResponse(undefined)).toBe(false)
    expect(isOurResponse(r({ 'application/json': BODY }))).toBe(true)
    expect(isOurResponse(r({ 'application/json': `{}\n${BODY}` }))).toBe(false)
    expect(isOurResponse(r({ 'text/plain': BODY }))).toBe(false)
  })
})

describe('planCorsResponses against what AWS holds', () => {
  const { found } = made('internet-facing')
  const held = found.gatewayResponses!
  const put = (responseType: string, origin = "'*'") => ({
    op: 'put-gateway-response',
    responseType,
    responseParameters: { [`${H}Access-Control-Allow-Origin`]: origin, ...HEADERS },
    responseTemplates: { 'application/json': BODY }
  })

  it('writes nothing over the responses it set, as AWS answers them', () => {
    expect(planCorsResponses({ cors: true, origins: ['*'] }, held)).toEqual({ steps: [], notes: [] })
  })

  it('sets again one of its own with a header more or less, or another body', () => {
    const [r4, r5] = held
    const more = { ...r4, responseParameters: { ...r4.responseParameters, [`${H}X-Extra`]: "'1'" } }
    const { [`${H}Access-Control-Allow-Methods`]: _gone, ...fewer } = r5.responseParameters
    expect(
      planCorsResponses({ cors: true, origins: ['*'] }, [more, { ...r5, responseParameters: fewer }]).steps
    ).toEqual([put('DEFAULT_4XX'), put('DEFAULT_5XX')])
    const body = { ...r4, responseTemplates: { 'application/json': `${BODY} ` } }
    const template = { ...r5, responseTemplates: { ...r5.responseTemplates, 'text/html': 'x' } }
    expect(planCorsResponses({ cors: true, origins: ['*'] }, [body, template]).steps).toEqual([
      put('DEFAULT_4XX'),
      put('DEFAULT_5XX')
    ])
  })

  it('resets both of its own when cors goes, and sets them again for another origin', () => {
    expect(planCorsResponses({ cors: false, origins: ['*'] }, held)).toEqual({
      steps: [
        { op: 'delete-gateway-response', responseType: 'DEFAULT_4XX' },
        { op: 'delete-gateway-response', responseType: 'DEFAULT_5XX' }
      ],
      notes: []
    })
    expect(planCorsResponses({ cors: true, origins: ['https://a.example.com'] }, held).steps).toEqual([
      put('DEFAULT_4XX', "'https://a.example.com'"),
      put('DEFAULT_5XX', "'https://a.example.com'")
    ])
  })
})

describe('CORS as a feature of the create plan', () => {
  it('on a gateway as made: nothing to do, nothing to deploy, what a deployment puts live', () => {
    const { config, found } = made('internet-facing')
    expect(planCorsFeature({ config, found, tags: {}, existing: found.api!.summary, twinIds: [] })).toEqual({
      parts: { api: { steps: [], warnings: [], notes: [] } },
      needsDeploy: false,
      deployed: { gatewayResponses: corsResponse(['*']) }
    })
  })

  it('on a new API: sets both, whatever else was read, and asks for a deployment', () => {
    const { config, found } = made('internet-facing')
    const plan = planCorsFeature({ config, found, tags: {}, twinIds: [] })
    expect(plan.parts.api?.steps.map(s => [s.op, 'responseType' in s && s.responseType])).toEqual([
      ['put-gateway-response', 'DEFAULT_4XX'],
      ['put-gateway-response', 'DEFAULT_5XX']
    ])
    expect(plan.needsDeploy).toBe(true)
  })

  it('with cors off: resets its own, and puts nothing of it live', () => {
    const { config, found } = made('internet-facing', { cors: 'false' })
    const plan = planCorsFeature({ config, found, tags: {}, existing: found.api!.summary, twinIds: [] })
    expect(plan.parts.api?.steps.map(s => s.op)).toEqual([
      'delete-gateway-response',
      'delete-gateway-response'
    ])
    expect(plan.needsDeploy).toBe(true)
    expect(plan.deployed).toBeUndefined()
  })
})
