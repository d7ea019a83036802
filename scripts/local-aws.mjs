#!/usr/bin/env node
/**
 * `npm run local-aws`: a local AWS that behaves like AWS, for the command line and `npm run local-action`.
 * Starts moto server on a free loopback port behind the tests' proxy (which answers as AWS does where moto
 * does not: tags set after creation, binary media types, 409s, an integration's VPC link, ...), seeds an
 * internet-facing and an internal NLB in moto's default VPC, and prints the environment to export, as lines
 * a shell can eval (every other line a comment), then waits. Ctrl-C stops the proxy and moto server.
 *
 * The test support is TypeScript: this runs under Node 24 (the `node` devDependency, which `npm run` puts
 * first on PATH), whose type stripping loads it as it is. Progress and errors go to stderr.
 */
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2'
import { createServer } from 'node:net'
import { parseArgs } from 'node:util'
import { MotoServerError } from './moto-server.mjs'

const USAGE = `Usage: npm run local-aws [-- [--port N] [--region R]]

Starts moto server behind the test proxy on 127.0.0.1:N (default 4566; 0 for any free port), seeds an
internet-facing and an internal NLB, prints the environment to export and example commands, and runs
until Ctrl-C, which stops moto server too.`

/** What a user typed, on one line: a line break or another control written as an escape, never as itself. */
const typed = text =>
  String(text).replace(/[\p{Cc}\u2028\u2029]/gu, c =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )

const fail = (message, code = 1) => {
  process.stderr.write(`local-aws: ${message}\n`)
  process.exit(code)
}

if (!process.features.typescript) {
  fail(
    `Node ${process.version} cannot load the TypeScript test support: ` +
      "run it as npm run local-aws (the project's Node 24), or with Node 22.18 or later"
  )
}
// the support files import each other as jest does, by the '.js' their compiled form would have: here, where
// Node strips the types of the '.ts' itself, such an import is resolved to the '.ts' beside it
const { registerHooks } = await import('node:module')
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('.') || !specifier.endsWith('.js'))
        throw error
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
    }
  }
})
const { createLoadBalancer, credentials, REGION, testClients } = await import('../__tests__/support/aws.ts')
const { startMoto } = await import('../__tests__/support/moto.ts')
const { startProxy } = await import('../__tests__/support/proxy.ts')

let args
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      region: { type: 'string', default: REGION },
      help: { type: 'boolean', short: 'h' }
    }
  }).values
} catch (error) {
  fail(`${typed(error.message)}\n${USAGE}`, 2)
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
const port = Number(args.port)
if (!/^\d+$/.test(args.port) || port > 65535)
  fail(`--port: "${typed(args.port)}" is not a port (0 to 65535)`, 2)
if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region))
  fail(`--region: "${typed(args.region)}" is not an AWS region`, 2)
const region = args.region

const taken = () =>
  `port ${port} on 127.0.0.1 is taken: pass another (npm run local-aws -- --port N), or 0 for any free one`
// a port taken is told before moto server starts (which takes seconds)
if (port !== 0) {
  const probe = createServer()
  await new Promise(resolve => {
    probe.once('error', error => fail(error.code === 'EADDRINUSE' ? taken() : error.message))
    probe.listen(port, '127.0.0.1', () => probe.close(resolve))
  })
}

let moto
try {
  // MOTO_SERVER, PATH, or the project's .venv/ (installed there on first use)
  moto = await startMoto()
} catch (error) {
  fail(error instanceof MotoServerError ? error.message : `moto server did not start: ${error.message}`)
}

let proxy
try {
  proxy = await startProxy(moto.endpoint, { port })
} catch (error) {
  await moto.stop()
  fail(error.code === 'EADDRINUSE' ? taken() : `the proxy did not start: ${error.message}`)
}

// the proxy records every request for the tests: here nobody reads them, so they go; its own failures (a
// test bug, never an AWS answer) are told. A parent gone (npm killed: it passes no signal on) stops it all.
const parent = process.ppid
const housekeeping = setInterval(() => {
  if (process.ppid !== parent) void stop('the process that started it is gone')
  proxy.clear()
  for (const error of proxy.takeErrors())
    process.stderr.write(`local-aws: the proxy failed: ${error.message}\n`)
}, 5_000)

let stopping = false
const stop = async (why, code = 0) => {
  if (stopping) return
  stopping = true
  process.stderr.write(`local-aws: ${why}: stopping the proxy and moto server\n`)
  clearInterval(housekeeping)
  await proxy.stop()
  await moto.stop()
  process.exit(code)
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal))
// a reader gone (| head) is no reason to crash
process.stdout.on('error', () => undefined)

let seeded
try {
  const [publicLb, internalLb] = [
    await createLoadBalancer(moto.endpoint, { name: 'cortex-public', scheme: 'internet-facing', region }),
    await createLoadBalancer(moto.endpoint, { name: 'cortex-internal', scheme: 'internal', region })
  ]
  const subnets = await testClients(moto.endpoint, region).ec2.send(
    new DescribeSubnetsCommand({ SubnetIds: publicLb.subnetIds })
  )
  seeded = { publicLb, internalLb, vpc: subnets.Subnets?.[0]?.VpcId ?? '?' }
} catch (error) {
  process.stderr.write(`local-aws: could not seed moto server: ${error.message}\n`)
  await stop('error', 1)
}

const { publicLb, internalLb, vpc } = seeded
const cli = 'npx cortex-rest-gateway'
process.stdout.write(
  [
    '# A local AWS: moto server behind the test proxy, which answers as AWS does where moto does not.',
    '# In another shell, export these (or eval them), then run the command line or npm run local-action:',
    `export AWS_ENDPOINT_URL=${proxy.endpoint}`,
    `export AWS_REGION=${region}`,
    `export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
    `export CORTEX_PUBLIC_NLB=${publicLb.dnsName}`,
    `export CORTEX_INTERNAL_NLB=${internalLb.dnsName}`,
    `# VPC ${vpc}, subnets ${publicLb.subnetIds.join(' ')}: NLBs ${publicLb.name} (internet-facing) and ` +
      `${internalLb.name} (internal)`,
    `# moto server: ${moto.endpoint} (pid ${moto.pid}), stopped with this`,
    '#',
    '# Try:',
    `#   ${cli} create --load-balancer "$CORTEX_PUBLIC_NLB" --api-name local-public --tags team=ml`,
    `#   ${cli} create --load-balancer "$CORTEX_PUBLIC_NLB" --api-name local-public   # again: nothing to do`,
    `#   ${cli} create --load-balancer "$CORTEX_INTERNAL_NLB" --api-name local-internal`,
    `#   ${cli} delete --api-name local-public`,
    '#   npm run local-action   # with the export lines above in .env (without "export"), and',
    '#                          # INPUT_LOAD-BALANCER=<an NLB above> (see .env.example)',
    '# When done: unset AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
    '#',
    '# Ready. Ctrl-C stops the proxy and moto server.',
    ''
  ].join('\n')
)
