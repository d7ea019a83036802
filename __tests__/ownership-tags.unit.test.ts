/**
 * The ownership rules not covered in ownership.unit.test.ts: the tags the action writes on what it
 * makes, how a VPC link is traced to its gateway, how an owner is named in a message and which
 * owners an input may give. Tag names and values are written out as AWS holds them.
 */
import { describe, expect, it } from '@jest/globals'
import {
  describeOwner,
  isOurs,
  madeFor,
  OWNER_RE,
  ownerOf,
  ownershipTags,
  tagValue
} from '../src/model/ownership.js'

const MARK = 'cortex-rest-gateway:managed-by'
const REPO = 'cortex-rest-gateway:repository'
const API = 'cortex-rest-gateway:api-name'
const WORKFLOW = 'cortex-rest-gateway:workflow'

describe('ownershipTags', () => {
  it('writes the mark, the repository and the name, and the workflow where there is one', () => {
    expect(ownershipTags('cortex', 'org/repo', { workflow: 'CI (main)' })).toEqual({
      [MARK]: 'cortex-rest-gateway',
      [REPO]: 'org/repo',
      [API]: 'cortex',
      [WORKFLOW]: 'CI -main-'
    })
    expect(ownershipTags('cortex', 'local', {})).toEqual({
      [MARK]: 'cortex-rest-gateway',
      [REPO]: 'local',
      [API]: 'cortex'
    })
    expect(ownershipTags('cortex', 'local', { workflow: '' })).not.toHaveProperty(WORKFLOW)
  })

  it('writes a name a tag cannot hold escaped, and no name at all past 256 characters', () => {
    expect(ownershipTags('gpu (a)', 'org/repo', {})[API]).toBe('gpu =28a=29')
    expect(ownershipTags('x'.repeat(257), 'org/repo', {})[API]).toBe('')
  })
})

describe('madeFor: how a VPC link is traced to its gateway', () => {
  const tags = { [MARK]: 'cortex-rest-gateway', [REPO]: 'org/repo', [API]: 'gpu =28a=29' }

  it('is true for this repository and the escaped name of this gateway', () => {
    expect(madeFor(tags, 'org/repo', 'gpu (a)')).toBe(true)
  })

  it('is false for another gateway, another repository, or a resource without the mark', () => {
    expect(madeFor(tags, 'org/repo', 'gpu =28a=29')).toBe(false)
    expect(madeFor(tags, 'org/repo', 'cortex')).toBe(false)
    expect(madeFor(tags, 'org/other', 'gpu (a)')).toBe(false)
    expect(madeFor({ [REPO]: 'org/repo', [API]: 'cortex' }, 'org/repo', 'cortex')).toBe(false)
    expect(madeFor(undefined, 'org/repo', 'cortex')).toBe(false)
  })
})

describe('ownerOf and isOurs', () => {
  it('compares the repository in its tag form', () => {
    expect(isOurs({ [MARK]: 'cortex-rest-gateway', [REPO]: 'org/repo' }, 'org/repo')).toBe(true)
    expect(ownerOf({ [MARK]: 'cortex-rest-gateway', [REPO]: '' }, 'org/repo')).toEqual({
      kind: 'other-repository',
      repository: 'an unknown repository'
    })
    expect(tagValue('org/repo')).toBe('org/repo')
  })
})

describe('describeOwner', () => {
  it('names each kind of owner for a message', () => {
    expect(describeOwner({ kind: 'ours' })).toBe('made by this repository')
    expect(describeOwner({ kind: 'other-repository', repository: 'org/other' })).toBe(
      'made by this action from repository org/other'
    )
    expect(describeOwner({ kind: 'not-the-action' })).toBe('not made by this action')
  })
})

describe('OWNER_RE', () => {
  it.each(['org/repo', 'My-Org_1/repo.name', 'local'])('takes %j', owner => {
    expect(OWNER_RE.test(owner)).toBe(true)
  })

  it.each(['org', 'org/repo/x', 'org/', '/repo', 'localx', 'xlocal', 'org/re po', 'org/rep#o', ''])(
    'refuses %j',
    owner => {
      expect(OWNER_RE.test(owner)).toBe(false)
    }
  )
})
