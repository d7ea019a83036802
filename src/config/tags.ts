/** The `tags` input, and room for the action's own tags beside the user's. */
import { Cortex, Inputs, TAG_PREFIX } from '../base/constants.js'
import { InputError } from '../base/errors.js'
import { quoted } from '../report/safe-text.js'

// What API Gateway accepts in tags.
// (AWS's own pattern says \p{Z}, which also admits the line and paragraph separators: not here)
const TAG_CHARS_RE = /^[\p{L}\p{Zs}\p{N}_.:/=+\-@]*$/u
const MAX_TAGS = 50
/** The user's tags and the cluster's: one more of the action's own, and never another cluster's. */
export function withClusterTag(tags: Record<string, string>, clusterName: string): Record<string, string> {
  const given = tags[Cortex.ClusterTag]
  if (given !== undefined && given !== clusterName) {
    throw new InputError(
      Inputs.Tags,
      `${Cortex.ClusterTag}=${quoted(given)} disagrees with '${Inputs.ClusterName}' ` +
        `(${quoted(clusterName)}): leave it out, the action sets it`
    )
  }
  const own = Object.keys(tags).filter(k => k !== Cortex.ClusterTag).length
  if (own > MAX_TAGS - 6) {
    throw new InputError(
      Inputs.Tags,
      `at most ${MAX_TAGS - 6} tags with '${Inputs.ClusterName}' (AWS allows ${MAX_TAGS}, the action ` +
        'uses 6)'
    )
  }
  return { ...tags, [Cortex.ClusterTag]: clusterName }
}

/** The user's tags, when an input makes the action keep `more` tags of its own on the API. */
export function checkTagRoom(tags: Record<string, string>, because: string, more: number): void {
  const own = Object.keys(tags).filter(k => k !== Cortex.ClusterTag).length
  const room = MAX_TAGS - 5 - more - (tags[Cortex.ClusterTag] === undefined ? 0 : 1)
  if (own > room) {
    throw new InputError(
      Inputs.Tags,
      `at most ${room} tags with '${because}' (AWS allows ${MAX_TAGS}, the action uses ${MAX_TAGS - room})`
    )
  }
}

/** `key=value` per line; blank lines and lines starting with '#' are skipped. */
export function parseTags(value: string): Record<string, string> {
  const tags: Record<string, string> = {}
  const lines = value.split(/\r?\n/)
  lines.forEach((line, i) => {
    const text = line.trim()
    if (text === '' || text.startsWith('#')) return
    const eq = text.indexOf('=')
    const where = `line ${i + 1} (${quoted(text)})`
    if (eq <= 0) throw new InputError(Inputs.Tags, `${where} is not key=value`)
    const key = text.slice(0, eq).trim()
    const val = text.slice(eq + 1).trim()
    if (key.length > 128) throw new InputError(Inputs.Tags, `${where}: a key may have at most 128 characters`)
    if (val.length > 256)
      throw new InputError(Inputs.Tags, `${where}: a value may have at most 256 characters`)
    if (!TAG_CHARS_RE.test(key) || !TAG_CHARS_RE.test(val)) {
      throw new InputError(
        Inputs.Tags,
        `${where}: keys and values may hold letters, digits, spaces and _ . : / = + - @ only`
      )
    }
    if (key.toLowerCase().startsWith('aws:'))
      throw new InputError(Inputs.Tags, `${where}: keys starting with 'aws:' are reserved by AWS`)
    if (key.startsWith(TAG_PREFIX))
      throw new InputError(
        Inputs.Tags,
        `${where}: keys starting with '${TAG_PREFIX}' are set by the action itself`
      )
    if (key in tags) throw new InputError(Inputs.Tags, `${where}: key ${quoted(key)} is given twice`)
    tags[key] = val
  })
  // The action adds up to five tags of its own.
  if (Object.keys(tags).length > MAX_TAGS - 5) {
    throw new InputError(
      Inputs.Tags,
      `at most ${MAX_TAGS - 5} tags (AWS allows ${MAX_TAGS}, the action uses 5)`
    )
  }
  return tags
}
