// Live board updates across API processes. A change to a card sends a PostgreSQL NOTIFY inside the same
// transaction, so it is delivered only if the change commits, and to every API process that LISTENs; each
// process then tells the open boards (server-sent event streams) that may see the card.
import { EventEmitter } from 'node:events'
import pg from 'pg'
import { BOARD_CHANNEL, type BoardChange } from '../../platform/board-changes'

/** The emitter event for a dropped LISTEN connection (agency ids are UUIDs, so it cannot clash). */
const LOST = 'connection-lost'

export type ReceivedBoardChange = BoardChange & { at: string }

export interface BoardEventHub {
  /**
   * Calls `listener` for every committed change of the agency until the returned function is called. Resolves
   * once this process is listening, so a change committed after that is never missed. `onLost` is called when
   * the listening connection drops: changes may have been missed, so the subscriber should start over.
   */
  subscribe(agencyId: string, listener: (change: ReceivedBoardChange) => void, onLost: () => void): Promise<() => void>
  close(): Promise<void>
}

const RECONNECT_MS = 2_000

/**
 * One LISTEN connection per API process, opened on the first subscriber and re-opened after a drop. Changes
 * made while the connection was down are not replayed: subscribers hear that it dropped, end their streams,
 * and the board that reconnects reloads (the web client does so when its event stream reopens).
 */
export function createBoardEventHub(databaseUrl: string, log: { warn(obj: object, msg: string): void }): BoardEventHub {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  let client: pg.Client | null = null
  let connecting: Promise<void> | null = null
  let closed = false
  let subscribers = 0

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: databaseUrl, application_name: 'greenlight-board-events' })
      next.on('notification', (message) => {
        if (message.channel !== BOARD_CHANNEL || !message.payload) return
        try {
          const change = JSON.parse(message.payload) as ReceivedBoardChange
          emitter.emit(change.agencyId, change)
        } catch (error) {
          log.warn({ err: error }, 'Ignored an unreadable board event')
        }
      })
      next.on('error', (error) => {
        log.warn({ err: error }, 'Board event connection failed; reconnecting')
        emitter.emit(LOST)
        void next.end().catch(() => undefined)
        if (client === next) client = null
        if (!closed && subscribers > 0) setTimeout(() => void connect().catch(() => undefined), RECONNECT_MS).unref()
      })
      await next.connect()
      await next.query(`LISTEN ${BOARD_CHANNEL}`)
      if (closed) {
        await next.end()
        return
      }
      client = next
    })().finally(() => {
      connecting = null
    })
    return connecting
  }

  return {
    async subscribe(agencyId, listener, onLost) {
      subscribers += 1
      emitter.on(agencyId, listener)
      emitter.on(LOST, onLost)
      const unsubscribe = () => {
        subscribers -= 1
        emitter.off(agencyId, listener)
        emitter.off(LOST, onLost)
      }
      try {
        if (!client) await connect()
      } catch (error) {
        unsubscribe()
        throw error
      }
      return unsubscribe
    },
    async close() {
      closed = true
      await connecting?.catch(() => undefined)
      await client?.end().catch(() => undefined)
      client = null
    },
  }
}
