/**
 * The authorizer removals held back while another stage of the API may still serve them
 * (features/authorizer/plan-feature.ts): expected plans written out from docs/ownership.md.
 */
import { describe, expect, it } from '@jest/globals'
import type { CreateDiscovery, Step } from '../src/core/plan.js'
import { heldWhileServed } from '../src/features/authorizer/plan-feature.js'

const FN = 'arn:aws:lambda:us-west-2:123456789012:function:auth'
const REMOVE_STATEMENT: Step = { op: 'remove-lambda-permission', functionArn: FN, apiId: 'a1' }
const DELETE_AUTHORIZER: Step = { op: 'delete-authorizer', authorizerId: 'z9', name: 'cortex-rest-gateway-x' }
const DEPLOY: Step = { op: 'deploy', stage: 'dev', newStage: false, tags: {} }
const parts = () => [
  { steps: [DEPLOY, REMOVE_STATEMENT], warnings: [], notes: ['n1'] },
  { steps: [DELETE_AUTHORIZER], warnings: ['w1'], notes: [] }
]
const found = (otherStages?: { stage: string; labels: (string | undefined)[] }[]) =>
  ({ otherStages }) as unknown as CreateDiscovery
const HELD = {
  steps: [],
  warnings: [],
  notes: [
    'Kept for now: 2 removal(s) of authorizers and Lambda statements, as stage prod, qa may still serve it ' +
      '(a later run removes them once every stage serves what this one does)'
  ]
}

describe('heldWhileServed', () => {
  it.each<[string, { stage: string; labels: (string | undefined)[] }[] | undefined, string | undefined]>([
    ['no other stage', undefined, 'L1'],
    ['no other stage listed', [], 'L1'],
    ['the other stages serving what this one will', [{ stage: 'prod', labels: ['L1', 'L1'] }], 'L1']
  ])('removes at once with %s', (_what, others, label) => {
    expect(heldWhileServed(parts(), found(others), label)).toEqual(parts())
  })

  it.each<[string, { stage: string; labels: (string | undefined)[] }[], string | undefined, string]>([
    [
      'another deployment',
      [
        { stage: 'prod', labels: ['L1', 'L0'] },
        { stage: 'qa', labels: ['L0'] }
      ],
      'L1',
      'prod, qa'
    ],
    [
      'a deployment without a label',
      [
        { stage: 'prod', labels: [undefined] },
        { stage: 'qa', labels: ['L1'] }
      ],
      'L1',
      'prod'
    ],
    [
      'what this run serves not known yet',
      [
        { stage: 'prod', labels: [undefined] },
        { stage: 'qa', labels: ['L1'] }
      ],
      undefined,
      'prod, qa'
    ]
  ])('holds back the removals while other stages serve %s, saying which', (_what, others, label, names) => {
    const want = [
      { steps: [DEPLOY], warnings: [], notes: ['n1'] },
      { steps: [], warnings: ['w1'], notes: [] },
      { ...HELD, notes: [HELD.notes[0].replace('prod, qa', names)] }
    ]
    expect(heldWhileServed(parts(), found(others), label)).toEqual(want)
  })

  it('leaves the parts as they are when none of them removes anything', () => {
    const none = [{ steps: [DEPLOY], warnings: [], notes: [] }]
    expect(heldWhileServed(none, found([{ stage: 'prod', labels: ['L0'] }]), 'L1')).toEqual(none)
  })
})
