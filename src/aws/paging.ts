/**
 * Every page of a listing. `page` fetches one page from a token and gives its items and the
 * next token; a token that repeats ends it (an emulator may ignore paging).
 */
export async function allPages<T>(page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = []
  let token: string | undefined
  do {
    const got = await page(token)
    items.push(...got.items)
    token = got.next && got.next !== token ? got.next : undefined
  } while (token)
  return items
}
