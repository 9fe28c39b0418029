// "Load more" paging over cursor APIs (`{…, nextCursor}`, SPEC §7) with SWR Infinite, through
// the API client like every other read.

import useSWRInfinite from 'swr/infinite'
import type { ApiError } from '@/lib/client/api-error'
import { useSessionClient } from '@/components/session/session-client-provider'

type Page = { nextCursor: string | number | null }

/** `path` is the first page's URL (with any filters); null waits. Later pages add `cursor`. */
export function usePagedApi<T extends Page>(path: string | null) {
  const { api } = useSessionClient()
  const pages = useSWRInfinite<T, ApiError>(
    (index, previous: T | null) => {
      if (path === null) return null
      if (index === 0) return path
      if (previous?.nextCursor == null) return null
      return `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(String(previous.nextCursor))}`
    },
    (key: string) => api.call<T>(key),
    // Later pages are not refetched whenever the first one is: "Load more" must stay put.
    { revalidateAll: false, revalidateFirstPage: true },
  )
  const last = pages.data?.at(-1)
  const hasMore = last ? last.nextCursor != null : false
  const loadingMore = pages.isValidating && pages.data !== undefined && pages.size > pages.data.length
  return { ...pages, hasMore, loadingMore, loadMore: () => pages.setSize((size) => size + 1) }
}
