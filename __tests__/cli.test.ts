/** The command line, run as a subprocess (bin/cortex-rest-gateway.js under Node 24) against moto. */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { motoBehindProxy } from './support/harness.js'
import { runProcess, type Finished } from './support/process.js'
import {
  createLoadBalancer,
  createForeignApi,
  credentials,
  REGION,
  type SeededLoadBalancer
} from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { node24, ROOT } from './support/run-action.js'
import { INPUTS } from '../src/config/input-table.js'

const aws = motoBehindProxy()

let lb: SeededLoadBalancer

beforeAll(async () => {
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-cli', scheme: 'internal' })
})

async function cli(...args: string[]): Promise<Finished> {
  return cliWith({}, ...args)
}

async function cliWith(extraEnv: Record<string, string>, ...args: string[]): Promise<Finished> {
  return runProcess(node24(), [join(ROOT, 'bin', 'cortex-rest-gateway.js'), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ENDPOINT_URL: aws.proxy.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: REGION,
      ...extraEnv
    }
  })
}

describe('cortex-rest-gateway', () => {
  it('prints help and exits 0', async () => {
    const res = await cli('--help')
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('Usage: cortex-rest-gateway <create|delete> [flags]')
    // every input the CLI takes is in the help
    for (const row of INPUTS.filter(r => r.flag !== false)) expect(res.stdout).toContain(`--${row.name}`)
  })

  it('creates, re-runs with nothing to do, plans and deletes, with JSON for scripts', async () => {
    const created = await cli(
      'create',
      '--load-balancer',
      `http://${lb.dnsName}/`,
      '--api-name',
      'from-cli',
      '--tags',
      'team=ml',
      '--tags=env=dev',
      '--json'
    )
    expect(created.code).toBe(0)
    const out = JSON.parse(created.stdout) as {
      outcome: string
      outputs: Record<string, string>
      calls: { writes: number }
    }
    expect(out.outcome).toBe('created')
    expect(out.outputs['invoke-url']).toMatch(/^https:\/\/\w+\.execute-api\.us-west-2\.amazonaws\.com\/dev$/)
    expect(out.outputs['vpc-link-id']).toMatch(/\w/)
    expect(created.stderr).toContain('create REGIONAL REST API "from-cli"')
    const state = await readGateway(aws.moto.endpoint, 'from-cli')
    expect(state.api?.tags).toMatchObject({ team: 'ml', env: 'dev' })

    const again = await cli('create', `--load-balancer=${lb.dnsName}`, '--api-name', 'from-cli', '--json')
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'unchanged', calls: { writes: 0 } })

    const plan = await cli('delete', '--api-name', 'from-cli', '--dry-run')
    expect(plan.code).toBe(0)
    expect(plan.stdout).toMatch(/^dry run: would-delete\n/)
    expect(plan.stdout).toContain('  - delete REST API')

    const human = await cli('delete', '--api-name', 'from-cli')
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^deleted\napi-id +\w+/)
    expect((await readGateway(aws.moto.endpoint, 'from-cli')).apis).toEqual([])
  })

  it.each([
    [['create', '--load-balancr', 'x'], /unknown flag --load-balancr/],
    [['create', '--stage'], /flag --stage needs a value/],
    [['create', '--stage', 'a', '--stage', 'b'], /flag --stage is given twice/],
    [['destroy'], /unknown command "destroy"/],
    [[], /^Usage: cortex-rest-gateway <create\|delete> \[flags\]$/m],
    [['--json'], /say what to do: create or delete \(see --help\)/],
    [['create'], /--load-balancer: is required/],
    [
      ['create', '--load-balancer', lbDns(), '--stage', 'no good'],
      /--stage: "no good" is not a valid stage name/
    ],
    [['create', '--load-balancer', lbDns(), '--delete-on-exit'], /unknown flag --delete-on-exit/],
    [
      ['create', '--load-balancer', lbDns(), '--repository', 'not a repo'],
      /flag --repository needs OWNER\/NAME/
    ]
  ])('%j exits 2 naming the flag', async (args, message) => {
    aws.proxy.clear()
    const res = await cli(...args)
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(message)
    expect(aws.proxy.writes()).toEqual([])
  })

  it('shows a value of several lines one a line, with no \\n', async () => {
    for (const stage of ['dev', 'prod'])
      expect(
        (await cli('create', '--load-balancer', lb.dnsName, '--api-name', 'two-stages', '--stage', stage))
          .code
      ).toBe(0)
    const res = await cli('delete', '--api-name', 'two-stages')
    expect(res.stdout).toMatch(/^stage {14}dev\n {19}prod$/m)
    expect(res.stdout).not.toContain('\\n')
  })

  it('says its version, the package.json one', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const res = await cli('--version')
    expect(res).toMatchObject({ code: 0, stdout: `cortex-rest-gateway ${pkg.version}\n` })
  })

  it('says how to finish or clean up a create that failed part-way', async () => {
    // the third write to the REST API fails for good: what came before it stays
    let writes = 0
    aws.proxy.options.fault = req =>
      req.write && ++writes === 3 ? { kind: 'status', status: 400, code: 'BadRequestException' } : undefined
    try {
      const res = await cli('create', '--load-balancer', lb.dnsName, '--api-name', 'half-made')
      expect(res.code).toBe(1)
      // how many writes a create makes before its first method is the engine's: the unit test has the words
      expect(res.stderr).toMatch(/\nThe run stopped after \d+ changes to AWS\. Run the same command again/)
      expect(res.stderr).toContain(
        ' again to finish (it carries on from what exists), or remove what was made: ' +
          'cortex-rest-gateway delete --api-name half-made --region us-west-2\n'
      )
    } finally {
      aws.proxy.options.fault = undefined
    }
    expect((await cli('create', '--load-balancer', lb.dnsName, '--api-name', 'half-made')).code).toBe(0)
    expect((await cli('delete', '--api-name', 'half-made', '--region', 'us-west-2')).stdout).toMatch(
      /^deleted\n/
    )
  })

  it('says to check AWS_ENDPOINT_URL when AWS cannot be reached', async () => {
    const res = await cliWith({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, 'delete', '--api-name', 'nowhere')
    expect(res.code).toBe(1)
    expect(res.stderr).toContain(
      '\nAWS could not be reached: check AWS_ENDPOINT_URL (unset for AWS itself), AWS_REGION and the credentials\n'
    )
  }, 60_000)

  it('exits 1 when AWS or the action refuses, with the reason; --json says it too', async () => {
    await createForeignApi(aws.moto.endpoint, 'not-ours')
    const res = await cli('create', '--load-balancer', lb.dnsName, '--api-name', 'not-ours', '--json')
    expect(res.code).toBe(1)
    expect((JSON.parse(res.stdout) as { error: string }).error).toContain('(not made by this action)')
    expect(res.stderr).toContain('(not made by this action)')
  })
})

describe('what the command line prints', () => {
  it('never prints a workflow command, whatever a value holds (CI steps run it too)', async () => {
    const value = 'x ##[error]INJ'
    const res = await cli('create', '--load-balancer', lb.dnsName, '--stage', value, '--json')
    expect(res.code).toBe(2)
    for (const line of [...res.stdout.split('\n'), ...res.stderr.split('\n')]) {
      expect(line).not.toContain('##[')
      expect(line).not.toMatch(/^\s*::/)
    }
    expect((JSON.parse(res.stdout) as { error: string }).error).toContain(value)
  })
})

describe('whose gateways the command line may change', () => {
  it(
    'acts for the repository --repository names (default GITHUB_REPOSITORY, ' +
      "else 'local'), and only for it",
    async () => {
      const made = await cli(
        'create',
        '--load-balancer',
        lb.dnsName,
        '--api-name',
        'team-gw',
        '--repository',
        'octo-org/team',
        '--json'
      )
      expect(made.code).toBe(0)
      const apiId = (JSON.parse(made.stdout) as { outputs: Record<string, string> }).outputs['api-id']
      expect((await readGateway(aws.moto.endpoint, 'team-gw')).api?.tags).toMatchObject({
        'cortex-rest-gateway:repository': 'octo-org/team'
      })

      aws.proxy.clear()
      // outside any repository: the local scope, which did not make it
      const local = await cli('delete', '--api-name', 'team-gw')
      expect(local.code).toBe(0)
      expect(local.stdout).toMatch(/^absent/)
      expect(local.stderr).toContain(`${apiId} (made by this action from repository octo-org/team)`)
      const other = await cliWith(
        { GITHUB_REPOSITORY: 'octo-org/other' },
        'create',
        '--load-balancer',
        lb.dnsName,
        '--api-name',
        'team-gw'
      )
      expect(other.code).toBe(1)
      expect(aws.proxy.writes()).toEqual([])

      const owner = await cliWith({ GITHUB_REPOSITORY: 'octo-org/team' }, 'delete', '--api-name', 'team-gw')
      expect(owner.stdout).toMatch(/^deleted/)
      expect((await readGateway(aws.moto.endpoint, 'team-gw')).apis).toEqual([])
    }
  )
})

function lbDns(): string {
  return 'cortex-cli-1.us-west-2.elb.amazonaws.com'
}
