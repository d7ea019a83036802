/**
 * Promise.all that lets every call finish before reporting the first failure, so no call is
 * left running unobserved behind an error.
 */
export async function all<T extends readonly unknown[]>(
  promises: [...{ [K in keyof T]: Promise<T[K]> }]
): Promise<T> {
  const results = await Promise.allSettled(promises as readonly Promise<unknown>[])
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
  return results.map(r => (r as PromiseFulfilledResult<unknown>).value) as unknown as T
}
