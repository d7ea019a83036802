#!/usr/bin/env node
// Demo on a fresh machine, no AWS account needed: starts moto server on loopback, makes an
// internet-facing and an internal NLB, runs the bundled action (create, then delete) the way the
// runner does, prints the invoke URLs, and stops moto.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2'
import {
  CreateLoadBalancerCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { resolveMotoServer } from './moto-server.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const region = 'us-west-2'
const credentials = { accessKeyId: 'demo', secretAccessKey: 'demo' }

const port = await new Promise(resolve => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const p = srv.address().port
    srv.close(() => resolve(p))
  })
})
const endpoint = `http://127.0.0.1:${port}`
let motoServer
try {
  // MOTO_SERVER, PATH, or the project's .venv/ (installed there on first use)
  motoServer = resolveMotoServer()
} catch (error) {
  console.error(error.message)
  process.exit(1)
}
const moto = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' })
moto.on('error', e => {
  console.error(`could not start ${motoServer}: ${e.message}`)
  process.exit(1)
})
try {
  for (let i = 0; ; i++) {
    try {
      await fetch(`${endpoint}/moto-api/reset`)
      break
    } catch {
      if (i > 300) throw new Error('moto_server did not start')
      await new Promise(r => setTimeout(r, 100))
    }
  }
  const ec2 = new EC2Client({ endpoint, region, credentials })
  const elb = new ElasticLoadBalancingV2Client({ endpoint, region, credentials })
  const subnets = (
    await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))
  ).Subnets
  const makeLb = async (Name, Scheme) =>
    (
      await elb.send(
        new CreateLoadBalancerCommand({
          Name,
          Scheme,
          Type: 'network',
          Subnets: subnets.slice(0, 2).map(s => s.SubnetId)
        })
      )
    ).LoadBalancers[0].DNSName

  const action = inputs => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-demo-'))
    const output = join(dir, 'output')
    // the files the runner provides to every step
    for (const f of ['output', 'state', 'summary']) writeFileSync(join(dir, f), '')
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'demo',
      AWS_SECRET_ACCESS_KEY: 'demo',
      GITHUB_OUTPUT: output,
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary')
    }
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
    const node = join(root, 'node_modules', 'node', 'bin', 'node')
    const res = spawnSync(node, [join(root, 'dist', 'index.js')], { env, encoding: 'utf8' })
    const shown = res.stdout
      .split('\n')
      .filter(l => l && !l.startsWith('::debug::') && !l.startsWith('::group') && !l.startsWith('::endgroup'))
    console.log(shown.map(l => `    ${l}`).join('\n'))
    if (res.status !== 0) {
      // (a crash prints a line of the minified bundle: leave those out)
      const said = `${res.stderr}\n${res.stdout}`.split('\n').filter(l => l && l.length < 400)
      throw new Error(`the action failed (exit ${res.status}):\n${said.join('\n')}`)
    }
    const text = readFileSync(output, 'utf8')
    return Object.fromEntries([...text.matchAll(/^([\w-]+)<<(.+)\n([\s\S]*?)\n\2$/gm)].map(m => [m[1], m[3]]))
  }
  const defaults = {
    mode: 'create',
    scheme: 'auto',
    stage: 'dev',
    'api-name': 'cortex',
    'endpoint-type': 'REGIONAL',
    authorization: 'NONE',
    cors: 'true',
    timeout: '900'
  }

  for (const [scheme, name] of [
    ['internet-facing', 'cortex-api-public'],
    ['internal', 'cortex-api-private']
  ]) {
    const dns = await makeLb(name, scheme)
    const apiName = `demo-${scheme}`
    console.log(`\n== create (${scheme} NLB ${dns})`)
    const out = action({ ...defaults, 'api-name': apiName, 'load-balancer': `http://${dns}/` })
    console.log(`\n   invoke-url: ${out['invoke-url']}   vpc-link-id: ${out['vpc-link-id'] || '-'}`)
    console.log(
      scheme === 'internal'
        ? "\n== create again (moto forgets an integration's VPC link id, " +
            'so here the two proxied methods are re-put; on AWS nothing changes, as the tests show)'
        : '\n== create again (nothing changes)'
    )
    action({ ...defaults, 'api-name': apiName, 'load-balancer': dns })
    console.log(`\n== delete`)
    action({ ...defaults, mode: 'delete', 'api-name': apiName })
  }
  console.log('\nDemo finished: created, re-ran and deleted both gateways.')
} finally {
  moto.kill()
}
