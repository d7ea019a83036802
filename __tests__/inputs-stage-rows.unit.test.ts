// The stage settings' rows (features/settings/inputs.ts): how each reads a stage as GetStage answers it, how
// it shows and compares a value, the UpdateStage patches that set it and set it back, and the web ACL's steps.
// Expected values are AWS's, written out (GetStage's method settings for all methods, UpdateStage's patch paths).
import { describe, expect, it } from '@jest/globals'
import { STAGE_SETTINGS, type StageAnswer, type StageSetting } from '../src/features/settings/inputs.js'

const row = (group: string): StageSetting['stage'] => {
  const found = STAGE_SETTINGS.find(s => s.stage.group === group)
  if (!found) throw new Error(`no stage row ${group}`)
  return found.stage
}
const LOGS = 'arn:aws:logs:us-west-2:123456789012:log-group:api-logs'
const ACL = 'arn:aws:wafv2:us-west-2:123456789012:regional/webacl/a/0f0e0d0c-1111-2222-3333-444455556666'
const ACL2 = ACL.replace('/a/', '/b/')
const all = (settings: Record<string, unknown>): StageAnswer => ({ methodSettings: { '*/*': settings } })

it('are in the order of the stage update and its tag', () => {
  expect(STAGE_SETTINGS.map(s => [s.stage.group, s.stage.position])).toEqual([
    ['throttle', 1],
    ['logging', 2],
    ['metrics', 3],
    ['tracing', 4],
    ['access-log', 5],
    ['waf', 6],
    ['api-keys', 7]
  ])
})

describe('throttle', () => {
  const t = row('throttle')
  it.each<[StageAnswer, unknown]>([
    [all({ throttlingRateLimit: 100, throttlingBurstLimit: 200 }), { rate: 100, burst: 200 }],
    [all({ throttlingRateLimit: 0, throttlingBurstLimit: 0 }), { rate: 0, burst: 0 }],
    [all({ throttlingRateLimit: -1, throttlingBurstLimit: -1 }), undefined],
    [all({ throttlingRateLimit: 10, throttlingBurstLimit: -1 }), undefined],
    [all({ throttlingRateLimit: -1, throttlingBurstLimit: 10 }), undefined],
    [all({ throttlingRateLimit: 10 }), undefined],
    [all({ throttlingBurstLimit: 10 }), undefined],
    [all({ throttlingRateLimit: '10', throttlingBurstLimit: 20 }), undefined],
    [all({ throttlingRateLimit: 10, throttlingBurstLimit: '20' }), undefined],
    [{ methodSettings: { 'a/GET': { throttlingRateLimit: 1, throttlingBurstLimit: 2 } } }, undefined],
    [{}, undefined]
  ])('reads %j as %j', (answer, want) => {
    expect(t.read!(answer)).toEqual(want)
  })

  it('shows, compares, sets and resets as UpdateStage takes it', () => {
    expect(t.show!({ rate: 1.5, burst: 3 })).toBe('1.5/3')
    expect(t.show!(undefined)).toBe('off')
    expect(t.same({ rate: 1, burst: 2 }, { rate: 1, burst: 2 })).toBe(true)
    expect(t.same({ rate: 1, burst: 2 }, { rate: 1, burst: 3 })).toBe(false)
    expect(t.same({ rate: 1, burst: 2 }, { rate: 2, burst: 2 })).toBe(false)
    expect(t.same(undefined, { rate: 1, burst: 2 })).toBe(false)
    expect(t.same(undefined, undefined)).toBe(true)
    expect(t.none).toBeUndefined()
    expect(t.set!({ rate: 1.5, burst: 3 })).toEqual([
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '1.5' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '3' }
    ])
    expect(t.reset).toEqual([
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '-1' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '-1' }
    ])
  })
})

describe('logging', () => {
  const l = row('logging')
  it.each<[StageAnswer, string]>([
    [all({ loggingLevel: 'info' }), 'INFO'],
    [all({ loggingLevel: 'ERROR' }), 'ERROR'],
    [all({}), 'OFF'],
    [{}, 'OFF']
  ])('reads %j as %s', (answer, want) => {
    expect(l.read!(answer)).toBe(want)
  })

  it('shows, compares, sets and resets', () => {
    expect(l.none).toBe('OFF')
    expect(l.show!('ERROR')).toBe('ERROR')
    expect(l.same('INFO', 'INFO')).toBe(true)
    expect(l.same('INFO', 'OFF')).toBe(false)
    expect(l.set!('INFO')).toEqual([{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }])
    expect(l.reset).toEqual([{ op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' }])
  })
})

describe('metrics and tracing', () => {
  it.each<[string, StageAnswer, boolean]>([
    ['metrics', all({ metricsEnabled: true }), true],
    ['metrics', all({ metricsEnabled: false }), false],
    ['metrics', all({ metricsEnabled: 'true' }), false],
    ['metrics', {}, false],
    ['tracing', { tracingEnabled: true }, true],
    ['tracing', { tracingEnabled: false }, false],
    ['tracing', all({ tracingEnabled: true }), false]
  ])('%s reads %j as %s', (group, answer, want) => {
    expect(row(group).read!(answer)).toBe(want)
  })

  it.each([
    ['metrics', '/*/*/metrics/enabled'],
    ['tracing', '/tracingEnabled']
  ])('%s is on or off at %s', (group, path) => {
    const r = row(group)
    expect(r.none).toBe(false)
    expect([r.show!(true), r.show!(false)]).toEqual(['on', 'off'])
    expect([r.same(true, true), r.same(false, false), r.same(true, false)]).toEqual([true, true, false])
    expect(r.set!(true)).toEqual([{ op: 'replace', path, value: 'true' }])
    expect(r.reset).toEqual([{ op: 'replace', path, value: 'false' }])
  })
})

describe('access-log', () => {
  const a = row('access-log')
  it.each<[StageAnswer, unknown]>([
    [
      { accessLogSettings: { destinationArn: LOGS, format: '$context.requestId' } },
      { destinationArn: LOGS, format: '$context.requestId' }
    ],
    [{ accessLogSettings: { destinationArn: LOGS } }, { destinationArn: LOGS, format: '' }],
    [{ accessLogSettings: { format: '$context.requestId' } }, undefined],
    [{ accessLogSettings: { destinationArn: '' } }, undefined],
    [{}, undefined]
  ])('reads %j as %j', (answer, want) => {
    expect(a.read!(answer)).toEqual(want)
  })

  it('shows, compares, sets and resets', () => {
    const log = { destinationArn: LOGS, format: 'f' }
    expect(a.none).toBeUndefined()
    expect(a.show!(log)).toBe(LOGS)
    expect(a.show!(undefined)).toBe('off')
    expect(a.same(log, { destinationArn: LOGS, format: 'f' })).toBe(true)
    expect(a.same(log, { destinationArn: LOGS, format: 'g' })).toBe(false)
    expect(a.same(log, { destinationArn: `${LOGS}2`, format: 'f' })).toBe(false)
    expect(a.same(undefined, log)).toBe(false)
    expect(a.set!(log)).toEqual([
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: LOGS },
      { op: 'replace', path: '/accessLogSettings/format', value: 'f' }
    ])
    expect(a.reset).toEqual([{ op: 'remove', path: '/accessLogSettings' }])
  })
})

describe('waf: the web ACL, by its own association', () => {
  const w = row('waf')
  const on = (arn: string) => ({ op: 'associate-web-acl', stage: 'dev', webAclArn: arn })
  const off = (arn: string) => ({ op: 'disassociate-web-acl', stage: 'dev', webAclArn: arn })
  it.each<[string | undefined, string | undefined, boolean, object[]]>([
    [undefined, undefined, true, []],
    [undefined, ACL, true, [off(ACL)]],
    [undefined, ACL, false, []],
    [ACL, ACL, true, []],
    [ACL, ACL, false, []],
    [ACL, undefined, false, [on(ACL)]],
    [ACL, undefined, true, [on(ACL)]],
    [ACL, ACL2, true, [off(ACL2), on(ACL)]],
    [ACL, ACL2, false, [on(ACL)]]
  ])('want %s, have %s, ours %s: %j', (want, have, ours, steps) => {
    expect(w.steps!(want, have, ours, 'dev')).toEqual(steps)
  })

  it('compares', () => {
    expect([w.same(ACL, ACL), w.same(ACL, ACL2), w.same(undefined, undefined)]).toEqual([true, false, true])
    expect(w.none).toBeUndefined()
  })
})

describe('api-keys: only named in the tag', () => {
  it('compares the names in order', () => {
    const k = row('api-keys')
    expect(k.none).toEqual([])
    expect(k.same(['a', 'b'], ['a', 'b'])).toBe(true)
    expect(k.same(['a', 'b'], ['b', 'a'])).toBe(false)
    expect(k.same(['a'], [])).toBe(false)
  })
})
