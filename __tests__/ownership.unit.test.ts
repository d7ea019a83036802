/**
 * What the action writes into tags, checked against AWS's rules for a tag value (at most 256
 * characters: letters, digits, spaces and `_ . : / = + - @`), with the expected values written out.
 */
import { describe, expect, it } from '@jest/globals'
import { displayTagValue, isOurs, ownerOf, tagValue } from '../src/model/ownership.js'

/** AWS's pattern for a tag value, as its API reference gives it. */
const AWS_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

describe('tagValue: a name as a tag value, losslessly', () => {
  it.each([
    ['org/repo', 'org/repo'],
    ['cortex-prod_2', 'cortex-prod_2'],
    ['café', 'café'],
    ['a b', 'a b'],
    ['a=b', 'a=3Db'],
    ['#1', '=231'],
    ['(gpu)!', '=28gpu=29=21'],
    ['a\tb', 'a=09b'],
    ['prod-\u202egnp', 'prod-=E2=80=AEgnp'],
    ['*?', '=2A=3F']
  ])('%j is %j', (name, expected) => {
    expect(tagValue(name)).toBe(expected)
  })

  it('two names never share a value ("=" itself is escaped)', () => {
    expect(tagValue('a=23')).toBe('a=3D23')
    expect(tagValue('a#')).toBe('a=23')
    expect(tagValue('a=23')).not.toBe(tagValue('a#'))
  })

  it('is undefined past 256 characters, counted after escaping', () => {
    expect(tagValue('x'.repeat(256))).toBe('x'.repeat(256))
    expect(tagValue('x'.repeat(257))).toBeUndefined()
    expect(tagValue('#'.repeat(85))).toBe('=23'.repeat(85))
    expect(tagValue('#'.repeat(86))).toBeUndefined()
  })

  it('always gives what AWS takes', () => {
    const names = ['#!()[]{}<>*?&%$^~`|\\"\'', 'é\u0000\u0085\u200f\u202e\ufeff', '😀 x', 'a=b=c']
    for (const name of names) expect(tagValue(name)).toMatch(AWS_TAG_VALUE)
  })
})

describe('displayTagValue: a workflow name shown, not compared', () => {
  it.each([
    ['Deploy', 'Deploy'],
    ['CI (main) #1!', 'CI -main- -1-'],
    ['a=b+c@d', 'a=b+c@d'],
    ['tab\there', 'tab-here']
  ])('%j is %j', (name, expected) => {
    expect(displayTagValue(name)).toBe(expected)
  })

  it('is cut to 256 characters', () => {
    expect(displayTagValue('w'.repeat(300))).toBe('w'.repeat(256))
  })

  it('always gives what AWS takes', () => {
    for (const name of ['#!()', '\u0000\u202e', '😀 x']) expect(displayTagValue(name)).toMatch(AWS_TAG_VALUE)
  })
})

describe('ownerOf', () => {
  const MARK = { 'cortex-rest-gateway:managed-by': 'cortex-rest-gateway' }
  it('is ours only with the mark and this repository', () => {
    expect(ownerOf({ ...MARK, 'cortex-rest-gateway:repository': 'org/repo' }, 'org/repo')).toEqual({
      kind: 'ours'
    })
    expect(ownerOf({ ...MARK, 'cortex-rest-gateway:repository': 'org/other' }, 'org/repo')).toEqual({
      kind: 'other-repository',
      repository: 'org/other'
    })
    expect(ownerOf({ ...MARK }, 'org/repo')).toEqual({
      kind: 'other-repository',
      repository: 'an unknown repository'
    })
    expect(ownerOf({ 'cortex-rest-gateway:repository': 'org/repo' }, 'org/repo')).toEqual({
      kind: 'not-the-action'
    })
    expect(
      ownerOf(
        { 'cortex-rest-gateway:managed-by': 'someone', 'cortex-rest-gateway:repository': 'org/repo' },
        'org/repo'
      )
    ).toEqual({ kind: 'not-the-action' })
    expect(isOurs(undefined, 'org/repo')).toBe(false)
  })
})
