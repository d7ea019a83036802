// The canary's inputs (features/canary/inputs.ts), read through parseConfig: the new cluster by its load
// balancer or its name, its share; what is refused and how the error says it. Expected values written out.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/base/errors.js'
import type { CreateConfig } from '../src/config/inputs.js'
import { parsePercent, renamed, type CanaryConfig } from '../src/features/canary/inputs.js'
import { configFrom } from './support/inputs.js'

const NLB = 'a9eaf69fd125947abb1065f62de59047-81cdebc0275f7d96.elb.us-west-2.amazonaws.com'
const NEW = 'b9eaf69fd125947abb1065f62de59047-81cdebc0275f7d96.elb.us-west-2.amazonaws.com'

const canary = (inputs: Record<string, string>): CanaryConfig | undefined =>
  (configFrom({ 'load-balancer': NLB, ...inputs }) as CreateConfig).canary

function refusal(fn: () => unknown): { input: string; message: string } {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}
const refused = (input: string, message: string) => ({ input, message: `Input '${input}': ${message}` })

describe('the canary', () => {
  it('is none without a new cluster, canary-percent alone meaning nothing', () => {
    expect(canary({})).toBeUndefined()
    expect(canary({ 'canary-percent': '50' })).toBeUndefined()
  })

  it.each<[Record<string, string>, CanaryConfig]>([
    [
      { 'canary-load-balancer': NEW },
      {
        loadBalancer: { kind: 'dns', dnsName: NEW, raw: NEW, region: 'us-west-2' },
        input: 'canary-load-balancer',
        percent: 10
      }
    ],
    [
      { 'canary-load-balancer': ` ${NEW} `, 'canary-percent': '0' },
      {
        loadBalancer: { kind: 'dns', dnsName: NEW, raw: NEW, region: 'us-west-2' },
        input: 'canary-load-balancer',
        percent: 0
      }
    ],
    [
      { 'canary-cluster-name': 'new-1', 'canary-percent': '100' },
      {
        loadBalancer: { kind: 'cluster', clusterName: 'new-1', raw: 'new-1' },
        input: 'canary-cluster-name',
        percent: 100
      }
    ],
    [
      { 'canary-cluster-name': 'a'.repeat(54), 'canary-percent': '12.5' },
      {
        loadBalancer: { kind: 'cluster', clusterName: 'a'.repeat(54), raw: 'a'.repeat(54) },
        input: 'canary-cluster-name',
        percent: 12.5
      }
    ],
    [
      { 'canary-cluster-name': 'abc' },
      {
        loadBalancer: { kind: 'cluster', clusterName: 'abc', raw: 'abc' },
        input: 'canary-cluster-name',
        percent: 10
      }
    ]
  ])('%j reads as %j', (inputs, want) => {
    expect(canary(inputs)).toEqual(want)
  })

  it('refuses both a load balancer and a cluster name', () => {
    expect(refusal(() => canary({ 'canary-load-balancer': NEW, 'canary-cluster-name': 'new' }))).toEqual(
      refused('canary-cluster-name', "give either 'canary-cluster-name' or 'canary-load-balancer', not both")
    )
  })

  it.each(['ab', 'a'.repeat(55), 'New', 'a--b', '-ab', 'ab-', 'a_b'])('refuses the cluster name %j', name => {
    expect(refusal(() => canary({ 'canary-cluster-name': name }))).toEqual(
      refused(
        'canary-cluster-name',
        'must be a Cortex cluster name: 3 to 54 lower-case letters and digits, words joined by single hyphens'
      )
    )
  })

  it('refuses a load balancer as load-balancer would, naming canary-load-balancer', () => {
    expect(refusal(() => canary({ 'canary-load-balancer': 'not a host' }))).toEqual(
      refused(
        'canary-load-balancer',
        `"not a host" is neither a DNS name nor an ARN of a load balancer, nor a Classic ELB's name ` +
          '(expected e.g. abc-123.elb.us-west-2.amazonaws.com)'
      )
    )
  })

  it.each(['-1', '100.5', '101', '1000', '50%', 'half', '.5', '5.'])('refuses the share %j', value => {
    expect(refusal(() => canary({ 'canary-cluster-name': 'new', 'canary-percent': value }))).toEqual(
      refused(
        'canary-percent',
        `"${value}" is not a share from 0 to 100 (a number, decimals allowed, without '%')`
      )
    )
  })
})

describe('parsePercent', () => {
  it.each([
    ['', 10],
    ['0', 0],
    ['100', 100],
    ['100.0', 100],
    ['0.25', 0.25],
    ['007', 7]
  ])('%j reads as %d', (value, want) => {
    expect(parsePercent(value)).toBe(want)
  })
})

describe('renamed', () => {
  it("gives another check's input error the input named, and lets the rest through untouched", () => {
    expect(renamed('canary-load-balancer', () => 7)).toBe(7)
    expect(
      refusal(() =>
        renamed('canary-load-balancer', () => {
          throw new InputError('load-balancer', "it's 'bad': really")
        })
      )
    ).toEqual(refused('canary-load-balancer', "it's 'bad': really"))
    const other = new TypeError('not an input')
    expect(() =>
      renamed('x', () => {
        throw other
      })
    ).toThrow(other)
  })
})
