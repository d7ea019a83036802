/** Which REST API of the name is ours to keep, and what to say of the others. */
import { Inputs } from '../base/constants.js'
import { describeOwner, isOurs, ownerOf } from '../model/ownership.js'
import { ActionError } from '../base/errors.js'
import type { CreateConfig } from '../config/inputs.js'
import { type RestApiSummary } from '../model/model.js'

/** The oldest owned API wins, then the lowest id: every run picks the same one. */
export function chooseOwnedApi(apis: RestApiSummary[]): RestApiSummary | undefined {
  return [...apis].sort((a, b) => {
    const ta = a.createdDate?.getTime() ?? 0
    const tb = b.createdDate?.getTime() ?? 0
    return ta !== tb ? ta - tb : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  })[0]
}

/** This repository's API of this name that every run keeps: what create finds, and settles a race on. */
export function keptApi(apis: RestApiSummary[], apiName: string, owner: string): RestApiSummary | undefined {
  return chooseOwnedApi(apis.filter(a => a.name === apiName && isOurs(a.tags, owner)))
}

export function splitByOwnership(
  apis: RestApiSummary[],
  owner: string
): { owned: RestApiSummary[]; foreign: RestApiSummary[] } {
  return { owned: apis.filter(a => isOurs(a.tags, owner)), foreign: apis.filter(a => !isOurs(a.tags, owner)) }
}

/** "abc (made by this action from repository x/y), def (not made by this action)" */
export function describeApis(apis: RestApiSummary[], owner: string): string {
  return apis.map(a => `${a.id} (${describeOwner(ownerOf(a.tags, owner))})`).join(', ')
}

/**
 * The API of `api-name` a create works on: this repository's (the oldest, then the lowest id), or
 * with `adopt` the one same-named API that is not. Refuses, before anything is read further or
 * written, when the name is taken by an API that is not ours and `adopt` is off. A choice between
 * APIs of ours made in the second the listing was read in is provisional: a twin of that second may
 * not be listed yet, and the create decides again once AWS's clock has passed it (create.ts).
 */
export function chooseApi(
  config: Pick<CreateConfig, 'apiName' | 'owner' | 'adopt' | 'region'>,
  sameName: RestApiSummary[]
): RestApiSummary | undefined {
  const kept = keptApi(sameName, config.apiName, config.owner)
  if (kept) return kept
  const { foreign } = splitByOwnership(sameName, config.owner)
  if (foreign.length === 0) return undefined
  if (!config.adopt) {
    throw new ActionError(
      `A REST API named "${config.apiName}" already exists in ${config.region}: ` +
        `${describeApis(foreign, config.owner)}. ` +
        `The action changes only what this repository made: choose another '${Inputs.ApiName}', ` +
        `or set '${Inputs.Adopt}: true' to take it over ` +
        "(it is tagged as this repository's and updated in place: same id, same invoke URL)"
    )
  }
  if (foreign.length > 1) {
    throw new ActionError(
      `'${Inputs.Adopt}' cannot choose: ${foreign.length} REST APIs named "${config.apiName}" ` +
        `exist in ${config.region} ` +
        `(${describeApis(foreign, config.owner)}): delete or rename all but the one to take over`
    )
  }
  return foreign[0]
}
