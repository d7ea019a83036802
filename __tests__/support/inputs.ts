import { parseConfig, type Config } from '../../src/config/inputs.js'

/**
 * A Config from inputs as the runner passes them (unset ones are ''),
 * like `createInputs({ mode: 'delete' })`.
 */
export function configFrom(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Config {
  return parseConfig(name => inputs[name] ?? '', env)
}
