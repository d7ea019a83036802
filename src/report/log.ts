import { logLine } from './safe-text.js'

/** What the engine needs to report progress; the action backs it with @actions/core. */
export interface Log {
  info(message: string): void
  debug(message: string): void
  warning(message: string): void
  notice(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** A Log that keeps every line; for tests and quiet callers. */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: m => void lines.push(m),
    debug: m => void lines.push(`debug: ${m}`),
    warning: m => void lines.push(`warning: ${m}`),
    notice: m => void lines.push(`notice: ${m}`),
    group: async (name, fn) => {
      lines.push(`group: ${name}`)
      return fn()
    }
  }
}

/** Wraps a Log so that every message and group name is one safe log line (see safe-text.ts). */
export function safeLog(raw: Log): Log {
  return {
    info: m => raw.info(logLine(m)),
    debug: m => raw.debug(logLine(m)),
    warning: m => raw.warning(logLine(m)),
    notice: m => raw.notice(logLine(m)),
    group: (name, fn) => raw.group(logLine(name), fn)
  }
}
