'use client'

import { useEffect } from 'react'
import { leavePage } from '@/lib/client/leave-page'
import { followOtherTabs } from '@/lib/client/session-events'

/**
 * For pages of signed-out people (the login page): when another tab signs in, go where this
 * tab was headed (SPEC §9: sign-in reaches every tab). `next` must be a checked same-origin path.
 */
export function FollowSignInFromOtherTabs({ next }: { next: string }) {
  useEffect(
    () =>
      followOtherTabs((message) => {
        if (message.type === 'signed-in') leavePage(next)
      }),
    [next],
  )
  return null
}
