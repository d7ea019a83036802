/**
 * Issue 9, case 8: racing runs, ordered on purpose. Each run is the engine in this process with
 * clients of its own, whose user agent tells the proxy which run a request is from; the proxy
 * holds a request until another run reached a point, so each interleaving happens every time.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { realSleep } from '../src/aws/context.js'
import { runEngine, type Created } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import { credentials, REGION, type SeededLoadBalancer } from './support/aws.js'
import { expectWholeGateway, readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'
import type { Recorded } from './support/proxy.js'

const aws = motoBehindProxy()

let publicLb: SeededLoadBalancer
let internalLb: SeededLoadBalancer

async function freshAccount(): Promise<void> {
  const fresh = await aws.freshAccount()
  publicLb = fresh.publicLb
  internalLb = fresh.internalLb
}
beforeEach(freshAccount)

/** One run, as `who`: its requests carry `run-<who>` in their user agent. */
function runAs(who: string, inputs: Record<string, string>, made: Created[] = []) {
  const common = {
    endpoint: aws.proxy.endpoint,
    region: REGION,
    credentials,
    maxAttempts: 1,
    customUserAgent: [[`run-${who}`]] as [string][]
  }
  return runEngine({
    config: configFrom({ region: REGION, ...inputs }),
    log: memoryLog(),
    onCreated: m => made.push(m),
    context: {
      apigw: new APIGatewayClient(common),
      elb: new ElasticLoadBalancingV2Client(common),
      apigwv2: async () => ({
        client: new ApiGatewayV2Client(common),
        v2: await import('@aws-sdk/client-apigatewayv2')
      })
    }
  })
}

const by = (who: string) => (r: Recorded) => r.agent.includes(`run-${who}`)

/**
 * The same-second tests need moto's random ids to sort the late twin first, an even chance a trial: they
 * try until it does (two trials on average), failing only if 24 trials in a row miss (1 in 16 million).
 */
const TRIALS = 24

describe('8. races', () => {
  it('(a) two creates whose APIs are dated the same second keep the same API, whatever the timing', async () => {
    // the proxy dates APIs and answers to 2-second steps: both creates land in one "second",
    // and B's create is held until A has looked for twins once, so A's first look cannot see B's
    let adversarial = 0
    for (let trial = 1; trial <= TRIALS && adversarial === 0; trial++) {
      await freshAccount()
      aws.proxy.options.clockGranularitySeconds = 2
      await realSleep(2000 - (Date.now() % 2000) + 20)
      const aCreated = aws.proxy.answered(r => by('A')(r) && r.operation === 'POST /restapis')
      const aLooked = aCreated.then(c =>
        aws.proxy.answered(r => by('A')(r) && r.operation === 'GET /restapis' && r.start > (c.end ?? 0))
      )
      aws.proxy.options.fault = r =>
        by('B')(r) && r.operation === 'POST /restapis' ? { kind: 'hold', until: aLooked } : undefined
      const madeA: Created[] = []
      const madeB: Created[] = []
      const inputs = { 'load-balancer': publicLb.dnsName }
      const [a, b] = await Promise.all([runAs('A', inputs, madeA), runAs('B', inputs, madeB)])
      aws.proxy.options.fault = undefined
      aws.proxy.options.clockGranularitySeconds = undefined
      const [idA, idB] = [madeA[0]?.id, madeB[0]?.id]
      expect(idA && idB).toBeTruthy()
      // the timing the old rule lost to: B's twin sorts first, but A looked before it existed
      if (idB < idA) adversarial++
      expect(a.outputs['api-id']).toBe(b.outputs['api-id'])
      const state = await readGateway(aws.proxy.endpoint)
      expect(state.apis.map(x => x.id)).toEqual([a.outputs['api-id']])
      expectWholeGateway(state, publicLb, { internal: false })
    }
    expect(adversarial).toBe(1)
  }, 360_000)

  it('a run that found a new API before its same-second twin was listed names the API that remains', async () => {
    // the proxy dates APIs and answers to 2-second steps: every create lands in one "second".
    // A makes its gateway; B lists once A's stage is there and finds it alone and whole; only
    // then C makes a twin. Whichever of A's and C's sorts first is kept: the case that matters
    // is C's, which was not listed when B looked. A's delete of its own API waits until B is
    // done, so B cannot learn of the race from its API going away.
    let adversarial = 0
    for (let trial = 1; trial <= TRIALS && adversarial === 0; trial++) {
      await freshAccount()
      aws.proxy.options.clockGranularitySeconds = 2
      await realSleep(2000 - (Date.now() % 2000) + 20)
      const aStaged = aws.proxy.answered(r => by('A')(r) && r.operation === 'POST /restapis/{id}/stages')
      const bListed = aws.proxy.answered(r => by('B')(r) && r.operation === 'GET /restapis')
      let bDone: () => void = () => undefined
      const bFinished = new Promise<void>(resolve => (bDone = resolve))
      let bLists = 0
      aws.proxy.options.fault = r => {
        if (by('B')(r) && r.operation === 'GET /restapis' && bLists++ === 0)
          return { kind: 'hold', until: aStaged }
        if (by('C')(r) && r.operation === 'POST /restapis') return { kind: 'hold', until: bListed }
        if (by('A')(r) && r.operation === 'DELETE /restapis/{id}') return { kind: 'hold', until: bFinished }
        return undefined
      }
      const madeA: Created[] = []
      const madeC: Created[] = []
      const inputs = { 'load-balancer': publicLb.dnsName }
      const settled = await Promise.allSettled([
        runAs('A', inputs, madeA),
        runAs('B', inputs).finally(bDone),
        runAs('C', inputs, madeC)
      ])
      aws.proxy.options.fault = undefined
      aws.proxy.options.clockGranularitySeconds = undefined
      const runs = settled.map(s => {
        if (s.status === 'rejected') throw s.reason
        return s.value
      })
      const state = await readGateway(aws.proxy.endpoint)
      expect(state.apis).toHaveLength(1)
      const kept = state.apis[0].id
      // the timing the rule lost to: C's twin was kept, but B looked before it existed
      if (kept === madeC.find(m => m.kind === 'api')?.id) adversarial++
      expect(runs.map(r => r.outputs['api-id'])).toEqual([kept, kept, kept])
      expectWholeGateway(state, publicLb, { internal: false })
    }
    expect(adversarial).toBe(1)
  }, 480_000)

  it(
    '(b) a NotFound in the middle of an apply (another ' +
      'run replaced a method) is read again and re-planned',
    async () => {
      const inputs = { 'load-balancer': internalLb.dnsName }
      await runAs('setup', { ...inputs, cors: 'false' })
      // the next run adds the CORS methods; the first integration response it puts finds its method replaced
      let refused = 0
      aws.proxy.options.fault = r =>
        by('A')(r) && r.method === 'PUT' && /\/integration\/responses\//.test(r.path) && refused++ === 0
          ? {
              kind: 'status',
              status: 404,
              code: 'NotFoundException',
              message: 'Invalid Response status code specified'
            }
          : undefined
      const res = await runAs('A', inputs)
      aws.proxy.options.fault = undefined
      expect(refused).toBeGreaterThan(0)
      expect(res.outcome).toBe('updated')
      expectWholeGateway(await readGateway(aws.proxy.endpoint), internalLb, { internal: true })
      aws.proxy.clear()
      const again = await runAs('A', inputs)
      expect(again.outcome).toBe('unchanged')
      expect(aws.proxy.writes()).toEqual([])
    }
  )

  it('(b) a create cut short by a conflict after it made the API still reports it made it', async () => {
    let refused = 0
    aws.proxy.options.fault = r =>
      by('A')(r) && r.method === 'PUT' && /\/integration\/responses\//.test(r.path) && refused++ === 0
        ? { kind: 'status', status: 409, code: 'ConflictException', message: 'changed under you' }
        : undefined
    const made: Created[] = []
    const res = await runAs('A', { 'load-balancer': publicLb.dnsName }, made)
    aws.proxy.options.fault = undefined
    expect(refused).toBeGreaterThan(0)
    expect(res.outcome).toBe('created')
    expect(made.filter(m => m.kind === 'api').map(m => m.id)).toEqual([res.outputs['api-id']])
    expectWholeGateway(await readGateway(aws.proxy.endpoint), publicLb, { internal: false })
  })

  it.each([1, 2, 3])(
    '(b) four creates of one gateway at once all succeed and leave one whole gateway (try %i)',
    async () => {
      const inputs = { 'load-balancer': internalLb.dnsName }
      aws.proxy.options.latencyMs = 5
      const runs = await Promise.all(['A', 'B', 'C', 'D'].map(who => runAs(who, inputs)))
      aws.proxy.options.latencyMs = undefined
      const ids = new Set(runs.map(r => r.outputs['api-id']))
      expect(ids.size).toBe(1)
      const state = await readGateway(aws.proxy.endpoint)
      expect(state.apis.map(x => x.id)).toEqual([...ids])
      expectWholeGateway(state, internalLb, { internal: true })
    },
    120_000
  )

  it('two deletes at once of gateways sharing a link: the second to finish takes the link along', async () => {
    const g1 = await runAs('setup', { 'load-balancer': internalLb.dnsName, 'api-name': 'g1' })
    await runAs('setup', { 'load-balancer': internalLb.dnsName, 'api-name': 'g2' })
    // each sees the other's API still going through the link before either deletes its own
    const looked = (who: string) =>
      aws.proxy.answered(r => by(who)(r) && r.operation === 'GET /restapis/{id}/stages')
    const [d1Looked, d2Looked] = [looked('D1'), looked('D2')]
    aws.proxy.options.fault = r => {
      if (r.operation !== 'DELETE /restapis/{id}') return undefined
      if (by('D1')(r)) return { kind: 'hold', until: d2Looked }
      if (by('D2')(r)) return { kind: 'hold', until: d1Looked }
      return undefined
    }
    const [d1, d2] = await Promise.all([
      runAs('D1', { mode: 'delete', 'api-name': 'g1' }),
      runAs('D2', { mode: 'delete', 'api-name': 'g2' })
    ])
    aws.proxy.options.fault = undefined
    expect([d1.outcome, d2.outcome]).toEqual(['deleted', 'deleted'])
    expect([d1.outputs['vpc-link-id'], d2.outputs['vpc-link-id']]).toContain(g1.outputs['vpc-link-id'])
    const state = await readGateway(aws.proxy.endpoint, 'g1')
    expect(state.links).toEqual([])
  })

  it(
    'an answer lost on CreateRestApi is never matched to ' +
      "another run's API (delete-on-exit would delete it)",
    async () => {
      const inputs = { 'load-balancer': publicLb.dnsName }
      // B looks first and finds nothing; A makes the API meanwhile; B's create is then refused
      // with a server error that did not take effect
      const bLooked = aws.proxy.answered(r => by('B')(r) && r.operation === 'GET /restapis')
      let aDone: () => void = () => undefined
      const aFinished = new Promise<void>(resolve => (aDone = resolve))
      let refused = 0
      aws.proxy.options.fault = r => {
        if (!by('B')(r) || r.operation !== 'POST /restapis') return undefined
        return refused++ === 0 ? { kind: 'hold', until: aFinished } : undefined
      }
      const madeB: Created[] = []
      const b = runAs('B', inputs, madeB)
      await bLooked
      const a = await runAs('A', inputs)
      aws.proxy.options.fault = r =>
        by('B')(r) && r.operation === 'POST /restapis' && refused++ === 1
          ? { kind: 'status', status: 500, code: 'InternalFailure' }
          : undefined
      aDone()
      const bResult = await b
      aws.proxy.options.fault = undefined
      // B kept A's API (the older) but never took it for its own making
      expect(bResult.outputs['api-id']).toBe(a.outputs['api-id'])
      expect(madeB.map(m => m.id)).not.toContain(a.outputs['api-id'])
      const state = await readGateway(aws.proxy.endpoint)
      expect(state.apis.map(x => x.id)).toEqual([a.outputs['api-id']])
    },
    60_000
  )

  it(
    '(c) a create racing a delete of the same internal gateway ends in a clean state, ' +
      'never on a removed link',
    async () => {
      const inputs = { 'load-balancer': internalLb.dnsName }
      const first = await runAs('setup', inputs)
      const oldLink = first.outputs['vpc-link-id']
      // D deletes the API; C then finds no API but the old link, and means to reuse it; D deletes
      // the link only once C has listed it, and C puts its first integration only once D has
      const dDeletedApi = aws.proxy.answered(r => by('D')(r) && r.operation === 'DELETE /restapis/{id}')
      const cListedLinks = aws.proxy.answered(r => by('C')(r) && r.operation === 'GET /vpclinks')
      const dDeletedLink = aws.proxy.answered(r => by('D')(r) && r.operation === 'DELETE /vpclinks/{id}')
      aws.proxy.options.fault = r => {
        if (by('D')(r) && r.operation === 'DELETE /vpclinks/{id}')
          return { kind: 'hold', until: cListedLinks }
        if (by('C')(r) && r.method === 'PUT' && r.path.endsWith('/integration'))
          return { kind: 'hold', until: dDeletedLink }
        return undefined
      }
      const [d, c] = await Promise.all([
        runAs('D', { mode: 'delete' }),
        dDeletedApi.then(() => runAs('C', inputs))
      ])
      aws.proxy.options.fault = undefined
      expect(d.outcome).toBe('deleted')
      expect(c.outcome).toBe('created')
      // C did not stop on the link D removed: it made a new one and routes through it
      expect(c.outputs['vpc-link-id']).not.toBe(oldLink)
      const state = await readGateway(aws.proxy.endpoint)
      expect(state.links.map(l => l.id)).toEqual([c.outputs['vpc-link-id']])
      expectWholeGateway(state, internalLb, { internal: true })
    },
    60_000
  )
})
