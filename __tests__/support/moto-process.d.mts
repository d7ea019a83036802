/** Types for moto-process.mjs (a moto server process that never outlives the process that started it). */
export declare function freePort(): Promise<number>
export declare function spawnMoto(
  bin: string,
  env?: Record<string, string>
): Promise<{ endpoint: string; pid: number | undefined; stop: () => Promise<void> }>
