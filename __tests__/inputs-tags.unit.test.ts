// The tags input (config/tags.ts): key=value lines, AWS's limits at their edge, the reserved prefixes, and
// the room the action keeps for its own tags. Expected values are written out.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/base/errors.js'
import { checkTagRoom, parseTags, withClusterTag } from '../src/config/tags.js'

const CLUSTER_TAG = 'cortex.dev/cluster-name'

function refusal(fn: () => unknown): { input: string; message: string } {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}

const tagsOf = (n: number, more: Record<string, string> = {}) => ({
  ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])),
  ...more
})
const lines = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join('\n')

describe('parseTags', () => {
  it.each<[string, Record<string, string>]>([
    ['', {}],
    ['team=ml', { team: 'ml' }],
    [' team = ml \r\n\n# a comment=x\n  #another\nowner=a=b', { team: 'ml', owner: 'a=b' }],
    ['empty=', { empty: '' }],
    ['k=v with spaces_.:/=+-@', { k: 'v with spaces_.:/=+-@' }],
    ['Équipe=données 2', { Équipe: 'données 2' }]
  ])('%j reads as %j', (text, want) => {
    expect(parseTags(text)).toEqual(want)
  })

  it('takes a key of 128 characters and a value of 256', () => {
    expect(parseTags(`${'k'.repeat(128)}=${'v'.repeat(256)}`)).toEqual({ ['k'.repeat(128)]: 'v'.repeat(256) })
  })

  it.each([
    ['novalue', 'line 1 ("novalue") is not key=value'],
    ['a=1\n=v', 'line 2 ("=v") is not key=value'],
    ['a=1\r\n\r\n  b  ', 'line 3 ("b") is not key=value'],
    [`${'k'.repeat(129)}=v`, `line 1 ("${'k'.repeat(129)}=v"): a key may have at most 128 characters`],
    [`k=${'v'.repeat(257)}`, `line 1 ("k=${'v'.repeat(257)}"): a value may have at most 256 characters`],
    [
      'bad*key=1',
      'line 1 ("bad*key=1"): keys and values may hold letters, digits, spaces and _ . : / = + - @ only'
    ],
    [
      'key=v!',
      'line 1 ("key=v!"): keys and values may hold letters, digits, spaces and _ . : / = + - @ only'
    ],
    [
      'key=(v)',
      'line 1 ("key=(v)"): keys and values may hold letters, digits, spaces and _ . : / = + - @ only'
    ],
    ['aws:thing=1', 'line 1 ("aws:thing=1"): keys starting with \'aws:\' are reserved by AWS'],
    ['AWS:Thing=1', 'line 1 ("AWS:Thing=1"): keys starting with \'aws:\' are reserved by AWS'],
    [
      'cortex-rest-gateway:managed-by=me',
      'line 1 ("cortex-rest-gateway:managed-by=me"): ' +
        "keys starting with 'cortex-rest-gateway:' are set by the action itself"
    ],
    ['a=1\nb=2\na=3', 'line 3 ("a=3"): key "a" is given twice'],
    ['a = 1\na=3', 'line 2 ("a=3"): key "a" is given twice']
  ])('refuses %j: %s', (text, message) => {
    expect(refusal(() => parseTags(text))).toEqual({ input: 'tags', message: `Input 'tags': ${message}` })
  })

  it('refuses the line and paragraph separators that \\p{Z} would admit', () => {
    expect(refusal(() => parseTags('k=a\u2028b')).input).toBe('tags')
  })

  it('takes 45 tags, leaving five for the action, and refuses 46', () => {
    expect(Object.keys(parseTags(lines(45)))).toHaveLength(45)
    expect(refusal(() => parseTags(lines(46)))).toEqual({
      input: 'tags',
      message: "Input 'tags': at most 45 tags (AWS allows 50, the action uses 5)"
    })
  })
})

describe('withClusterTag', () => {
  it("adds the cluster's tag, or keeps the same one given", () => {
    expect(withClusterTag({ team: 'ml' }, 'prod')).toEqual({ team: 'ml', [CLUSTER_TAG]: 'prod' })
    expect(withClusterTag({ [CLUSTER_TAG]: 'prod' }, 'prod')).toEqual({ [CLUSTER_TAG]: 'prod' })
  })

  it("refuses another cluster's", () => {
    expect(refusal(() => withClusterTag({ [CLUSTER_TAG]: 'other' }, 'prod'))).toEqual({
      input: 'tags',
      message:
        `Input 'tags': ${CLUSTER_TAG}="other" disagrees with 'cluster-name' ("prod"): leave it out, the action ` +
        'sets it'
    })
  })

  it("takes 44 of the user's tags beside it, its own not counted, and refuses 45", () => {
    expect(Object.keys(withClusterTag(tagsOf(44), 'prod'))).toHaveLength(45)
    expect(Object.keys(withClusterTag(tagsOf(44, { [CLUSTER_TAG]: 'prod' }), 'prod'))).toHaveLength(45)
    expect(refusal(() => withClusterTag(tagsOf(45), 'prod'))).toEqual({
      input: 'tags',
      message: "Input 'tags': at most 44 tags with 'cluster-name' (AWS allows 50, the action uses 6)"
    })
  })
})

describe('checkTagRoom', () => {
  it.each([
    // [more tags of the action's, with the cluster's tag, room for the user's, the action's in all]
    [1, false, 44, 6],
    [2, false, 43, 7],
    [3, false, 42, 8],
    [1, true, 43, 7],
    [2, true, 42, 8]
  ])(
    "%d more of its own (cluster tag: %s): %d of the user's fit, one more is refused",
    (more, cluster, room, uses) => {
      const extra: Record<string, string> = cluster ? { [CLUSTER_TAG]: 'prod' } : {}
      expect(() => checkTagRoom(tagsOf(room, extra), 'domain-name', more)).not.toThrow()
      expect(refusal(() => checkTagRoom(tagsOf(room + 1, extra), 'domain-name', more))).toEqual({
        input: 'tags',
        message: `Input 'tags': at most ${room} tags with 'domain-name' (AWS allows 50, the action uses ${uses})`
      })
    }
  )
})
