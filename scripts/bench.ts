/**
 * `npm run bench`: the built action (dist/index.js under Node 24, run as the runner runs it)
 * against moto server behind a loopback proxy that adds a fixed latency to every AWS call, like
 * a real region. Prints one table and writes bench/results.json.
 *
 * For each scenario: AWS calls (reads, writes), the wall time of the AWS work (first call to
 * last answer), and its lower bound: the calls on the critical path (the longest chain of calls
 * each of which started after the previous one answered) times the latency. Also the cold start
 * (process start to first AWS call), the whole process time, dist/ size, and the guide's
 * procedure as a plain AWS CLI script for comparison when `aws` is on the machine.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLoadBalancer, credentials, REGION } from '../__tests__/support/aws.js'
import { startMoto } from '../__tests__/support/moto.js'
import { makeFunction, makePool } from '../__tests__/support/authorizer.js'
import { startProxy, type Recorded } from '../__tests__/support/proxy.js'
import { ROOT, runAction } from '../__tests__/support/run-action.js'
import { runShape, scaleReal, scaleVirtual, limitBoundMs, type ScaleRow } from './scale.js'

const execFileAsync = promisify(execFile)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40)
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3)
/** The canary's scenarios: made with a canary, its no-op re-run, its promotion; internet-facing and internal. */
async function canaryScenarios(
  measure: (
    scenario: string,
    inputs: Record<string, string>,
    before?: () => Promise<unknown>
  ) => Promise<unknown>,
  make: (inputs: Record<string, string>) => Promise<unknown>,
  del: (name: string) => Promise<unknown>,
  motoEndpoint: string,
  lbs: { publicLb: { dnsName: string }; internalLb: { dnsName: string } }
): Promise<void> {
  const next = {
    public: await createLoadBalancer(motoEndpoint, { name: 'bench-public-next', scheme: 'internet-facing' }),
    internal: await createLoadBalancer(motoEndpoint, { name: 'bench-internal-next', scheme: 'internal' })
  }
  for (const [kind, current, newer] of [
    ['internet-facing', lbs.publicLb, next.public],
    ['internal', lbs.internalLb, next.internal]
  ] as const) {
    const name = `bench-canary-${kind}`
    const canary = {
      'load-balancer': current.dnsName,
      'canary-load-balancer': newer.dnsName,
      'api-name': name
    }
    await measure(`create ${kind} with a canary`, canary, () => del(name))
    await measure(`no-op re-run ${kind} with a canary`, canary)
    await measure(`promote the canary, ${kind}`, { 'load-balancer': newer.dnsName, 'api-name': name }, () =>
      make(canary)
    )
    await del(name)
  }
}

/** BENCH_SCALE=0 skips the scale scenario, =only runs it alone; BENCH_SCALE_REAL=0 runs it all virtual. */
const SCALE = process.env.BENCH_SCALE ?? '1'
const SCALE_REAL = process.env.BENCH_SCALE_REAL !== '0'

interface Row {
  scenario: string
  calls: number
  reads: number
  writes: number
  criticalPath: number
  awsMs: number
  /** The issue's bound: calls on the critical path × latency. */
  boundMs: number
  ratio: number
  /** The critical path's calls as they took (latency + the emulator's work). */
  pathMs: number
  pathRatio: number
  processMs: number
  coldStartMs: number
}

/**
 * The critical path: chains of calls in which each starts after the previous one answered. Its
 * length in calls (the longest chain), and in time (the chain whose calls took longest, each call
 * timed at the proxy: latency plus the emulator's own work). No client can beat the second.
 */
function criticalPath(requests: Recorded[]): { calls: number; ms: number } {
  const done = requests.filter(r => r.end !== undefined).sort((a, b) => a.end! - b.end!)
  const calls = new Map<Recorded, number>()
  const ms = new Map<Recorded, number>()
  for (const r of done) {
    let c = 0
    let t = 0
    for (const p of done) {
      if (p.end! > r.start) break
      c = Math.max(c, calls.get(p)!)
      t = Math.max(t, ms.get(p)!)
    }
    calls.set(r, c + 1)
    ms.set(r, t + (r.end! - r.start))
  }
  return { calls: Math.max(0, ...calls.values()), ms: Math.max(0, ...ms.values()) }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function dirSize(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0)
}

/**
 * N concurrent runs (create, then delete) in one simulated account, for N = 1, 5 and 20: N = 1
 * and 5 as processes in real time (5 also virtual, to show the two agree), 20 on the virtual clock.
 * Prints a table and writes bench/scale.json.
 */
async function scale(moto: Awaited<ReturnType<typeof startMoto>>): Promise<void> {
  const rows: ScaleRow[] = []
  const one = await scaleReal(moto, 1, LATENCY_MS)
  const shape = runShape(one.requests)
  const withBound = (r: ScaleRow): ScaleRow => {
    const boundMs = limitBoundMs(shape, r.n, LATENCY_MS)
    return { ...r, boundMs, ratio: r.wallMs / boundMs }
  }
  rows.push(withBound(one.row))
  if (SCALE_REAL) rows.push(withBound((await scaleReal(moto, 5, LATENCY_MS)).row))
  for (const n of [1, 5, 20]) rows.push(await scaleVirtual(moto, n, LATENCY_MS, shape))
  const header = [
    'N',
    'clock',
    'all succeeded',
    'wall time',
    'limit-bound',
    'ratio',
    'calls through',
    '429s',
    '429s per call'
  ]
  const s = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(1)} s`)
  console.log(
    `\nScale: N runs at once (each a create, then a delete, internet-facing) in one simulated account ` +
      `(API Gateway's limits as shared token buckets), ${LATENCY_MS} ms a call; ` +
      `a run's chain: ${shape.depth} calls, ${shape.apiGatewayCalls} to API Gateway\n`
  )
  console.log(
    [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map(
        r =>
          `| ${r.n} | ${r.clock} | ${r.succeeded === r.n ? 'yes' : `no: ${r.succeeded} of ${r.n}`} ` +
          `| ${s(r.wallMs)} | ${s(r.boundMs)} | ${r.ratio.toFixed(2)}× | ${r.calls} | ${r.throttled} ` +
          `| ${r.throttledPerCall.toFixed(2)} |`
      )
    ].join('\n')
  )
  mkdirSync(join(ROOT, 'bench'), { recursive: true })
  writeFileSync(
    join(ROOT, 'bench', 'scale.json'),
    JSON.stringify({ latencyMs: LATENCY_MS, rows }, null, 2) + '\n'
  )
  for (const r of rows) for (const f of r.failures) console.log(`  N = ${r.n} (${r.clock}) failed: ${f}`)
  for (const r of rows)
    if (r.throttled > 0)
      console.log(
        `  N = ${r.n} (${r.clock}) 429s by limit: ` +
          Object.entries(r.throttledBy)
            .map(([limit, count]) => `${limit} ${count}`)
            .join(', ')
      )
}

/**
 * The inputs of every REST setting; the account gets API Gateway's CloudWatch role and a web ACL to
 * associate, as a real account would have them.
 */
async function everySetting(endpoint: string): Promise<Record<string, string>> {
  const { APIGatewayClient, UpdateAccountCommand } = await import('@aws-sdk/client-api-gateway')
  const { WAFV2Client, CreateWebACLCommand } = await import('@aws-sdk/client-wafv2')
  const common = { endpoint, region: REGION, credentials, maxAttempts: 1 }
  await new APIGatewayClient(common).send(
    new UpdateAccountCommand({
      patchOperations: [
        { op: 'replace', path: '/cloudwatchRoleArn', value: 'arn:aws:iam::123456789012:role/logs' }
      ]
    })
  )
  const acl = await new WAFV2Client(common).send(
    new CreateWebACLCommand({
      Name: 'bench',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: {
        SampledRequestsEnabled: false,
        CloudWatchMetricsEnabled: false,
        MetricName: 'bench'
      }
    })
  )
  return {
    throttle: '100/200',
    'api-keys': 'customer-a, customer-b',
    'api-key-quota': '100000/month',
    'api-key-throttle': '20/40',
    'binary-media-types': 'image/png, image/jpeg',
    'integration-timeout': '20000',
    'access-log-destination': `arn:aws:logs:${REGION}:123456789012:log-group:bench-access`,
    'logging-level': 'INFO',
    metrics: 'true',
    tracing: 'true',
    'resource-policy': JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }
      ]
    }),
    'allowed-source-ips': '203.0.113.0/24',
    'web-acl-arn': acl.Summary?.ARN ?? ''
  }
}

async function main(): Promise<void> {
  const moto = await startMoto()
  if (SCALE === 'only') {
    try {
      await scale(moto)
    } finally {
      await moto.stop()
    }
    return
  }
  // no 409 emulation here: it reads moto before some writes, which AWS does not
  const proxy = await startProxy(moto.endpoint, { latencyMs: LATENCY_MS, emulateConflicts: false })
  const rows: Row[] = []
  try {
    const publicLb = await createLoadBalancer(moto.endpoint, {
      name: 'bench-public',
      scheme: 'internet-facing'
    })
    const internalLb = await createLoadBalancer(moto.endpoint, { name: 'bench-internal', scheme: 'internal' })
    const internalAlb = await createLoadBalancer(moto.endpoint, {
      name: 'bench-alb',
      scheme: 'internal',
      type: 'application'
    })

    const measure = async (
      scenario: string,
      inputs: Record<string, string>,
      before?: () => Promise<unknown>
    ) => {
      const samples: Row[] = []
      for (let i = 0; i < REPEAT; i++) {
        if (before) await before()
        proxy.clear()
        let spawned = 0
        const t0 = performance.now()
        const res = await runAction(inputs, {
          endpoint: proxy.endpoint,
          onSpawn: () => (spawned = performance.now())
        })
        const processMs = performance.now() - t0
        if (res.code !== 0) throw new Error(`${scenario} failed: ${res.errors.join('; ')}\n${res.stdout}`)
        const broken = proxy.takeErrors()
        if (broken.length > 0) throw new Error(`${scenario}: the proxy failed: ${broken[0].message}`)
        const reqs = [...proxy.requests]
        const first = Math.min(...reqs.map(r => r.start))
        const last = Math.max(...reqs.map(r => r.end ?? r.start))
        const cp = criticalPath(reqs)
        samples.push({
          scenario,
          calls: reqs.length,
          reads: reqs.filter(r => !r.write).length,
          writes: reqs.filter(r => r.write).length,
          criticalPath: cp.calls,
          awsMs: last - first,
          boundMs: cp.calls * LATENCY_MS,
          ratio: (last - first) / (cp.calls * LATENCY_MS),
          pathMs: cp.ms,
          pathRatio: (last - first) / cp.ms,
          processMs,
          coldStartMs: first - spawned
        })
      }
      const pick = (k: keyof Row) => median(samples.map(s => s[k] as number))
      const row: Row = {
        ...samples[0],
        awsMs: pick('awsMs'),
        ratio: pick('ratio'),
        pathMs: pick('pathMs'),
        pathRatio: pick('pathRatio'),
        processMs: pick('processMs'),
        coldStartMs: pick('coldStartMs')
      }
      rows.push(row)
      return row
    }

    const pub = { 'load-balancer': publicLb.dnsName, 'api-name': 'bench-public' }
    const int = { 'load-balancer': internalLb.dnsName, 'api-name': 'bench-internal' }
    const del = (name: string) =>
      runAction({ mode: 'delete', 'api-name': name }, { endpoint: proxy.endpoint })
    const make = (inputs: Record<string, string>) => runAction(inputs, { endpoint: proxy.endpoint })

    await measure('create internet-facing', pub, () => del('bench-public'))
    await measure('create internal', int, () => del('bench-internal'))
    const alb = { 'load-balancer': internalAlb.dnsName, 'api-name': 'bench-alb' }
    await measure('create internal ALB (VPC link v2)', alb, () => del('bench-alb'))
    await measure('no-op re-run internet-facing', pub)
    await measure('no-op re-run internal', int)
    let auth = 'NONE'
    await measure('update (authorization changed)', { ...pub, authorization: 'AWS_IAM' }, async () => {
      // flip back first so every repetition is a real change
      auth = auth === 'NONE' ? 'AWS_IAM' : 'NONE'
      await make({ ...pub, authorization: 'NONE' })
    })
    // every REST setting at once (issue: what teams choose REST API Gateway for)
    const settings = { ...pub, 'api-name': 'bench-settings', ...(await everySetting(moto.endpoint)) }
    await measure('create with every setting', settings, () => del('bench-settings'))
    await measure('no-op re-run with every setting', settings)
    // every setting with an authorizer at the door: a Cognito one, a Lambda one (its statement on the function)
    const door = {
      ...settings,
      'api-name': 'bench-door',
      authorization: 'COGNITO_USER_POOLS',
      'cognito-user-pool-arns': await makePool(moto.endpoint, 'bench-callers'),
      'authorization-scopes': 'models/invoke'
    }
    await make(door)
    await measure('no-op re-run with every setting and a Cognito authorizer', door)
    const lambdaDoor = {
      ...settings,
      'api-name': 'bench-door',
      authorization: 'CUSTOM',
      'authorizer-lambda-arn': await makeFunction(moto.endpoint, 'bench-authorizer')
    }
    await measure('update (Cognito authorizer to a Lambda one)', lambdaDoor, () => make(door))
    await measure('no-op re-run with every setting and a Lambda authorizer', lambdaDoor)
    await del('bench-door')
    await measure('delete internet-facing', { mode: 'delete', 'api-name': 'bench-public' }, () => make(pub))
    await measure('delete internal', { mode: 'delete', 'api-name': 'bench-internal' }, () => make(int))
    // a new cluster given a share, kept on a re-run, then promoted (the old cluster's link going with it)
    await canaryScenarios(measure, make, del, moto.endpoint, { publicLb, internalLb })

    // the same procedure as users script it, when the AWS CLI is here
    let cli: { ms: number; calls: number; ratio: number } | undefined
    if (process.env.BENCH_CLI !== '0' && spawnSync('aws', ['--version']).status === 0) {
      const samples: number[] = []
      let calls = 0
      for (let i = 0; i < REPEAT; i++) {
        proxy.clear()
        const t0 = performance.now()
        // asynchronously: the proxy answering the CLI lives in this process
        await execFileAsync(
          'bash',
          [join(ROOT, 'scripts', 'guide-cli.sh'), `bench-cli-${i}`, publicLb.dnsName],
          {
            env: {
              ...process.env,
              AWS_ENDPOINT_URL: proxy.endpoint,
              AWS_ACCESS_KEY_ID: credentials.accessKeyId,
              AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
              AWS_REGION: REGION,
              AWS_DEFAULT_REGION: REGION,
              AWS_PAGER: ''
            }
          }
        )
        samples.push(performance.now() - t0)
        calls = proxy.requests.length
      }
      const ms = median(samples)
      const action = rows.find(r => r.scenario === 'create internet-facing')!
      cli = { ms, calls, ratio: ms / action.processMs }
    }

    const distBytes = dirSize(join(ROOT, 'dist'))
    const indexBytes = statSync(join(ROOT, 'dist', 'index.js')).size
    const nodeVersion = execFileSync(join(ROOT, 'node_modules', 'node', 'bin', 'node'), ['--version'], {
      encoding: 'utf8'
    }).trim()

    const header = [
      'scenario',
      'calls (r/w)',
      'critical path',
      'AWS time',
      'bound (path × latency)',
      'ratio',
      'path as timed',
      'ratio',
      'process',
      'cold start'
    ]
    const table = [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map(
        r =>
          `| ${r.scenario} | ${r.calls} (${r.reads}/${r.writes}) | ${r.criticalPath} ` +
          `| ${Math.round(r.awsMs)} ms | ${r.boundMs} ms | ${r.ratio.toFixed(2)}× ` +
          `| ${Math.round(r.pathMs)} ms | ${r.pathRatio.toFixed(2)}× ` +
          `| ${Math.round(r.processMs)} ms | ${Math.round(r.coldStartMs)} ms |`
      )
    ]
    console.log(
      `\nLatency ${LATENCY_MS} ms a call, median of ${REPEAT} runs, ${nodeVersion}; ` +
        `dist/ ${(distBytes / 1024).toFixed(0)} KiB (index.js ${(indexBytes / 1024).toFixed(0)} KiB)\n`
    )
    console.log(table.join('\n'))
    if (cli) {
      console.log(
        '\nThe guide as an AWS CLI script (scripts/guide-cli.sh, internet-facing, only /{proxy+}): ' +
          `${cli.calls} calls, ${Math.round(cli.ms)} ms; ` +
          `${cli.ratio.toFixed(1)}× the action's create`
      )
    } else {
      console.log('\n(no aws CLI on this machine: the guide-as-CLI comparison is skipped)')
    }
    if (SCALE !== '0') await scale(moto)
    mkdirSync(join(ROOT, 'bench'), { recursive: true })
    const out = join(ROOT, 'bench', 'results.json')
    writeFileSync(
      out,
      JSON.stringify(
        {
          latencyMs: LATENCY_MS,
          repeat: REPEAT,
          node: nodeVersion,
          distBytes,
          indexBytes,
          rows,
          awsCli: cli ?? null
        },
        null,
        2
      ) + '\n'
    )
    console.log(`\nWritten to ${out}`)
  } finally {
    await proxy.stop()
    await moto.stop()
  }
}

await main()
