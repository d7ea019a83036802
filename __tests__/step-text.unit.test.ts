/** Each update step says what it found and what it makes of it: `throttle 100/200 → 50/100`. */
import { describe, expect, it } from '@jest/globals'
import type { Step } from '../src/core/plan.js'
import { describeStep } from '../src/engine/steps.js'
import { parseSettings } from '../src/features/settings/inputs.js'
import { planStageSettings } from '../src/features/settings/plan.js'
import type { StageState } from '../src/model/model.js'

const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const OLD_CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/aaaa0d0c-1111-2222-3333-444455556666'

describe('the text of an update step', () => {
  it.each<[Step, string]>([
    [
      {
        op: 'update-stage',
        stage: 'prod',
        patches: [],
        changes: [
          { what: 'throttle', from: '100/200', to: '50/100' },
          { what: 'metrics', from: 'off', to: 'on' }
        ]
      },
      'update stage "prod": throttle 100/200 → 50/100, metrics off → on'
    ],
    [
      {
        op: 'update-api',
        patches: [],
        changes: [{ what: 'VPC endpoints', from: 'vpce-1', to: 'vpce-1 vpce-2' }]
      },
      'update the API: VPC endpoints vpce-1 → vpce-1 vpce-2'
    ],
    [
      {
        op: 'update-usage-plan',
        planId: 'up1',
        patches: [],
        changes: [{ what: 'throttle', from: '5/10', to: 'none' }]
      },
      'update usage plan up1: throttle 5/10 → none'
    ],
    [
      {
        op: 'set-domain-certificate',
        name: 'api.example.com',
        endpointType: 'REGIONAL',
        certificateArn: CERT,
        from: OLD_CERT
      },
      `change the certificate of custom domain api.example.com: certificate ${OLD_CERT} → ${CERT}`
    ],
    [
      { op: 'set-base-path-stage', name: 'api.example.com', basePath: 'v1', stage: 'prod', from: 'dev' },
      `point base path 'v1' of api.example.com at another stage: stage "dev" → "prod"`
    ],
    [{ op: 'set-endpoint-type', from: 'EDGE', to: 'REGIONAL' }, 'change endpoint type EDGE → REGIONAL']
  ])('%j', (step, text) => {
    expect(describeStep(step)).toBe(text)
  })
})

describe('what the stage planner says it changes', () => {
  const settings = (inputs: Record<string, string>) =>
    parseSettings(name => inputs[name] ?? '', { region: 'us-west-2', endpointType: 'REGIONAL' })
  const stage = (s: Partial<StageState['settings']>, tag?: string): StageState => ({
    name: 'prod',
    tags: tag ? { 'cortex-rest-gateway:stage-settings': tag } : {},
    settings: { throttle: undefined, loggingLevel: 'OFF', metrics: false, tracing: false, ...s }
  })
  const text = (part: { steps: Step[] }) =>
    part.steps.filter(s => s.op === 'update-stage').map(s => describeStep(s))

  it('says what each setting was and what it becomes', () => {
    const part = planStageSettings(
      settings({ throttle: '50/100', 'logging-level': 'ERROR' }),
      'prod',
      stage(
        { throttle: { rate: 100, burst: 200 }, loggingLevel: 'INFO', metrics: true },
        'throttle logging metrics'
      )
    )
    expect(text(part)).toEqual([
      'update stage "prod": throttle 100/200 → 50/100, logging INFO → ERROR, metrics on → off'
    ])
  })

  it('says only what a new stage is given: it had nothing to change', () => {
    expect(
      text(planStageSettings(settings({ throttle: '50/100', tracing: 'true' }), 'prod', undefined))
    ).toEqual(['update stage "prod": throttle 50/100, tracing on'])
  })
})
