/**
 * The tables drive the code: the command line's flags and help come from the inputs table, and a stage
 * setting's row alone drives how the stage is read back and planned. Pure: no AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { AwsContext } from '../src/aws/context.js'
import { toSettings } from '../src/aws/rest-api.js'
import { INPUTS } from '../src/config/input-table.js'
import { runCli, USAGE } from '../src/entry/cli.js'
import {
  onOff,
  parseSettings,
  STAGE_SETTINGS,
  type Settings,
  type StageSetting
} from '../src/features/settings/inputs.js'
import { disassociateWebAcl } from '../src/features/settings/aws.js'
import { planStageSettings } from '../src/features/settings/plan.js'
import type { StageState } from '../src/model/model.js'
import { memoryLog } from '../src/report/log.js'

const TAG = 'cortex-rest-gateway:stage-settings'

/** The CLI's exit code and what it wrote, for these arguments. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runCli(args, { out: t => (out += t), err: t => (err += t), env: {} })
  return { code, out, err }
}

describe('the command line, made from the inputs table', () => {
  const flagged = INPUTS.filter(r => r.flag !== false)
  const actionOnly = INPUTS.filter(r => r.flag === false)

  it('has a help line for every input with a flag, and none for an input of the action alone', () => {
    const helpFlags = [...USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map(m => m[1])
    expect(helpFlags.filter(f => !['--repository', '--json', '--verbose', '--version'].includes(f))).toEqual(
      flagged.map(r => `--${r.name}`)
    )
    for (const row of actionOnly) expect(USAGE).not.toContain(`--${row.name}`)
    expect(actionOnly.map(r => r.name).sort()).toEqual([
      'delete-on-exit',
      'deployment-environment',
      'fail-on-cleanup-error',
      'github-token',
      'mode',
      'pull-request-comment'
    ])
  })

  it.each(flagged.map(r => [r.name, r.type] as const))('takes --%s (a %s)', async (name, type) => {
    const args = type === 'boolean' ? [`--${name}`, `--no-${name}`] : [`--${name}`, 'x']
    // one flag at a time: --no-X after --X is the same flag given twice
    for (const arg of type === 'boolean' ? args.map(a => [a]) : [args]) {
      const res = await cli('create', ...arg, '--help')
      expect([arg, res.code, res.err]).toEqual([arg, 0, ''])
    }
  })

  it.each(actionOnly.map(r => r.name))('refuses --%s: an input of the action alone', async name => {
    const res = await cli('create', `--${name}`, 'x')
    expect(res.code).toBe(2)
    expect(res.err).toContain(`unknown flag --${name} (see --help)`)
  })

  it('takes --no-X for a boolean input only, and no flag that is no row', async () => {
    for (const row of flagged.filter(r => r.type !== 'boolean')) {
      const res = await cli('create', `--no-${row.name}`, '--help')
      expect([row.name, res.code]).toEqual([row.name, 2])
    }
    expect((await cli('create', '--bogus', 'x')).err).toContain('unknown flag --bogus')
  })
})

const NONE: Settings = parseSettings(() => '', { region: 'us-west-2', endpointType: 'REGIONAL' })

/** A stage as GetStage would answer it, read back through the table, with the action's settings tag. */
const stageOf = (answer: Record<string, unknown>, tag?: string): StageState => ({
  name: 'dev',
  deploymentId: 'd1',
  tags: tag ? { [TAG]: tag } : {},
  settings: toSettings(answer)
})

describe('a stage setting: its row alone reads it back and plans it', () => {
  it("has a group and a place of its own, and is AWS's default when its inputs are unset", () => {
    const groups = STAGE_SETTINGS.map(r => r.stage.group)
    const positions = STAGE_SETTINGS.map(r => r.stage.position)
    expect(new Set(groups).size).toBe(groups.length)
    expect(new Set(positions).size).toBe(positions.length)
    expect(groups).toEqual(['throttle', 'logging', 'metrics', 'tracing', 'access-log', 'waf', 'api-keys'])
    for (const row of STAGE_SETTINGS) {
      const unset = row.parse(() => '', { region: 'us-west-2', endpointType: 'REGIONAL' })
      expect([row.key, row.stage.same(unset, row.stage.none)]).toEqual([row.key, true])
      // set and reset come together, or steps of its own, or neither (a group only named in the tag)
      expect([row.key, Boolean(row.stage.set), Boolean(row.stage.reset)]).toEqual([
        row.key,
        Boolean(row.stage.reset),
        Boolean(row.stage.set)
      ])
    }
  })

  it('reads GetStage answers as the settings the action compares', () => {
    expect(
      toSettings({
        tracingEnabled: true,
        methodSettings: {
          '*/*': {
            metricsEnabled: true,
            loggingLevel: 'info',
            throttlingRateLimit: 10,
            throttlingBurstLimit: 20
          }
        },
        accessLogSettings: {
          destinationArn: 'arn:aws:logs:us-west-2:123456789012:log-group:x',
          format: '$context.requestId'
        }
      })
    ).toEqual({
      throttle: { rate: 10, burst: 20 },
      loggingLevel: 'INFO',
      metrics: true,
      tracing: true,
      accessLog: {
        destinationArn: 'arn:aws:logs:us-west-2:123456789012:log-group:x',
        format: '$context.requestId'
      }
    })
    // AWS's -1 is no throttling; an unset stage is all off
    expect(
      toSettings({ methodSettings: { '*/*': { throttlingRateLimit: -1, throttlingBurstLimit: -1 } } })
    ).toEqual({
      throttle: undefined,
      loggingLevel: 'OFF',
      metrics: false,
      tracing: false,
      accessLog: undefined
    })
  })

  it('turns tracing on, leaves it on, and off again only where the action turned it on', () => {
    const on = { ...NONE, tracing: true }
    const patch = (value: string) => ({ op: 'replace', path: '/tracingEnabled', value })
    expect(planStageSettings(on, 'dev', stageOf({})).steps).toEqual([
      { op: 'tag-stage', stage: 'dev', tags: { [TAG]: 'tracing' } },
      {
        op: 'update-stage',
        stage: 'dev',
        patches: [patch('true')],
        changes: [{ what: 'tracing', from: 'off', to: 'on' }]
      }
    ])
    expect(planStageSettings(on, 'dev', stageOf({ tracingEnabled: true }, 'tracing')).steps).toEqual([])
    expect(planStageSettings(NONE, 'dev', stageOf({ tracingEnabled: true }, 'tracing'))).toMatchObject({
      steps: [
        {
          op: 'update-stage',
          stage: 'dev',
          patches: [patch('false')],
          changes: [{ what: 'tracing', from: 'on', to: 'off' }]
        }
      ],
      after: [{ op: 'untag-stage', stage: 'dev', keys: [TAG] }]
    })
    // a person's: not the action's to undo
    expect(planStageSettings(NONE, 'dev', stageOf({ tracingEnabled: true })).steps).toEqual([])
  })

  describe('a new on/off setting, one row added to the table', () => {
    const row = onOff('caching', {
      description: 'a cache cluster',
      summary: 'caching',
      position: 8,
      path: '/cacheClusterEnabled',
      read: s => s.cacheClusterEnabled
    })
    const asRow = row as unknown as StageSetting
    beforeAll(() => {
      STAGE_SETTINGS.push(asRow)
    })
    afterAll(() => {
      STAGE_SETTINGS.splice(STAGE_SETTINGS.indexOf(asRow), 1)
    })
    const wanted = { ...NONE, caching: true } as Settings

    it('is read back from GetStage', () => {
      expect(toSettings({ cacheClusterEnabled: true })).toMatchObject({ caching: true })
      expect(toSettings({})).toMatchObject({ caching: false })
    })

    it('is planned: set, named in the stage tag after the others, and unchanged once set', () => {
      const part = planStageSettings({ ...wanted, tracing: true }, 'dev', stageOf({}))
      expect(part.steps).toContainEqual({
        op: 'update-stage',
        stage: 'dev',
        patches: [
          { op: 'replace', path: '/tracingEnabled', value: 'true' },
          { op: 'replace', path: '/cacheClusterEnabled', value: 'true' }
        ],
        changes: [
          { what: 'tracing', from: 'off', to: 'on' },
          { what: 'caching', from: 'off', to: 'on' }
        ]
      })
      expect(part.stageTag).toEqual({ [TAG]: 'tracing caching' })
      expect(
        planStageSettings(wanted, 'dev', stageOf({ cacheClusterEnabled: true }, 'caching')).steps
      ).toEqual([])
    })
  })
})

describe("AWS WAF's errors", () => {
  it('say which input to check when AWS WAF knows no such item', async () => {
    const error = Object.assign(new Error('AWS WAF couldn’t perform the operation'), {
      name: 'WAFNonexistentItemException',
      $metadata: { httpStatusCode: 400 }
    })
    const ctx = {
      region: 'us-west-2',
      log: memoryLog(),
      deadline: 60_000,
      now: () => 0,
      sleep: () => Promise.resolve(),
      random: () => 0.5,
      calls: [],
      wafv2: () =>
        Promise.resolve({
          client: { send: () => Promise.reject(error) },
          waf: { DisassociateWebACLCommand: class {} }
        })
    } as unknown as AwsContext
    await expect(disassociateWebAcl(ctx, 'abc123', 'dev')).rejects.toThrow(
      'DisassociateWebACL failed: WAFNonexistentItemException (HTTP 400): AWS WAF couldn’t perform the operation ' +
        "(AWS WAF knows no such web ACL or stage here: check 'web-acl-arn' and its account and region)"
    )
  })
})
