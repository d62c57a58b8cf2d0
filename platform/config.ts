// One place that reads the environment. Every process (start script, worker, API, web server, sandbox)
// takes its settings from here, so the README's configuration table has a single source.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

function int(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`)
  return value
}

function str(name: string, fallback: string): string {
  const raw = process.env[name]
  return raw === undefined || raw === '' ? fallback : raw
}

function bool(name: string, fallback: boolean): boolean {
  const raw = process.env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['true', '1', 'yes'].includes(raw)) return true
  if (['false', '0', 'no'].includes(raw)) return false
  throw new Error(`${name} must be true or false, got "${process.env[name]}"`)
}

function optional(name: string): string | undefined {
  const raw = process.env[name]
  return raw === undefined || raw === '' ? undefined : raw
}

export interface TemporalSettings {
  /** host:port of the frontend service; unset means "start the local dev server". */
  address: string | undefined
  namespace: string
  taskQueue: string
  /** Temporal Web base URL, for links in the UI and the start banner. */
  uiUrl: string
  devServerPort: number
  devServerUiPort: number
  tls: boolean
  tlsCertPath: string | undefined
  tlsKeyPath: string | undefined
  tlsServerName: string | undefined
  apiKey: string | undefined
}

export function temporalSettings(): TemporalSettings {
  const devServerPort = int('TEMPORAL_DEV_PORT', 7233)
  const devServerUiPort = int('TEMPORAL_UI_PORT', 8233)
  const apiKey = optional('TEMPORAL_API_KEY')
  const tlsCertPath = optional('TEMPORAL_TLS_CERT_PATH')
  const tlsKeyPath = optional('TEMPORAL_TLS_KEY_PATH')
  if (Boolean(tlsCertPath) !== Boolean(tlsKeyPath)) {
    throw new Error('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together: set both (mTLS) or neither')
  }
  return {
    address: optional('TEMPORAL_ADDRESS'),
    namespace: str('TEMPORAL_NAMESPACE', 'default'),
    taskQueue: str('TEMPORAL_TASK_QUEUE', 'greenlight'),
    uiUrl: str('TEMPORAL_UI_URL', `http://localhost:${devServerUiPort}`),
    devServerPort,
    devServerUiPort,
    // An API key (Temporal Cloud) or client certificates imply TLS unless TEMPORAL_TLS=false says otherwise.
    tls: bool('TEMPORAL_TLS', Boolean(apiKey || tlsCertPath)),
    tlsCertPath,
    tlsKeyPath,
    tlsServerName: optional('TEMPORAL_TLS_SERVER_NAME'),
    apiKey,
  }
}

export const dataDir = path.resolve(projectRoot, str('GREENLIGHT_DATA_DIR', '.data'))

export function settings() {
  return {
    databaseUrl: optional('DATABASE_URL'),
    embeddedPostgresPort: int('EMBEDDED_PG_PORT', 5433),
    apiHost: str('API_HOST', '127.0.0.1'),
    apiPort: int('API_PORT', 3001),
    webHost: str('WEB_HOST', '127.0.0.1'),
    webPort: int('WEB_PORT', 3000),
    /** Addresses whose x-forwarded-for the API believes (the web server's); comma-separated IPs or CIDRs. */
    apiTrustProxy: str('API_TRUST_PROXY', '127.0.0.1,::1,::ffff:127.0.0.1'),
    apiUrl: str('API_URL', `http://127.0.0.1:${int('API_PORT', 3001)}`),
    webUrl: str('WEB_URL', `http://localhost:${int('WEB_PORT', 3000)}`),
    sandboxPort: int('SANDBOX_PORT', 3010),
    cookieSecure: bool('COOKIE_SECURE', false),
    logLevel: str('LOG_LEVEL', 'info'),
    sessionTtlDays: int('SESSION_TTL_DAYS', 14),
    /** Seconds between a campaign being created without a start time and its launch. */
    temporal: temporalSettings(),
    /** "kid:base64key,..." for token encryption at rest; unset in development means <dataDir>/token-keys. */
    tokenKeys: optional('GREENLIGHT_TOKEN_KEYS'),
    /** HMAC secret of client review links (at least 32 characters); unset in development means <dataDir>/review-link-secret. */
    reviewLinkSecret: optional('REVIEW_LINK_SECRET'),
    /** smtp(s)://user:pass@host:port; unset means e-mails stay in the outbox table (development). */
    smtpUrl: optional('SMTP_URL'),
    /** PostgreSQL connections of a worker process (publishing storms write many rows at once). */
    workerDbPoolSize: int('WORKER_DB_POOL_SIZE', 20),
    mailFrom: str('MAIL_FROM', 'Greenlight <no-reply@greenlight.local>'),
    /** Slack-compatible incoming-webhook URL for notifications; unset means in-app and e-mail only. */
    notifyWebhookUrl: optional('NOTIFY_WEBHOOK_URL'),
    oauth: oauthSettings(),
    loginLimits: {
      perAccount: int('LOGIN_MAX_FAILURES_PER_ACCOUNT', 5),
      perIp: int('LOGIN_MAX_FAILURES_PER_IP', 30),
      windowSeconds: int('LOGIN_FAILURE_WINDOW_SECONDS', 15 * 60),
    },
  }
}

export const MEBIBYTE = 1024 * 1024

/** Where uploaded files are kept: local disk (default) or an S3-compatible bucket. */
export type StorageSettings =
  | { driver: 'local'; rootDir: string }
  | {
      driver: 's3'
      /** An S3-compatible endpoint (MinIO, R2, the sandbox's /s3); unset means AWS S3 in `region`. */
      endpoint: string | undefined
      bucket: string
      region: string
      /** Unset: the AWS SDK's default credential chain (AWS_* variables, instance role). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined
      forcePathStyle: boolean
    }

export function storageSettings(): StorageSettings {
  const driver = str('STORAGE_DRIVER', 'local')
  if (driver === 'local') return { driver, rootDir: path.join(dataDir, 'uploads') }
  if (driver !== 's3') throw new Error(`STORAGE_DRIVER must be local or s3, got "${driver}"`)
  const bucket = optional('S3_BUCKET')
  if (!bucket) throw new Error('STORAGE_DRIVER=s3 needs S3_BUCKET')
  const accessKeyId = optional('S3_ACCESS_KEY_ID')
  const secretAccessKey = optional('S3_SECRET_ACCESS_KEY')
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither for the AWS default credentials')
  }
  const endpoint = optional('S3_ENDPOINT')
  return {
    driver,
    endpoint,
    bucket,
    region: str('S3_REGION', 'us-east-1'),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    // S3-compatible servers mostly want bucket-in-path addressing; AWS itself prefers virtual hosts.
    forcePathStyle: bool('S3_FORCE_PATH_STYLE', endpoint !== undefined),
  }
}

export interface UploadLimits {
  /** Largest accepted file, in bytes. */
  maxFileBytes: number
  /** Most files in one upload request. */
  maxFiles: number
}

export function uploadLimits(): UploadLimits {
  const maxFileBytes = int('UPLOAD_MAX_FILE_BYTES', 50 * MEBIBYTE)
  const maxFiles = int('UPLOAD_MAX_FILES', 20)
  if (maxFileBytes < 1) throw new Error('UPLOAD_MAX_FILE_BYTES must be at least 1')
  if (maxFiles < 1) throw new Error('UPLOAD_MAX_FILES must be at least 1')
  return { maxFileBytes, maxFiles }
}

export interface OAuthSettings {
  /** Where the browser is sent back after an OAuth dialog: <webUrl>/oauth/<provider>/callback. */
  webUrl: string
  meta: {
    mode: 'live' | 'sandbox'
    appId: string
    appSecret: string
    /** Facebook Login for Business configuration id; when set it replaces the scope list in the dialog. */
    configId: string | undefined
    graphVersion: string
    dialogBaseUrl: string
    graphBaseUrl: string
  }
  tiktok: {
    mode: 'live' | 'sandbox'
    clientKey: string
    clientSecret: string
    authBaseUrl: string
    apiBaseUrl: string
  }
}

/**
 * OAuth endpoints. With real credentials (META_APP_ID/SECRET, TIKTOK_CLIENT_KEY/SECRET) the real hosts are
 * used; without them the sandbox stand-ins, with sandbox client ids. Every base URL can be overridden.
 */
export function oauthSettings(): OAuthSettings {
  const sandboxUrl = str('SANDBOX_URL', `http://localhost:${int('SANDBOX_PORT', 3010)}`).replace(/\/+$/, '')
  const modes = integrationModes()
  const metaLive = modes.meta === 'live'
  const tiktokLive = modes.tiktok === 'live'
  return {
    webUrl: str('WEB_URL', `http://localhost:${int('WEB_PORT', 3000)}`).replace(/\/+$/, ''),
    meta: {
      mode: modes.meta,
      appId: metaLive ? process.env.META_APP_ID! : 'sandbox-meta-app',
      appSecret: metaLive ? process.env.META_APP_SECRET! : 'sandbox-meta-secret',
      configId: optional('META_LOGIN_CONFIG_ID'),
      graphVersion: str('META_GRAPH_VERSION', 'v24.0'),
      dialogBaseUrl: str('META_DIALOG_URL', metaLive ? 'https://www.facebook.com' : `${sandboxUrl}/meta`),
      graphBaseUrl: str('META_GRAPH_URL', metaLive ? 'https://graph.facebook.com' : `${sandboxUrl}/meta`),
    },
    tiktok: {
      mode: modes.tiktok,
      clientKey: tiktokLive ? process.env.TIKTOK_CLIENT_KEY! : 'sandbox-tiktok-client',
      clientSecret: tiktokLive ? process.env.TIKTOK_CLIENT_SECRET! : 'sandbox-tiktok-secret',
      authBaseUrl: str('TIKTOK_AUTH_URL', tiktokLive ? 'https://www.tiktok.com' : `${sandboxUrl}/tiktok`),
      apiBaseUrl: str('TIKTOK_API_URL', tiktokLive ? 'https://open.tiktokapis.com' : `${sandboxUrl}/tiktok`),
    },
  }
}

/** Which external services have real credentials; the rest run against sandbox/ stand-ins. */
export function integrationModes() {
  const ai = optional('OPENAI_API_KEY') ? 'openai' : optional('GEMINI_API_KEY') ? 'gemini' : 'offline'
  const meta = optional('META_APP_ID') && optional('META_APP_SECRET') ? 'live' : 'sandbox'
  const tiktok = optional('TIKTOK_CLIENT_KEY') && optional('TIKTOK_CLIENT_SECRET') ? 'live' : 'sandbox'
  return { ai, meta, tiktok } as const
}

export interface AiProviderSettings {
  /** The deployment's key; an agency may set its own in Settings → AI. */
  apiKey: string | undefined
  /** Overrides the SDK's endpoint (a proxy, or the sandbox stand-in). */
  baseUrl: string | undefined
  model: string
  /** Calls in flight at once across every worker (the provider's slot leases). */
  concurrency: number
  /** Calls started per second on the provider's task queue, enforced by the Temporal server for all workers. */
  ratePerSecond: number
}

export interface AiSettings {
  openai: AiProviderSettings
  gemini: AiProviderSettings
  /** Longest a single provider call may take. */
  requestTimeoutMs: number
  /** How long a call keeps waiting out 429s (retry-after) before it gives up on the provider. */
  rateLimitPatienceMs: number
}

/** AI providers. Without keys the chain ends at the offline generator (integrationModes().ai says which). */
export function aiSettings(): AiSettings {
  const provider = (prefix: 'OPENAI' | 'GEMINI', model: string): AiProviderSettings => ({
    apiKey: optional(`${prefix}_API_KEY`),
    baseUrl: optional(`${prefix}_BASE_URL`),
    model: str(`${prefix}_MODEL`, model),
    concurrency: Math.max(1, int(`AI_${prefix}_CONCURRENCY`, 8)),
    ratePerSecond: Math.max(1, int(`AI_${prefix}_RATE_PER_SECOND`, 20)),
  })
  return {
    openai: provider('OPENAI', 'gpt-4o-mini'),
    gemini: provider('GEMINI', 'gemini-2.5-flash'),
    requestTimeoutMs: Math.max(1000, int('AI_REQUEST_TIMEOUT_MS', 60_000)),
    rateLimitPatienceMs: int('AI_RATE_LIMIT_PATIENCE_MS', 5 * 60_000),
  }
}

export interface PublishingSettings {
  /** Platform calls in flight per worker process, per platform (each platform has its own task queue). */
  concurrency: { instagram: number; facebook: number; tiktok: number }
  /**
   * Task slots of each publishing queue's worker: wider than the calls, since a post handed over before its
   * time holds a slot while it waits for the instant.
   */
  activitySlots: number
  /**
   * Platform calls in flight per account per worker process: a handful at once (the platforms limit calls per
   * hour or minute, not calls at once), each checked against the account's throttle just before it goes out.
   */
  callsPerAccount: number
  /** The API's address as the platforms reach it, for the signed media links they download posts' files from. */
  publicMediaBaseUrl: string
  /** How long a media link stays valid (the platforms fetch it within minutes of receiving it). */
  mediaLinkTtlSeconds: number
}

export function publishingSettings(): PublishingSettings {
  return {
    concurrency: {
      instagram: int('PUBLISH_CONCURRENCY_INSTAGRAM', 20),
      facebook: int('PUBLISH_CONCURRENCY_FACEBOOK', 20),
      tiktok: int('PUBLISH_CONCURRENCY_TIKTOK', 20),
    },
    activitySlots: int('PUBLISH_ACTIVITY_SLOTS', 1_000),
    callsPerAccount: int('PUBLISH_CALLS_PER_ACCOUNT', 4),
    publicMediaBaseUrl: str('PUBLIC_MEDIA_URL', str('API_URL', `http://127.0.0.1:${int('API_PORT', 3001)}`)).replace(/\/+$/, ''),
    mediaLinkTtlSeconds: int('MEDIA_LINK_TTL_SECONDS', 24 * 60 * 60),
  }
}
