/** The API keys' settings: their rows of the settings table (features/settings/inputs.ts). */
import { Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import { quoted } from '../../report/safe-text.js'
import {
  each,
  input,
  items,
  rateBurst,
  setting,
  type InputText,
  type RateBurst
} from '../settings/inputs-checks.js'

const MAX_API_KEYS = 100
const API_KEY_NAME_RE = /^[A-Za-z0-9 _.-]{1,128}$/

export const apiKeys = setting({
  key: 'apiKeys',
  inputs: [
    input(Inputs.ApiKeys, 'NAMES', 'API keys (comma separated) in a usage plan; the methods then need a key')
  ],
  parse: text => {
    const names = each(
      Inputs.ApiKeys,
      items(text(Inputs.ApiKeys)),
      n => API_KEY_NAME_RE.test(n),
      'is not an API key name: letters, digits, spaces and _ . - only, at most 128 characters'
    )
    if (names.length > MAX_API_KEYS) throw new InputError(Inputs.ApiKeys, `at most ${MAX_API_KEYS} keys`)
    return names
  },
  summary: (keys, { all }) => {
    if (keys.length === 0) return undefined
    const quota = all.apiKeyQuota as { limit: number; period: string } | undefined
    const perKey = all.apiKeyThrottle as RateBurst | undefined
    return (
      `API keys ${keys.join(', ')}` +
      (quota ? `, quota ${quota.limit}/${quota.period.toLowerCase()}` : '') +
      (perKey ? `, throttle ${perKey.rate}/${perKey.burst} a key` : '')
    )
  },
  // the usage plan and keys are the keys feature's: only named in the stage's tag, so that a later run reads them
  stage: { group: 'api-keys', position: 7, none: [], same: (a, b) => a.join() === b.join() }
})

/** A setting of the keys that makes sense with keys alone. */
function needsKeys(text: InputText, name: string, value: unknown): void {
  if (value !== undefined && items(text(Inputs.ApiKeys)).length === 0)
    throw new InputError(name, `needs '${Inputs.ApiKeys}': the keys it limits`)
}

export const apiKeyQuota = setting({
  key: 'apiKeyQuota',
  inputs: [input(Inputs.ApiKeyQuota, 'N/PERIOD', 'per-key quota: N/day, N/week or N/month')],
  parse: text => {
    const quotaText = text(Inputs.ApiKeyQuota)
    if (quotaText === '') return undefined
    const m = /^(\d+)\s*\/\s*(day|week|month)$/i.exec(quotaText)
    if (!m || Number(m[1]) < 1) {
      throw new InputError(
        Inputs.ApiKeyQuota,
        `${quoted(quotaText)} is not N/day, N/week or N/month, e.g. 10000/month`
      )
    }
    const quota = { limit: Number(m[1]), period: m[2].toUpperCase() as 'DAY' | 'WEEK' | 'MONTH' }
    needsKeys(text, Inputs.ApiKeyQuota, quota)
    return quota
  }
})

export const apiKeyThrottle = setting({
  key: 'apiKeyThrottle',
  inputs: [input(Inputs.ApiKeyThrottle, 'RATE/BURST', 'per-key throttling')],
  parse: text => {
    const perKey = rateBurst(Inputs.ApiKeyThrottle, text(Inputs.ApiKeyThrottle))
    needsKeys(text, Inputs.ApiKeyThrottle, perKey)
    return perKey
  }
})
