/** What the command line says, without AWS: the usage, the version, flags in errors, a result as text. */
import { describe, expect, it } from '@jest/globals'
import { AwsCallError } from '../src/base/errors.js'
import { runCli, USAGE } from '../src/entry/cli.js'
import { asFlags, humanResult, whatNext } from '../src/entry/cli-text.js'
import type { CallRecord, RunResult } from '../src/report/run.js'
import { counted } from '../src/report/words.js'

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runCli(args, {
    out: t => (out += `${t}\n`),
    err: t => (err += `${t}\n`),
    env: {},
    version: () => '9.8.7'
  })
  return { code, out, err }
}

describe('the command line, tried as a new user would', () => {
  it('prints the usage for a bare command, as a usage error', async () => {
    const res = await cli()
    expect(res).toEqual({ code: 2, out: '', err: `${USAGE}\n` })
    expect(USAGE).toContain('Usage: cortex-rest-gateway <create|delete> [flags]')
  })

  it('says its version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: 'cortex-rest-gateway 9.8.7\n', err: '' })
    expect(USAGE).toContain('  --version ')
  })

  it('names flags in its errors, not inputs', async () => {
    const res = await cli('create', '--load-balancer', 'my-lb.example.com')
    expect(res.code).toBe(2)
    expect(res.err).toBe(
      'cortex-rest-gateway: --region: no region given: set --region, or AWS_REGION ' +
        '(aws-actions/configure-aws-credentials does), or pass a load balancer DNS name that contains one\n'
    )
    const wrong = await cli(
      'create',
      '--load-balancer',
      'a-1.elb.us-east-1.amazonaws.com',
      '--region',
      'us-west-2'
    )
    expect(wrong.err).toBe(
      "cortex-rest-gateway: --region: the run is in us-west-2 (from --region), but the load balancer's DNS " +
        'name says region us-east-1: its gateway is in us-east-1. Set --region to us-east-1\n'
    )
  })

  it('points a bare mode at the help', async () => {
    expect((await cli('--json')).err).toBe(
      'cortex-rest-gateway: say what to do: create or delete (see --help)\n'
    )
  })
})

describe('asFlags', () => {
  it.each([
    ['Input \'stage\': "x y" is not a valid stage name', '--stage: "x y" is not a valid stage name'],
    ["Set the 'region' input to us-east-1", 'Set --region to us-east-1'],
    [
      "raise the 'timeout' input; a re-run picks up the same link",
      'raise --timeout; a re-run picks up the same link'
    ],
    ["(from input 'region')", '(from --region)'],
    ["or set 'adopt: true' to take it over", 'or set --adopt to take it over'],
    ["but 'endpoint-type' is 'PRIVATE'", "but --endpoint-type is 'PRIVATE'"],
    ["is only for 'endpoint-type: PRIVATE'", 'is only for --endpoint-type PRIVATE'],
    ["needs 'api-keys': the keys it limits", 'needs --api-keys: the keys it limits'],
    // not a flag: the action's input alone, a value, an output
    ["Input 'mode': x", "Input 'mode': x"],
    ["is not one of 'OFF', 'ERROR', 'INFO'", "is not one of 'OFF', 'ERROR', 'INFO'"],
    ["(the 'domain-target' output)", "(the 'domain-target' output)"]
  ])('%s', (text, expected) => {
    expect(asFlags(text)).toBe(expected)
  })
})

const result = (over: Partial<RunResult>): RunResult => ({
  mode: 'delete',
  dryRun: false,
  region: 'us-west-2',
  outcome: 'deleted',
  outputs: {},
  steps: [],
  calls: [],
  ...over
})

describe('a result as text', () => {
  it('shows a value of several lines one a line, under its name', () => {
    const text = humanResult(
      result({ outputs: { 'api-id': 'a1,a2', stage: 'dev\nprod', 'vpc-link-id': '' } })
    )
    expect(text).toBe(
      ['deleted', 'api-id             a1,a2', 'stage              dev', '                   prod'].join('\n')
    )
  })

  it('counts the plan of a dry run with its noun, and a value cannot start a line', () => {
    const one = humanResult(result({ dryRun: true, outcome: 'would-delete', steps: ['delete REST API a1'] }))
    expect(one).toBe('dry run: would-delete\nplan (1 step):\n  - delete REST API a1')
    const hostile = humanResult(result({ outputs: { stage: 'dev\n::error::x\n##[error]y' } }))
    expect(hostile).toBe(
      [
        'deleted',
        'stage              dev',
        '>                    ::error::x',
        '                   #\\#[error]y'
      ].join('\n')
    )
  })

  it('never shows an API key', () => {
    expect(humanResult(result({ outputs: { 'api-key': 'secret-value' } }))).toBe(
      'deleted\napi-key            *** (the value is in the --json output)'
    )
  })
})

const write = (ok: boolean): CallRecord => ({ operation: 'CreateRestApi', write: true, attempts: 1, ok })
const read: CallRecord = { operation: 'GetRestApis', write: false, attempts: 1, ok: true }
const DELETE = 'cortex-rest-gateway delete --api-name gw --region us-west-2'

describe('what to do after a failure', () => {
  it('says nothing when nothing was changed', () => {
    expect(whatNext(new Error('x'), 'create', [read, write(false)], DELETE)).toBeUndefined()
  })

  it('says how to finish or clean up a create that stopped part-way', () => {
    expect(whatNext(new Error('x'), 'create', [read, write(true)], DELETE)).toBe(
      'The run stopped after 1 change to AWS. Run the same command again to finish (it carries on from what ' +
        'exists), or remove what was made: cortex-rest-gateway delete --api-name gw --region us-west-2'
    )
    expect(whatNext(new Error('x'), 'delete', [write(true), write(true)], DELETE)).toBe(
      'The run stopped after 2 changes to AWS. Run the same command again to finish the delete'
    )
  })

  it('says what to check when AWS cannot be reached or refuses the credentials', () => {
    const refused = new AwsCallError('GetRestApis', 'ECONNREFUSED', undefined, 'connect ECONNREFUSED')
    expect(whatNext(refused, 'create', [], DELETE)).toBe(
      'AWS could not be reached: check AWS_ENDPOINT_URL (unset for AWS itself), AWS_REGION and the credentials'
    )
    const unknown = new AwsCallError('GetRestApis', 'UnrecognizedClientException', 403, 'bad token')
    expect(whatNext(unknown, 'delete', [], DELETE)).toBe(
      'AWS refused the credentials: check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
    )
  })
})

describe('counted', () => {
  it.each([
    [0, 'step', undefined, '0 steps'],
    [1, 'step', undefined, '1 step'],
    [2, 'write', undefined, '2 writes'],
    [1, 'AWS call', undefined, '1 AWS call'],
    [3, 'entry', 'entries', '3 entries']
  ])('%d %s', (n, noun, plural, expected) => {
    expect(counted(n, noun, plural)).toBe(expected)
  })
})
