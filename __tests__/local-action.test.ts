/**
 * `npm run local-action`: GitHub's @github/local-action runs the action's TypeScript entry points
 * (src/entry/main.ts, then src/entry/post.ts as the post step) with its own stand-in for @actions/core. Here it
 * makes a gateway against moto with delete-on-exit, and the post step takes it away again.
 */
import { expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createLoadBalancer, credentials, REGION } from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { runProcess } from './support/process.js'
import { node24, ROOT } from './support/run-action.js'

const aws = motoBehindProxy()

it('runs main and post from the TypeScript, as the runner would run dist/', async () => {
  const lb = await createLoadBalancer(aws.moto.endpoint, { name: 'local-action', scheme: 'internet-facing' })
  const envFile = join(mkdtempSync(join(tmpdir(), 'crg-local-action-')), '.env')
  writeFileSync(
    envFile,
    [
      `AWS_ENDPOINT_URL=${aws.proxy.endpoint}`,
      `AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
      `AWS_REGION=${REGION}`,
      'GITHUB_REPOSITORY=org/cortex-rest-gateway',
      `INPUT_LOAD-BALANCER=${lb.dnsName}`,
      'INPUT_API-NAME=from-local-action',
      'INPUT_DELETE-ON-EXIT=true',
      ''
    ].join('\n')
  )
  aws.proxy.clear()
  const res = await runProcess(
    node24(),
    [
      join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js'),
      'run',
      ROOT,
      'src/entry/main.ts',
      envFile,
      '--post',
      'src/entry/post.ts'
    ],
    { env: { PATH: `${dirname(node24())}:${process.env.PATH ?? ''}`, HOME: process.env.HOME }, cwd: ROOT }
  )
  expect(res.stderr).not.toMatch(/Error/)
  expect(res.code).toBe(0)
  expect(res.stdout).toContain('::set-output name=result::created')
  expect(res.stdout).toContain('Running Post Step')
  const writes = aws.proxy.writes().map(w => w.operation)
  expect(writes).toContain('POST /restapis')
  expect(writes).toContain('DELETE /restapis/{id}')
  expect((await readGateway(aws.moto.endpoint, 'from-local-action')).apis).toEqual([])
}, 120_000)
