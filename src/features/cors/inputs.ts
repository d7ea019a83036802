/** `cors-allow-origins`: the origins the CORS preflight and the gateway's own error answers allow. */
import { CORS_ALLOW_ORIGIN, Defaults, Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import { parseBoolean } from '../../config/input-row.js'
import { quoted } from '../../report/safe-text.js'
import { input, items, setting } from '../settings/inputs-checks.js'

/** A browser's origin: a scheme, a host and maybe a port; no path. */
const ORIGIN_RE =
  /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/i

export const corsAllowOrigins = setting({
  key: 'corsAllowOrigins',
  inputs: [
    input(
      Inputs.CorsAllowOrigins,
      'ORIGINS',
      `the origins CORS allows, comma or line separated (default ${CORS_ALLOW_ORIGIN})`,
      'string',
      { default: CORS_ALLOW_ORIGIN }
    )
  ],
  parse: text => {
    const origins = items(text(Inputs.CorsAllowOrigins))
    if (origins.length === 0 || (origins.length === 1 && origins[0] === CORS_ALLOW_ORIGIN))
      return [CORS_ALLOW_ORIGIN]
    if (!parseBoolean(Inputs.Cors, text(Inputs.Cors), Defaults.cors)) {
      throw new InputError(
        Inputs.CorsAllowOrigins,
        `needs '${Inputs.Cors}': the origins are what CORS allows`
      )
    }
    if (origins.includes(CORS_ALLOW_ORIGIN)) {
      throw new InputError(
        Inputs.CorsAllowOrigins,
        "'*' allows every origin: give it alone, or name the origins"
      )
    }
    const bad = origins.find(o => !ORIGIN_RE.test(o))
    if (bad !== undefined) {
      throw new InputError(
        Inputs.CorsAllowOrigins,
        `${quoted(bad)} is not an origin such as https://app.example.com (a scheme, a host and a port, no path)`
      )
    }
    return origins.map(o => o.toLowerCase())
  },
  summary: origins => (origins.join(',') !== CORS_ALLOW_ORIGIN ? `CORS for ${origins.join(', ')}` : undefined)
})
