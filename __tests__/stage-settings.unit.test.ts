/**
 * The stage's settings (src/features/settings/plan-stage.ts over the rows of settings/inputs.ts) as
 * the README's "REST settings" describes them: one UpdateStage for throttle, logging, metrics,
 * tracing and access logs; the web ACL by its own association; what the action set is recorded in
 * the stage's tag before it is set, and only that is set back to AWS's defaults when its input goes
 * (throttling to -1, logging OFF, metrics and tracing off, the access log settings removed, the web
 * ACL taken off); a setting a person made stays. The patches are UpdateStage's, written out.
 */
import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../src/base/errors.js'
import type { CreateConfig } from '../src/config/inputs.js'
import type { CreateDiscovery } from '../src/core/plan.js'
import { planSettingsFeature } from '../src/features/settings/plan-feature.js'
import { planStageSettings } from '../src/features/settings/plan.js'
import type { LoadBalancer, RestApiSummary, StageState } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

const TAG = 'cortex-rest-gateway:stage-settings'
const LOGS = 'arn:aws:logs:us-west-2:123456789012:log-group:api-logs'
const FIREHOSE = 'arn:aws:firehose:us-west-2:123456789012:deliverystream/amazon-apigateway-cortex'
const ACL = 'arn:aws:wafv2:us-west-2:123456789012:regional/webacl/cortex/0f0e0d0c-1111-2222-3333-444455556666'
const ACL2 = ACL.replace('/cortex/', '/other/')
const FORMAT = '$context.requestId $context.status'

const settings = (inputs: Record<string, string>) =>
  (configFrom({ 'load-balancer': 'cortex-1.elb.us-west-2.amazonaws.com', ...inputs }) as CreateConfig)
    .settings
/** A stage as discovery reads it: what it holds, and the groups its tag says the action set. */
const stage = (held: Record<string, unknown>, tag?: string): StageState => ({
  name: 'dev',
  tags: tag === undefined ? {} : { [TAG]: tag },
  settings: { loggingLevel: 'OFF', metrics: false, tracing: false, apiKeys: [], ...held }
})

const ON = {
  throttle: [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: '100' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '200' }
  ],
  logging: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }],
  metrics: [{ op: 'replace', path: '/*/*/metrics/enabled', value: 'true' }],
  tracing: [{ op: 'replace', path: '/tracingEnabled', value: 'true' }],
  accessLog: [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: LOGS },
    { op: 'replace', path: '/accessLogSettings/format', value: FORMAT }
  ]
}
const OFF = {
  throttle: [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: '-1' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '-1' }
  ],
  logging: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' }],
  metrics: [{ op: 'replace', path: '/*/*/metrics/enabled', value: 'false' }],
  tracing: [{ op: 'replace', path: '/tracingEnabled', value: 'false' }],
  accessLog: [{ op: 'remove', path: '/accessLogSettings' }]
}
const ALL = {
  throttle: '100/200',
  'logging-level': 'info',
  metrics: 'true',
  tracing: 'true',
  'access-log-destination': LOGS,
  'access-log-format': FORMAT,
  'web-acl-arn': ACL,
  'api-keys': 'alpha'
}
const HELD = {
  throttle: { rate: 100, burst: 200 },
  loggingLevel: 'INFO',
  metrics: true,
  tracing: true,
  accessLog: { destinationArn: LOGS, format: FORMAT },
  webAclArn: ACL,
  apiKeys: ['alpha']
}
const EVERY = 'throttle logging metrics tracing access-log waf api-keys'

describe('planStageSettings', () => {
  it('sets every stage setting asked for on a new stage in one update, the web ACL by itself, and tags it', () => {
    expect(planStageSettings(settings(ALL), 'dev', undefined)).toEqual({
      steps: [
        {
          op: 'update-stage',
          stage: 'dev',
          patches: [...ON.throttle, ...ON.logging, ...ON.metrics, ...ON.tracing, ...ON.accessLog],
          // a new stage had nothing to change: each change says what is set
          changes: [
            { what: 'throttle', to: '100/200' },
            { what: 'logging', to: 'INFO' },
            { what: 'metrics', to: 'on' },
            { what: 'tracing', to: 'on' },
            { what: 'access-log', to: LOGS }
          ]
        },
        { op: 'associate-web-acl', stage: 'dev', webAclArn: ACL }
      ],
      after: [],
      stageTag: { [TAG]: EVERY },
      needsCloudWatchRole: true
    })
    expect(planStageSettings(settings({}), 'dev', undefined)).toEqual({
      steps: [],
      after: [],
      stageTag: {},
      needsCloudWatchRole: false
    })
  })

  it('changes nothing on a stage that holds what is asked, and says so in its tag already', () => {
    expect(planStageSettings(settings(ALL), 'dev', stage(HELD, EVERY))).toEqual({
      steps: [],
      after: [],
      stageTag: { [TAG]: EVERY },
      needsCloudWatchRole: true
    })
  })

  it('sets back to AWS’s defaults every setting it made whose input went, then drops the tag', () => {
    const p = planStageSettings(settings({}), 'dev', stage(HELD, EVERY))
    expect(p.steps).toEqual([
      {
        op: 'update-stage',
        stage: 'dev',
        patches: [...OFF.throttle, ...OFF.logging, ...OFF.metrics, ...OFF.tracing, ...OFF.accessLog],
        changes: [
          { what: 'throttle', from: '100/200', to: 'off' },
          { what: 'logging', from: 'INFO', to: 'OFF' },
          { what: 'metrics', from: 'on', to: 'off' },
          { what: 'tracing', from: 'on', to: 'off' },
          { what: 'access-log', from: LOGS, to: 'off' }
        ]
      },
      { op: 'disassociate-web-acl', stage: 'dev', webAclArn: ACL }
    ])
    expect(p.after).toEqual([{ op: 'untag-stage', stage: 'dev', keys: [TAG] }])
  })

  it('leaves alone the settings a person made, which its tag does not name', () => {
    const p = planStageSettings(settings({}), 'dev', stage(HELD))
    expect(p).toEqual({ steps: [], after: [], stageTag: {}, needsCloudWatchRole: false })
  })

  it('writes down what it will set before setting it, and what is left once the rest is undone', () => {
    const p = planStageSettings(
      settings({ throttle: '100/200', metrics: 'true' }),
      'dev',
      stage({ throttle: { rate: 100, burst: 200 }, loggingLevel: 'INFO' }, 'throttle logging')
    )
    expect(p.steps).toEqual([
      { op: 'tag-stage', stage: 'dev', tags: { [TAG]: 'throttle logging metrics' } },
      {
        op: 'update-stage',
        stage: 'dev',
        patches: [...OFF.logging, ...ON.metrics],
        changes: [
          { what: 'logging', from: 'INFO', to: 'OFF' },
          { what: 'metrics', from: 'off', to: 'on' }
        ]
      }
    ])
    expect(p.after).toEqual([{ op: 'tag-stage', stage: 'dev', tags: { [TAG]: 'throttle metrics' } }])
    expect(p.stageTag).toEqual({ [TAG]: 'throttle metrics' })
  })

  it.each([
    [
      'another throttle',
      { throttle: { rate: 100, burst: 50 } },
      ON.throttle,
      { what: 'throttle', from: '100/50', to: '100/200' }
    ],
    [
      'another rate',
      { throttle: { rate: 5, burst: 200 } },
      ON.throttle,
      { what: 'throttle', from: '5/200', to: '100/200' }
    ],
    ['another level', { loggingLevel: 'ERROR' }, ON.logging, { what: 'logging', from: 'ERROR', to: 'INFO' }],
    [
      'another access log format',
      { accessLog: { destinationArn: LOGS, format: '$context.requestId' } },
      ON.accessLog,
      // the text shows the destination, not the format: it says the log changed
      { what: 'access-log', to: `${LOGS} (changed)` }
    ],
    [
      'another access log group',
      { accessLog: { destinationArn: `${LOGS}-2`, format: FORMAT } },
      ON.accessLog,
      { what: 'access-log', from: `${LOGS}-2`, to: LOGS }
    ]
  ])('sets a setting a stage holds otherwise: %s', (_, held, patches, change) => {
    const p = planStageSettings(settings(ALL), 'dev', stage({ ...HELD, ...held }, EVERY))
    expect(p.steps).toEqual([{ op: 'update-stage', stage: 'dev', patches, changes: [change] }])
  })

  it('sets only what differs on a stage whose settings were not read, taking it as AWS’s defaults', () => {
    const p = planStageSettings(settings({ 'logging-level': 'ERROR' }), 'dev', { name: 'dev', tags: {} })
    expect(p.steps).toEqual([
      { op: 'tag-stage', stage: 'dev', tags: { [TAG]: 'logging' } },
      {
        op: 'update-stage',
        stage: 'dev',
        patches: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' }],
        // a stage not read is taken as AWS's defaults: logging OFF
        changes: [{ what: 'logging', from: 'OFF', to: 'ERROR' }]
      }
    ])
    expect(p.after).toEqual([])
    // nothing to set back where nothing was read
    expect(planStageSettings(settings({}), 'dev', { name: 'dev', tags: { [TAG]: 'logging' } }).steps).toEqual(
      []
    )
  })

  it.each<[string, string | undefined, string | undefined, string | undefined, string[]]>([
    // [the case, the ACL asked for, the stage's, the tag, the steps' ops and ACLs]
    ['the same', ACL, ACL, 'waf', []],
    ['another of its own', ACL, ACL2, 'waf', [`disassociate-web-acl ${ACL2}`, `associate-web-acl ${ACL}`]],
    ["another, a person's", ACL, ACL2, undefined, [`associate-web-acl ${ACL}`]],
    ['none yet', ACL, undefined, undefined, [`associate-web-acl ${ACL}`]],
    ['its own, no longer asked for', undefined, ACL, 'waf', [`disassociate-web-acl ${ACL}`]],
    ["a person's, none asked for", undefined, ACL, undefined, []]
  ])('associates the web ACL asked for: %s', (_, want, have, tag, steps) => {
    const p = planStageSettings(
      settings(want ? { 'web-acl-arn': want } : {}),
      'dev',
      stage({ webAclArn: have }, tag)
    )
    expect(
      p.steps.filter(s => s.op !== 'tag-stage').map(s => `${s.op} ${'webAclArn' in s ? s.webAclArn : ''}`)
    ).toEqual(steps)
  })

  it.each([
    ['execution logs', { 'logging-level': 'ERROR' }, true],
    ['access logs to a log group', { 'access-log-destination': `${LOGS}:*` }, true],
    ['access logs to a Firehose stream', { 'access-log-destination': FIREHOSE }, false],
    ['metrics and tracing', { metrics: 'true', tracing: 'true' }, false]
  ])("needs the account's CloudWatch Logs role for %s", (_, inputs, needs) => {
    expect(planStageSettings(settings(inputs), 'dev', undefined).needsCloudWatchRole).toBe(needs)
  })
})

describe('the settings as a feature of the create plan', () => {
  const NLB: LoadBalancer = {
    arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/cortex/0123456789abcdef',
    name: 'cortex',
    dnsName: 'cortex-1.elb.eu-west-1.amazonaws.com',
    scheme: 'internet-facing',
    type: 'network',
    subnetIds: [],
    securityGroupIds: []
  }
  const API: RestApiSummary = { id: 'a1', name: 'cortex', tags: {}, endpointTypes: ['REGIONAL'] }
  /** The feature planned for `inputs`, the account's role as discovery read it (only where logs need it). */
  const plan = (inputs: Record<string, string>, cloudWatchRole?: string, held?: StageState) => {
    const config = configFrom({ 'load-balancer': NLB.dnsName, ...inputs }) as CreateConfig
    const found: CreateDiscovery = {
      loadBalancer: NLB,
      sameName: [],
      ...(held ? { api: { summary: API, resources: [], stage: held } } : {}),
      ...(cloudWatchRole === undefined ? {} : { cloudWatchRole })
    }
    return planSettingsFeature({ config, found, tags: {}, existing: held ? API : undefined, twinIds: [] })
  }
  const ROLE = 'arn:aws:iam::123456789012:role/apigateway-cloudwatch'

  it('refuses logs to CloudWatch where the account has no CloudWatch Logs role, naming the region', () => {
    const logs = 'arn:aws:logs:eu-west-1:123456789012:log-group:api-logs'
    const cases: Record<string, string>[] = [{ 'logging-level': 'INFO' }, { 'access-log-destination': logs }]
    for (const inputs of cases) {
      const f = () => plan(inputs, '')
      expect(f).toThrow(ActionError)
      expect(f).toThrow('CloudWatch Logs role for the account in eu-west-1, and it has none: set it once')
    }
  })

  it('plans the logs where the account has the role, and needs no role for settings without logs', () => {
    expect(plan({ 'logging-level': 'INFO' }, ROLE).parts.stage!.steps).toEqual([
      {
        op: 'update-stage',
        stage: 'dev',
        patches: ON.logging,
        changes: [{ what: 'logging', to: 'INFO' }]
      }
    ])
    expect(plan({ metrics: 'true' }).parts.stage!.steps).toHaveLength(1)
  })

  it("places the stage's update in the stage phase and the tag brought to what is wanted in the settle phase", () => {
    const p = plan({}, undefined, stage({ throttle: { rate: 100, burst: 200 } }, 'throttle'))
    expect(p.parts.stage!.steps).toEqual([
      {
        op: 'update-stage',
        stage: 'dev',
        patches: OFF.throttle,
        changes: [{ what: 'throttle', from: '100/200', to: 'off' }]
      }
    ])
    expect(p.parts.settle!.steps).toEqual([{ op: 'untag-stage', stage: 'dev', keys: [TAG] }])
  })
})
