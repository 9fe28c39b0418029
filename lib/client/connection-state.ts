// What the person should know about the link to the server, outside React so that only the
// components showing it re-render.

import { createExternalStore } from './external-store'

/** `reconnecting`: a request failed on the network and is being retried; `offline`: retries ran out. */
export type NetworkState = 'online' | 'reconnecting' | 'offline'

export const networkState = createExternalStore<NetworkState>('online')

/** True while a session refresh has taken longer than a second (SPEC §9: a spinner only then). */
export const slowRefresh = createExternalStore<boolean>(false)
