import pg from 'pg'

// Reads of the shared database, for what the HTTP answers cannot show (the audit trail, the
// token family). The suite never writes to it through here.

export async function withDatabase<T>(url: string, read: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await read(client)
  } finally {
    await client.end()
  }
}

/** How many audit rows of `event` the sessions in `sessionIds` have. */
export async function auditCount(url: string, event: string, sessionIds: string[]): Promise<number> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<{ n: string }>('select count(*) as n from audit_events where event = $1 and session_id = any($2)', [event, sessionIds])
    return Number(rows[0]!.n)
  })
}

/** Of the sessions in `sessionIds`, the ones revoked. */
export async function revokedSessions(url: string, sessionIds: string[]): Promise<Array<{ id: string; reason: string | null }>> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query<{ id: string; reason: string | null }>('select id, revoked_reason as reason from sessions where revoked_at is not null and id = any($1)', [sessionIds])
    return rows
  })
}
