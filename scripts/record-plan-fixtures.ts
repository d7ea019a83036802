/**
 * Records "what AWS holds" for plan.unit.test.ts, once: for each case below, the action (the engine, as a run
 * makes it) builds a gateway in moto server behind the test proxy (which answers as AWS does where moto
 * does not), then the discovery a re-run makes reads it back, and what it read — the load balancer, the
 * same-named APIs, the API's resources, methods and integrations, its stage and the description of the
 * deployment the stage serves, the VPC links — is written to __tests__/fixtures/plan/<case>.json.
 *
 * Re-record (after a deliberate change of what the action builds; then read the diff):
 *   npx tsc -p scripts/tsconfig.record.json && cp scripts/moto-server.mjs .bench/scripts/ \
 *     && node .bench/scripts/record-plan-fixtures.js && npx prettier --write __tests__/fixtures/plan/*.json
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeClients } from '../src/aws/clients.js'
import { realSleep, type AwsContext } from '../src/aws/context.js'
import { discoverCreate } from '../src/engine/discover.js'
import { runEngine } from '../src/engine/engine.js'
import type { CreateConfig } from '../src/config/inputs.js'
import { memoryLog } from '../src/report/log.js'
import { createLoadBalancer, credentials, REGION } from '../__tests__/support/aws.js'
import { configFrom } from '../__tests__/support/inputs.js'
import { startMoto } from '../__tests__/support/moto.js'
import { startProxy } from '../__tests__/support/proxy.js'
import { ROOT } from '../__tests__/support/run-action.js'

/** Each case: the load balancer the gateway fronts, and the inputs it is made with (besides that one). */
const CASES: {
  name: string
  scheme: 'internet-facing' | 'internal'
  securityGroups?: boolean
  inputs: Record<string, string>
}[] = [
  { name: 'internet-facing', scheme: 'internet-facing', inputs: {} },
  {
    name: 'internet-facing-iam-no-cors',
    scheme: 'internet-facing',
    inputs: { authorization: 'AWS_IAM', cors: 'false' }
  },
  { name: 'internet-facing-timeout', scheme: 'internet-facing', inputs: { 'integration-timeout': '10000' } },
  { name: 'internal-v1', scheme: 'internal', inputs: {} },
  { name: 'internal-v2', scheme: 'internal', securityGroups: true, inputs: { 'vpc-link-version': 'v2' } }
]

const OUT = join(ROOT, '__tests__', 'fixtures', 'plan')

const moto = await startMoto()
const proxy = await startProxy(moto.endpoint)
Object.assign(process.env, {
  AWS_ENDPOINT_URL: proxy.endpoint,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey
})
try {
  mkdirSync(OUT, { recursive: true })
  for (const c of CASES) {
    await moto.reset()
    proxy.forget()
    const lb = await createLoadBalancer(moto.endpoint, {
      name: 'cortex',
      scheme: c.scheme,
      securityGroups: c.securityGroups
    })
    const inputs = { 'load-balancer': lb.dnsName, region: REGION, ...c.inputs }
    const config = configFrom(inputs) as CreateConfig
    const made = await runEngine({ config, log: memoryLog(), provenance: {} })
    if (made.outcome !== 'created') throw new Error(`${c.name}: the action did not create the gateway`)
    const clients = makeClients(REGION)
    const ctx: AwsContext = {
      ...clients,
      region: REGION,
      log: memoryLog(),
      deadline: Date.now() + 60_000,
      now: Date.now,
      sleep: realSleep,
      random: Math.random,
      calls: [],
      readOnly: true
    }
    const found = await discoverCreate(ctx, config)
    const fixture = {
      recorded: 'by scripts/record-plan-fixtures.ts (see there how to re-record): do not edit by hand',
      inputs,
      discovery: {
        loadBalancer: found.loadBalancer,
        sameName: found.sameName,
        api: found.api,
        vpcLinks: found.vpcLinks,
        gatewayResponses: found.gatewayResponses
      }
    }
    writeFileSync(join(OUT, `${c.name}.json`), `${JSON.stringify(fixture, null, 2)}\n`)
    console.log(`${c.name}: ${made.steps.length} steps made it; recorded`)
  }
} finally {
  await proxy.stop()
  await moto.stop()
}
