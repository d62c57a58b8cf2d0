// How every process reaches Temporal: the local dev server by default, a real cluster or Temporal Cloud
// through TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TLS / API-key settings.
import { readFileSync } from 'node:fs'
import { Client, Connection } from '@temporalio/client'
// @temporalio/proto is CommonJS whose exports Node's ESM loader cannot name statically.
import proto from '@temporalio/proto'
import type { TemporalSettings } from './config'
import {
  AgencyIdAttribute,
  CampaignIdAttribute,
  StageAttribute,
} from '../workflows/campaign/definitions'

export function temporalAddress(settings: TemporalSettings): string {
  return settings.address ?? `127.0.0.1:${settings.devServerPort}`
}

/** Options accepted by both the client Connection and the worker's NativeConnection. */
export function temporalConnectionOptions(settings: TemporalSettings) {
  const tls = settings.tls
    ? {
        ...(settings.tlsServerName ? { serverNameOverride: settings.tlsServerName } : {}),
        ...(settings.tlsCertPath && settings.tlsKeyPath
          ? {
              clientCertPair: {
                crt: readFileSync(settings.tlsCertPath),
                key: readFileSync(settings.tlsKeyPath),
              },
            }
          : {}),
      }
    : undefined
  return {
    address: temporalAddress(settings),
    ...(tls ? { tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  }
}

export async function connectTemporalClient(settings: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect({ ...temporalConnectionOptions(settings), connectTimeout: '10s' })
  return new Client({ connection, namespace: settings.namespace })
}

/** The custom search attributes Greenlight's workflows set. */
export const SEARCH_ATTRIBUTES = [AgencyIdAttribute, CampaignIdAttribute, StageAttribute]

/**
 * Registers the custom search attributes on a cluster that lacks them (the dev server gets them on
 * its command line). Temporal Cloud refuses this call: there they are added once in the Cloud UI or
 * with tcld, and this function then only reports which are missing.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<{ added: string[]; missing: string[] }> {
  // Temporal's time-skipping test server cannot list attributes but can add them: treat "cannot list"
  // as "none yet".
  const existing = await connection.operatorService
    .listSearchAttributes({ namespace })
    .then((response) => Object.keys(response.customAttributes ?? {}))
    .catch(() => [] as string[])
  const wanted = SEARCH_ATTRIBUTES.filter((key) => !existing.includes(key.name))
  if (wanted.length === 0) return { added: [], missing: [] }
  const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(wanted.map((key) => [key.name, KEYWORD])),
    })
    return { added: wanted.map((key) => key.name), missing: [] }
  } catch {
    return { added: [], missing: wanted.map((key) => key.name) }
  }
}

/** Dev-server command-line flags that create the same attributes. */
export function devServerSearchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`])
}
