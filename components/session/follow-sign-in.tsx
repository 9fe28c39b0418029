'use client'

import { useEffect } from 'react'
import { useSessionClient } from './session-client-provider'

/**
 * For pages of signed-out people (the login page): when another tab signs in, go where this
 * tab was headed (SPEC §9: sign-in reaches every tab). `next` must be a checked same-origin path.
 */
export function FollowSignInFromOtherTabs({ next }: { next: string }) {
  const client = useSessionClient()
  useEffect(
    () =>
      client.events.followOtherTabs((message) => {
        if (message.type === 'signed-in') client.leavePage(next)
      }),
    [client, next],
  )
  return null
}
