/**
 * The scale scenario of `npm run bench`: N runs at once, each a create and then a delete of its own
 * gateway (internet-facing), in one simulated AWS account whose API Gateway limits every run
 * shares (__tests__/support/account.ts). For each N: whether every run succeeded, the wall time,
 * the limit-bound (the shortest time AWS's limits allow for that work), their ratio, and the
 * throttled answers per call that went through.
 *
 * "real": the bundled action as processes (dist/index.js under Node 24), real time, the proxy
 * adding the latency. "virtual": the same engine in one process per run on a virtual clock
 * (__tests__/support/virtual-time.ts), each call taking the latency in virtual time: how N = 20,
 * ten minutes and more of real time, is measured here in seconds.
 */
import { API_GATEWAY_LIMITS, SimulatedAccount } from '../__tests__/support/account.js'
import { createLoadBalancer } from '../__tests__/support/aws.js'
import type { Moto } from '../__tests__/support/moto.js'
import { startProxy, type Recorded } from '../__tests__/support/proxy.js'
import { runAction } from '../__tests__/support/run-action.js'
import { runOnVirtualClock, VirtualClock } from '../__tests__/support/virtual-time.js'
import { errorMessage } from '../src/base/errors.js'
import type { Log } from '../src/report/log.js'

export interface ScaleRow {
  n: number
  clock: 'real' | 'virtual'
  succeeded: number
  failures: string[]
  wallMs: number
  boundMs: number
  ratio: number
  /** Calls that went through (every service), and API Gateway's 429s. */
  calls: number
  throttled: number
  throttledPerCall: number
  /** The 429s by the limit that refused them ('all': the account-wide 10/s). */
  throttledBy: Record<string, number>
  /** The slowest run's create + delete, and the fastest's. */
  slowestRunMs: number
}

/** One run's shape, from an unthrottled run: calls per operation, and each op's place in the chain. */
export interface RunShape {
  /** The longest chain of calls, each started after the one before answered (create, then delete). */
  depth: number
  /** Per limited operation: how many a run makes, the chain before its first and after its last. */
  ops: Map<string, { count: number; before: number; after: number }>
  /** API Gateway calls a run makes. */
  apiGatewayCalls: number
}

/**
 * Chain depth of every request: 1 + the deepest request that answered before it started. Its
 * height: 1 + the highest request that started after it answered.
 */
function chains(requests: Recorded[]): { depth: Map<Recorded, number>; height: Map<Recorded, number> } {
  const done = requests.filter(r => r.end !== undefined)
  const depth = new Map<Recorded, number>()
  for (const r of [...done].sort((a, b) => a.start - b.start))
    depth.set(r, 1 + Math.max(0, ...done.filter(p => p.end! <= r.start).map(p => depth.get(p) ?? 0)))
  const height = new Map<Recorded, number>()
  for (const r of [...done].sort((a, b) => b.end! - a.end!))
    height.set(r, 1 + Math.max(0, ...done.filter(p => p.start >= r.end!).map(p => height.get(p) ?? 0)))
  return { depth, height }
}

export function runShape(requests: Recorded[]): RunShape {
  const { depth, height } = chains(requests)
  const ops = new Map<string, { count: number; before: number; after: number }>()
  for (const [op] of Object.entries(API_GATEWAY_LIMITS.byOperation)) {
    const mine = requests.filter(r => r.service === 'apigateway' && r.operation === op && depth.has(r))
    if (mine.length === 0) continue
    ops.set(op, {
      count: mine.length,
      before: Math.min(...mine.map(r => depth.get(r)!)) - 1,
      after: Math.min(...mine.map(r => height.get(r)!)) - 1
    })
  }
  return {
    depth: Math.max(0, ...depth.values()),
    ops,
    apiGatewayCalls: requests.filter(r => r.service === 'apigateway').length
  }
}

/**
 * The limit-bound for N runs of this shape: the longest of what each limit alone forces. A chain
 * of `depth` calls takes depth × latency; N × k calls of an operation allowed `perSecond` with a
 * burst need (N·k − burst) / perSecond between the first and the last, and each run's chain
 * before the first and after the last; all API Gateway calls share 10/s after a burst of 40.
 * No schedule can beat any one of these, so none can beat the largest: a lower bound.
 */
export function limitBoundMs(shape: RunShape, n: number, latencyMs: number): number {
  const path = shape.depth * latencyMs
  let bound = path
  for (const [op, s] of shape.ops) {
    const limit = API_GATEWAY_LIMITS.byOperation[op]
    const spread = (Math.max(0, n * s.count - limit.burst) / limit.perSecond) * 1000
    bound = Math.max(bound, (s.before + 1 + s.after) * latencyMs + spread)
  }
  const all = API_GATEWAY_LIMITS.all
  bound = Math.max(bound, (Math.max(0, n * shape.apiGatewayCalls - all.burst) / all.perSecond) * 1000)
  return bound
}

const quiet: Log = {
  info: () => {},
  debug: () => {},
  warning: () => {},
  notice: () => {},
  group: (_name, fn) => fn()
}

const throttledAnswer = (r: Recorded): boolean => r.injected?.startsWith('throttled') ?? false

/** N runs of the bundled action as processes, in real time. */
export async function scaleReal(
  moto: Moto,
  n: number,
  latencyMs: number
): Promise<{ row: ScaleRow; requests: Recorded[] }> {
  const account = new SimulatedAccount()
  const proxy = await startProxy(moto.endpoint, { latencyMs, emulateConflicts: false, account })
  try {
    const lb = await createLoadBalancer(moto.endpoint, { name: `scale-real-${n}`, scheme: 'internet-facing' })
    const failures: string[] = []
    const runTimes: number[] = []
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const name = `scale-real-${n}-${i}`
        const start = performance.now()
        const made = await runAction(
          { 'load-balancer': lb.dnsName, 'api-name': name },
          { endpoint: proxy.endpoint }
        )
        if (made.code !== 0) return void failures.push(`${name} create: ${made.errors.join('; ')}`)
        const gone = await runAction({ mode: 'delete', 'api-name': name }, { endpoint: proxy.endpoint })
        if (gone.code !== 0) return void failures.push(`${name} delete: ${gone.errors.join('; ')}`)
        runTimes.push(performance.now() - start)
      })
    )
    const broken = proxy.takeErrors()
    if (broken.length > 0) throw new Error(`scale: the proxy failed: ${broken[0].message}`)
    const requests = [...proxy.requests]
    // the AWS work, first call to last answer, as the virtual clock counts it (no process start-up)
    const wallMs = Math.max(...requests.map(r => r.end ?? r.start)) - Math.min(...requests.map(r => r.start))
    return { row: row(n, 'real', failures, runTimes, wallMs, requests, account), requests }
  } finally {
    await proxy.stop()
  }
}

/** N runs of the engine in this process, on a virtual clock. */
export async function scaleVirtual(
  moto: Moto,
  n: number,
  latencyMs: number,
  shape: RunShape
): Promise<ScaleRow> {
  const clock = new VirtualClock()
  const account = new SimulatedAccount(clock.now)
  const proxy = await startProxy(moto.endpoint, { emulateConflicts: false, account, clock: clock.now })
  try {
    const lb = await createLoadBalancer(moto.endpoint, {
      name: `scale-virtual-${n}`,
      scheme: 'internet-facing'
    })
    const failures: string[] = []
    const runTimes: number[] = []
    const t0 = clock.now()
    const engine = (inputs: Record<string, string>) =>
      runOnVirtualClock(clock, proxy.endpoint, inputs, { latencyMs, log: quiet })
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const name = `scale-virtual-${n}-${i}`
        const start = clock.now()
        try {
          await engine({ mode: 'create', 'load-balancer': lb.dnsName, 'api-name': name })
          await engine({ mode: 'delete', 'api-name': name })
          runTimes.push(clock.now() - start)
        } catch (error) {
          failures.push(`${name}: ${errorMessage(error)}`)
        }
      })
    )
    const wallMs = clock.now() - t0
    const broken = proxy.takeErrors()
    if (broken.length > 0) throw new Error(`scale: the proxy failed: ${broken[0].message}`)
    const r = row(n, 'virtual', failures, runTimes, wallMs, proxy.requests, account)
    r.boundMs = limitBoundMs(shape, n, latencyMs)
    r.ratio = wallMs / r.boundMs
    return r
  } finally {
    await proxy.stop()
  }
}

function row(
  n: number,
  clock: 'real' | 'virtual',
  failures: string[],
  runTimes: number[],
  wallMs: number,
  requests: Recorded[],
  account: SimulatedAccount
): ScaleRow {
  const calls = requests.filter(r => !throttledAnswer(r)).length
  const throttled = account.throttledTotal()
  return {
    n,
    clock,
    succeeded: n - failures.length,
    failures,
    wallMs,
    boundMs: 0,
    ratio: 0,
    calls,
    throttled,
    throttledPerCall: throttled / Math.max(1, calls),
    throttledBy: { ...account.stats.throttled },
    slowestRunMs: Math.max(0, ...runTimes)
  }
}
