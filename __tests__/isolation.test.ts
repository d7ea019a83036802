/**
 * Owned means ours (issue 9): what a hostile or unlucky user can make the action do, tried on the
 * bundled action as the runner runs it, against moto server behind the recording proxy. Each
 * describe names the case it covers.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { createLoadBalancer, readGateway, type SeededLoadBalancer } from './support/aws.js'
import { motoBehindProxy } from './support/harness.js'
import { runAction, type ActionRun } from './support/run-action.js'

const aws = motoBehindProxy()

let publicLb: SeededLoadBalancer
let internalLb: SeededLoadBalancer

beforeEach(async () => {
  aws.proxy.options.fault = undefined
  await aws.moto.reset()
  publicLb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-public', scheme: 'internet-facing' })
  internalLb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-internal', scheme: 'internal' })
  aws.proxy.clear()
})

const run = (inputs: Record<string, string>, env?: Record<string, string>) =>
  runAction(inputs, { endpoint: aws.proxy.endpoint, env })

/** Every line the run wrote where the runner or a reader looks: the log, each output, the summary. */
function everyLine(r: ActionRun): string[] {
  return [...r.stdout.split('\n'), ...Object.values(r.outputs).flatMap((v) => v.split('\n')), ...r.summary.split('\n')]
}

describe('2. workflow-command injection', () => {
  it.each([
    ['::error::INJ'],
    ['::set-output name=api-id::evil'],
    ['::add-mask::dev'],
    ['::stop-commands::tok']
  ])('an api-name with a new line and %s is refused before any write, naming the input', async (command) => {
    const res = await run({ 'load-balancer': publicLb.dnsName, 'api-name': `gw\n${command}` })
    expect(res.code).toBe(1)
    expect(res.errors).toHaveLength(1)
    expect(res.errors[0]).toContain("Input 'api-name': must not hold control characters")
    expect(aws.proxy.writes()).toEqual([])
    expect((await readGateway(aws.moto.endpoint, `gw\n${command}`)).apis).toEqual([])
    for (const line of everyLine(res)) expect(line.startsWith(command)).toBe(false)
  })

  it.each([['vpc-link-name'], ['tags']])('a new line in %s is refused before any write, naming the input', async (input) => {
    const value = input === 'tags' ? 'team=ml\u2028::error::INJ' : 'link\r::error::INJ'
    const res = await run({ 'load-balancer': internalLb.dnsName, [input]: value })
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain(`Input '${input}'`)
    expect(aws.proxy.writes()).toEqual([])
    for (const line of everyLine(res)) expect(line).not.toMatch(/^\s*::error::INJ/)
  })

  it('a name that is itself a workflow command never starts a line of the log, an output or the summary', async () => {
    const name = '::error::INJ'
    const made = await run({ 'load-balancer': internalLb.dnsName, 'api-name': name })
    expect(made.code).toBe(0)
    const gone = await run({ mode: 'delete', 'api-name': name })
    expect(gone.code).toBe(0)
    for (const res of [made, gone]) {
      expect(res.errors).toEqual([])
      for (const line of everyLine(res)) expect(line).not.toMatch(/^\s*::error::INJ/)
    }
    // it was taken as the name it is, not as a command
    expect(made.stdout).toContain('REST gateway "::error::INJ"')
  })
})

describe('3. job summary injection', () => {
  it('renders a stage or api-name holding markdown as plain text, also in the failure summary', async () => {
    const name = '# Title ```x``` ![p](http://attacker.invalid/p.png) <img src=x>'
    // a stage with markdown fails validation: the failure summary shows both as text
    const failed = await run({ 'load-balancer': publicLb.dnsName, 'api-name': name, stage: '```\n![p](http://attacker.invalid/q.png)' })
    expect(failed.code).toBe(1)
    const made = await run({ 'load-balancer': publicLb.dnsName, 'api-name': name })
    expect(made.code).toBe(0)
    for (const res of [failed, made]) {
      expect(res.summary).not.toContain('```')
      expect(res.summary).not.toContain('![')
      expect(res.summary).not.toContain('<img')
      expect(res.summary).not.toContain('attacker.invalid')
      for (const line of res.summary.split('\n')) expect(line).not.toMatch(/^\s*(#+ Title|```|!\[)/)
    }
    expect(made.summaryText).toContain(`REST gateway "${name}": created`)
  })
})

describe('9. a load balancer URL with credentials', () => {
  it('never echoes the password, in the log, the error or the summary', async () => {
    const res = await run({ 'load-balancer': 'http://admin:s3cr3t-pw@nowhere-1.us-west-2.elb.amazonaws.com/' })
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain('no load balancer with DNS name nowhere-1.us-west-2.elb.amazonaws.com')
    for (const text of [res.stdout, res.stderr, res.summary, res.summaryText]) expect(text).not.toContain('s3cr3t-pw')
    expect(aws.proxy.writes()).toEqual([])
  })
})
