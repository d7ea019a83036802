/** Types for moto-server.mjs (the resolver of moto server, shared by the demo, the tests, the benchmark and CI). */
export declare const ROOT: string
export declare const REQUIREMENTS: string
export declare class MotoServerError extends Error {}
export declare function resolveMotoServer(options?: {
  env?: NodeJS.ProcessEnv
  root?: string
  log?: (line: string) => void
}): string
