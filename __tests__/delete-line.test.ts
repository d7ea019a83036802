/**
 * Deletes at once in one account, whose DeleteRestApi allows one call per 30 s (the proxy's
 * simulated account), on a virtual clock: runs line up and take the slot in turn, a run the line
 * puts past its timeout says so at once (before it deletes anything), the head of the line left by
 * a run that is gone is passed over, never touched, and an API the action did not make is no entry.
 */
import { describe, expect, it } from '@jest/globals'
import {
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetApiKeysCommand,
  GetUsagePlansCommand,
  TagResourceCommand
} from '@aws-sdk/client-api-gateway'
import { restApiArn } from '../src/aws/rest-api.js'
import { Tags } from '../src/base/constants.js'
import { lineTag } from '../src/engine/delete-line.js'
import { SimulatedAccount } from './support/account.js'
import { createLoadBalancer, REGION, testClients, type SeededLoadBalancer } from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { runOnVirtualClock, VirtualClock } from './support/virtual-time.js'

const aws = motoBehindProxy()

/** A virtual clock and a simulated account behind the proxy, with `names` made (the account untouched). */
async function accountWith(lb: SeededLoadBalancer, names: string[]) {
  const clock = new VirtualClock()
  aws.proxy.options.clock = clock.now
  for (const name of names)
    await runOnVirtualClock(clock, aws.proxy.endpoint, { 'load-balancer': lb.dnsName, 'api-name': name })
  const account = new SimulatedAccount(clock.now)
  aws.proxy.options.account = account
  const deletes = () => account.limited.filter(e => e.operation === 'DELETE /restapis/{id}')
  return { clock, account, deletes }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10

describe('the line of deletes', () => {
  it('takes the slot in turn: one DeleteRestApi each 30 s, no slot left idle, few 429s', async () => {
    aws.proxy.options.account = undefined
    const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'line', scheme: 'internet-facing' })
    const names = ['line-0', 'line-1', 'line-2', 'line-3']
    const { clock, deletes } = await accountWith(lb, names)
    const t0 = clock.now()
    const results = await Promise.all(
      names.map(name => runOnVirtualClock(clock, aws.proxy.endpoint, { mode: 'delete', 'api-name': name }))
    )
    expect(results.map(r => r.outcome)).toEqual(['deleted', 'deleted', 'deleted', 'deleted'])
    for (const name of names) expect((await readGateway(aws.moto.endpoint, name)).apis).toEqual([])
    const went = deletes()
      .filter(e => e.admitted)
      .map(e => e.at)
    expect(went).toHaveLength(4)
    const gaps = went.slice(1).map((at, i) => seconds(at - went[i]))
    // the first to wait has not seen the delete before it: it tries every 4 s; the others watch
    // the one ahead of them go, and try a second apart from 30 s after
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(30)
    expect(gaps[0]).toBeLessThanOrEqual(34.5)
    for (const gap of gaps.slice(1)) expect(gap).toBeLessThanOrEqual(32)
    expect(seconds(clock.now() - t0)).toBeLessThanOrEqual(3 * 30 + 4 + 2 + 3)
    // one refused try to find the slot taken, and a few at the head
    expect(deletes().filter(e => !e.admitted).length).toBeLessThanOrEqual(3 + 3 * 4)
  })

  it("fails a run the line puts past its 'timeout' at once, saying why", async () => {
    aws.proxy.options.account = undefined
    const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'late', scheme: 'internet-facing' })
    const names = ['late-0', 'late-1', 'late-2', 'late-3']
    const { clock } = await accountWith(lb, names)
    const t0 = clock.now()
    const ends = await Promise.all(
      names.map(name =>
        runOnVirtualClock(clock, aws.proxy.endpoint, {
          mode: 'delete',
          'api-name': name,
          timeout: '45'
        }).then(
          r => ({ ok: r.outcome === 'deleted', at: clock.now() - t0, message: '' }),
          (e: Error) => ({ ok: false, at: clock.now() - t0, message: e.message })
        )
      )
    )
    // first and second in line make it (now, and 30 s on); the third and fourth cannot before 60 s
    expect(ends.filter(e => e.ok)).toHaveLength(2)
    const late = ends.filter(e => !e.ok)
    expect(late).toHaveLength(2)
    for (const e of late) {
      expect(e.message).toMatch(/deletes? of REST APIs (is|are) ahead of \w+ in this account's line/)
      expect(e.message).toContain("past this run's 'timeout'")
      // said as soon as it is sure: at once two back, once 30 s from the deadline one back (it
      // looks every 3 s), never at the deadline itself
      expect(seconds(e.at)).toBeLessThan(45 - 30 + 3.5)
    }
    // and they leave the line, so that nobody behind them waits them out
    const left = await Promise.all(names.map(async n => (await readGateway(aws.proxy.endpoint, n)).api))
    expect(left.filter(Boolean).map(api => api.tags?.[Tags.DeleteQueued])).toEqual(['left', 'left'])
  })

  it('passes over a head of the line whose run is gone, and leaves that API as it is', async () => {
    aws.proxy.options.account = undefined
    const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'stale', scheme: 'internet-facing' })
    const { clock, deletes } = await accountWith(lb, ['stale-gone', 'stale-a', 'stale-b', 'stale-first'])
    const gone = (await readGateway(aws.moto.endpoint, 'stale-gone')).api.id!
    // a run that joined the line a while ago and then died: its API waits at the head for ever
    const { apigw } = testClients(aws.proxy.endpoint)
    await apigw.send(
      new TagResourceCommand({
        resourceArn: restApiArn(REGION, gone),
        tags: { [Tags.DeleteQueued]: lineTag(clock.now() - 10_000, clock.now() + 3_600_000) }
      })
    )
    const tagsOfGone = async () => (await readGateway(aws.proxy.endpoint, 'stale-gone')).api.tags
    const before = await tagsOfGone()
    expect(before?.[Tags.DeleteQueued]).toBeDefined()
    // another delete takes the slot; then these two find it taken and line up behind the dead one
    await runOnVirtualClock(clock, aws.proxy.endpoint, { mode: 'delete', 'api-name': 'stale-first' })
    const t0 = clock.now()
    const ends = await Promise.all(
      ['stale-a', 'stale-b'].map(name =>
        runOnVirtualClock(clock, aws.proxy.endpoint, { mode: 'delete', 'api-name': name }).then(r => ({
          outcome: r.outcome,
          at: seconds(clock.now() - t0)
        }))
      )
    )
    expect(ends.map(e => e.outcome)).toEqual(['deleted', 'deleted'])
    const [first, second] = ends.map(e => e.at).sort((a, b) => a - b)
    // the next in line watches the dead head for 75 s, then, first in line, tries every 4 s
    expect(first).toBeLessThanOrEqual(75 + 3 + 3 + 4 + 2)
    // the one behind it sees it go while the dead head stays, and does not wait the 75 s again
    expect(second - first).toBeLessThanOrEqual(30 + 3 + 2)
    expect(deletes().filter(e => !e.admitted).length).toBeLessThanOrEqual(2 + 6)
    // the dead run's API: never deleted, its tags as they were
    expect((await readGateway(aws.moto.endpoint, 'stale-gone')).apis).toHaveLength(1)
    expect(await tagsOfGone()).toEqual(before)
    // (out of the line, for the tests after this one)
    await apigw.send(
      new TagResourceCommand({ resourceArn: restApiArn(REGION, gone), tags: { [Tags.DeleteQueued]: 'left' } })
    )
  })

  it('passes over two dead runs at the head, and never counts a run whose deadline has passed', async () => {
    aws.proxy.options.account = undefined
    const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'dead', scheme: 'internet-facing' })
    const names = ['dead-1', 'dead-2', 'dead-expired', 'dead-mine', 'dead-first']
    const { clock } = await accountWith(lb, names)
    const { apigw } = testClients(aws.proxy.endpoint)
    const tag = async (name: string, value: string) =>
      apigw.send(
        new TagResourceCommand({
          resourceArn: restApiArn(REGION, (await readGateway(aws.moto.endpoint, name)).api.id!),
          tags: { [Tags.DeleteQueued]: value }
        })
      )
    const now = clock.now()
    // two runs killed while they waited (their deadline an hour away), one whose deadline passed
    await tag('dead-1', lineTag(now - 20_000, now + 3_600_000))
    await tag('dead-2', lineTag(now - 15_000, now + 3_600_000))
    await tag('dead-expired', lineTag(now - 900_000, now - 1_000))
    await runOnVirtualClock(clock, aws.proxy.endpoint, { mode: 'delete', 'api-name': 'dead-first' })
    const t0 = clock.now()
    const mine = await runOnVirtualClock(clock, aws.proxy.endpoint, {
      mode: 'delete',
      'api-name': 'dead-mine'
    })
    expect(mine.outcome).toBe('deleted')
    // 75 s with nothing ahead going, twice; never the expired one's turn
    expect(seconds(clock.now() - t0)).toBeLessThanOrEqual(2 * (75 + 30) + 10)
    for (const name of ['dead-1', 'dead-2', 'dead-expired'])
      expect((await readGateway(aws.moto.endpoint, name)).apis).toHaveLength(1)
    for (const name of ['dead-1', 'dead-2']) await tag(name, 'left')
  })

  it('takes an API a stopped delete left in the line out of it when create keeps it', async () => {
    aws.proxy.options.account = undefined
    const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'kept', scheme: 'internet-facing' })
    const { clock } = await accountWith(lb, ['kept'])
    aws.proxy.options.account = undefined
    const { apigw } = testClients(aws.proxy.endpoint)
    const id = (await readGateway(aws.moto.endpoint, 'kept')).api.id!
    await apigw.send(
      new TagResourceCommand({
        resourceArn: restApiArn(REGION, id),
        tags: { [Tags.DeleteQueued]: lineTag(clock.now(), clock.now() + 600_000) }
      })
    )
    const again = await runOnVirtualClock(clock, aws.proxy.endpoint, {
      'load-balancer': lb.dnsName,
      'api-name': 'kept'
    })
    expect(again.outcome).toBe('updated')
    expect((await readGateway(aws.proxy.endpoint, 'kept')).api.tags?.[Tags.DeleteQueued]).toBe('left')
  })

  /** Tags the APIs of `names` (made by the action) with `value`: waiting in the line, or 'left'. */
  async function queue(names: string[], value: string) {
    const { apigw } = testClients(aws.proxy.endpoint)
    for (const name of names)
      await apigw.send(
        new TagResourceCommand({
          resourceArn: restApiArn(REGION, (await readGateway(aws.moto.endpoint, name)).api.id!),
          tags: { [Tags.DeleteQueued]: value }
        })
      )
  }

  it('reads the line from APIs the action made only: hand-made ones tagged as waiting never stall it', async () => {
    aws.proxy.options.account = undefined
    const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'hand', scheme: 'internet-facing' })
    const { clock } = await accountWith(lb, ['hand-first', 'hand-mine'])
    // 31 APIs anyone who can tag an API made, each "waiting" for six hours
    const { apigw } = testClients(aws.moto.endpoint)
    const now = clock.now()
    const hand: string[] = []
    for (let i = 0; i < 31; i++) {
      const made = await apigw.send(
        new CreateRestApiCommand({
          name: `hand-made-${i}`,
          tags: { [Tags.DeleteQueued]: lineTag(now - 1_000, now + 6 * 3_600_000 - 2_000) }
        })
      )
      hand.push(made.id!)
    }
    try {
      // another delete takes the slot: this one finds it taken and lines up
      await runOnVirtualClock(clock, aws.proxy.endpoint, { mode: 'delete', 'api-name': 'hand-first' })
      const t0 = clock.now()
      const mine = await runOnVirtualClock(clock, aws.proxy.endpoint, {
        mode: 'delete',
        'api-name': 'hand-mine'
      })
      expect(mine.outcome).toBe('deleted')
      // first in line: it tries every 4 s until the slot opens, 30 s after the delete before it
      expect(seconds(clock.now() - t0)).toBeLessThanOrEqual(30 + 4 + 2)
      // and never touches them
      for (const id of hand)
        expect((await readGateway(aws.moto.endpoint, `hand-made-${hand.indexOf(id)}`)).apis).toHaveLength(1)
    } finally {
      for (const id of hand) await apigw.send(new DeleteRestApiCommand({ restApiId: id }))
    }
  })

  it('does not count toward its timeout an entry whose run will have stopped waiting before its turn', async () => {
    aws.proxy.options.account = undefined
    const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'brief', scheme: 'internet-facing' })
    const names = ['brief-1', 'brief-2', 'brief-3', 'brief-mine', 'brief-first']
    const { clock } = await accountWith(lb, names)
    // three runs of the action waiting, each for 5 s more: only the first can have a turn before it stops
    const waiting = ['brief-1', 'brief-2', 'brief-3']
    await queue(waiting, lineTag(clock.now() - 1_000, clock.now() + 5_000))
    try {
      await runOnVirtualClock(clock, aws.proxy.endpoint, { mode: 'delete', 'api-name': 'brief-first' })
      const mine = await runOnVirtualClock(clock, aws.proxy.endpoint, {
        mode: 'delete',
        'api-name': 'brief-mine',
        timeout: '45'
      })
      expect(mine.outcome).toBe('deleted')
      for (const name of waiting) expect((await readGateway(aws.moto.endpoint, name)).apis).toHaveLength(1)
    } finally {
      await queue(waiting, 'left')
    }
  })

  it('a run that gives up for a real line does so before it deletes anything', async () => {
    aws.proxy.options.account = undefined
    const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'real', scheme: 'internet-facing' })
    const { clock } = await accountWith(lb, ['real-1', 'real-2', 'real-first'])
    aws.proxy.options.account = undefined
    await runOnVirtualClock(clock, aws.proxy.endpoint, {
      'load-balancer': lb.dnsName,
      'api-name': 'real-mine',
      'api-keys': 'real-key'
    })
    aws.proxy.options.account = new SimulatedAccount(clock.now)
    // two runs waiting in line for an hour, and the slot just taken
    await queue(['real-1', 'real-2'], lineTag(clock.now(), clock.now() + 3_600_000))
    let writes: string[] | undefined
    try {
      await runOnVirtualClock(clock, aws.proxy.endpoint, { mode: 'delete', 'api-name': 'real-first' })
      aws.proxy.clear()
      await expect(
        runOnVirtualClock(clock, aws.proxy.endpoint, {
          mode: 'delete',
          'api-name': 'real-mine',
          timeout: '45'
        })
      ).rejects.toThrow(
        /2 deletes of REST APIs are ahead of \w+ in this account's line.*past this run's 'timeout'/
      )
      writes = aws.proxy.writes().map(w => w.operation)
    } finally {
      await queue(['real-1', 'real-2'], 'left')
    }
    // not one write: the gateway, its usage plan and its key are all there
    expect(writes).toEqual([])
    expect((await readGateway(aws.moto.endpoint, 'real-mine')).apis).toHaveLength(1)
    const { apigw } = testClients(aws.moto.endpoint)
    expect(((await apigw.send(new GetUsagePlansCommand({}))).items ?? []).map(p => p.name)).toContain(
      'real-mine-dev'
    )
    expect(((await apigw.send(new GetApiKeysCommand({}))).items ?? []).map(k => k.name)).toContain('real-key')
  })
})
