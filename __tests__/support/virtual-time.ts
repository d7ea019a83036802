/**
 * A virtual clock, to run many engines in one process against one simulated account in little
 * real time. Time moves only when every engine is waiting on it (a sleep), never while a call to
 * the emulator is under way: a call takes `latencyMs` of virtual time (slept before it is sent)
 * and none for the emulator's own work. The engines take `now` and `sleep` from it, and their
 * AWS clients go through `onVirtualClock` so that their calls hold the clock.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import * as v2 from '@aws-sdk/client-apigatewayv2'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { MiddlewareStack } from '@smithy/types'
import { runEngine, type RunResult } from '../../src/engine/engine.js'
import { memoryLog, type Log } from '../../src/report/log.js'
import { credentials, REGION } from './aws.js'
import { configFrom } from './inputs.js'

interface Timer {
  at: number
  seq: number
  resolve: () => void
}

export class VirtualClock {
  private t: number
  private timers: Timer[] = []
  private inFlight = 0
  private seq = 0
  private scheduled = false

  constructor(start = Date.now()) {
    this.t = start
  }

  readonly now = (): number => this.t

  readonly sleep = (ms: number): Promise<void> =>
    new Promise(resolve => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve })
      this.kick()
    })

  /** Real work (a call to the emulator) the clock must not move past while it lasts. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++
    try {
      return await work()
    } finally {
      this.inFlight--
      this.kick()
    }
  }

  /**
   * Moves to the next timer once nothing is in flight. It looks in a later turn of the event
   * loop, after the continuations of what just finished have run: by then every engine is either
   * sleeping or in a call again.
   */
  private kick(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      if (this.inFlight > 0 || this.timers.length === 0) return
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      this.t = Math.max(this.t, this.timers[0].at)
      const due = this.timers.filter(x => x.at <= this.t)
      this.timers = this.timers.filter(x => x.at > this.t)
      for (const d of due) d.resolve()
      // again, once what woke has run: it may have ended an engine without sleeping or calling
      this.kick()
    })
  }
}

/**
 * Every call of the client whose middleware stack this is sleeps `latencyMs` of virtual time, then
 * holds the clock until the emulator has answered (credentials, signing and the exchange inside).
 */
export function onVirtualClock<I extends object, O extends object>(
  clock: VirtualClock,
  latencyMs: number,
  stack: MiddlewareStack<I, O>
): void {
  stack.add(
    next => async args => {
      await clock.sleep(latencyMs)
      return clock.during(() => next(args))
    },
    { step: 'initialize', name: 'virtualLatency' }
  )
}

/**
 * One run of the engine on the virtual clock, with clients of its own (as each process has)
 * that talk to `endpoint` and take `latencyMs` a call; for the repository octo-org/cortex-app.
 */
export function runOnVirtualClock(
  clock: VirtualClock,
  endpoint: string,
  inputs: Record<string, string>,
  opts: { latencyMs?: number; log?: Log } = {}
): Promise<RunResult> {
  const latencyMs = opts.latencyMs ?? 40
  const common = { endpoint, region: REGION, credentials, maxAttempts: 1 }
  const apigw = new APIGatewayClient(common)
  const elb = new ElasticLoadBalancingV2Client(common)
  const apigwv2 = new v2.ApiGatewayV2Client(common)
  onVirtualClock(clock, latencyMs, apigw.middlewareStack)
  onVirtualClock(clock, latencyMs, elb.middlewareStack)
  onVirtualClock(clock, latencyMs, apigwv2.middlewareStack)
  const env = { GITHUB_REPOSITORY: 'octo-org/cortex-app', GITHUB_WORKFLOW: 'virtual' }
  return runEngine({
    config: configFrom({ region: REGION, ...inputs }, env),
    log: opts.log ?? memoryLog(),
    provenance: { repository: env.GITHUB_REPOSITORY, workflow: env.GITHUB_WORKFLOW },
    context: {
      now: clock.now,
      sleep: clock.sleep,
      apigw,
      elb,
      apigwv2: () => Promise.resolve({ client: apigwv2, v2 })
    }
  })
}
