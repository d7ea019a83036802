/**
 * Every page of a listing. `page` fetches one page from a token and gives its items and the
 * next token; a token that repeats ends it (an emulator may ignore paging).
 */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>
): Promise<T[]> {
  const items: T[] = []
  let token: string | undefined
  do {
    const got = await page(token)
    items.push(...got.items)
    token = got.next && got.next !== token ? got.next : undefined
  } while (token)
  return items
}

/**
 * The first item of a listing that `match` picks, reading no more pages than it takes; and how many were
 * looked at.
 */
export async function findInPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
  match: (item: T) => boolean
): Promise<{ found?: T; seen: number }> {
  let token: string | undefined
  let seen = 0
  do {
    const got = await page(token)
    const found = got.items.find(match)
    if (found) return { found, seen: seen + got.items.indexOf(found) + 1 }
    seen += got.items.length
    token = got.next && got.next !== token ? got.next : undefined
  } while (token)
  return { seen }
}
