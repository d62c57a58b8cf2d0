import { data, Form, Link, useNavigation, useRouteLoaderData } from 'react-router'
import type { Route } from './+types/workspace-detail'
import { BRAND_KIT_LIMITS, brandKitIssues } from '../../../domain/brand-kit.ts'
import {
  WORKSPACE_LIMITS,
  type BrandKit,
  type BrandKitVersionSummary,
  type SaveBrandKitResponse,
  type Workspace,
  type WorkspaceWithKit,
} from '../../../api/schemas/workspace.ts'
import { Badge } from '~/components/badge'
import { BrandKitEditor, brandKitFromValues, checkBrandKitForm, placeBrandKitIssues, readBrandKitForm, type BrandKitFormErrors, type BrandKitFormValues } from '~/components/brand-kit-editor'
import { BrandKitHistory } from '~/components/brand-kit-history'
import { BrandKitPreview } from '~/components/brand-kit-preview'
import { BrandKitSummary } from '~/components/brand-kit-summary'
import { Button } from '~/components/button'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { LocalTime } from '~/components/local-time'
import { WORKSPACE_FORM_FIELDS, WorkspaceDetailsForm, readWorkspaceForm, type WorkspaceFormErrors, type WorkspaceFormValues } from '~/components/workspace-form'
import { ApiError, formErrorsFrom, type User, notThereAs } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `${loaderData.workspace.name} · Greenlight` : 'Workspace · Greenlight' }]

const notThere = notThereAs('workspace')

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const base = `/api/workspaces/${encodeURIComponent(params.workspaceId)}`
  const requested = url.searchParams.get('version')
  const viewVersion = requested && /^[1-9][0-9]{0,8}$/.test(requested) ? Number(requested) : undefined
  const [detail, history, viewed] = await Promise.all([
    callApiAsUser<WorkspaceWithKit>({ request, url }, base),
    callApiAsUser<{ versions: BrandKitVersionSummary[] }>({ request, url }, `${base}/brand-kit/versions`),
    viewVersion === undefined
      ? null
      : callApiAsUser<{ brandKit: BrandKit }>({ request, url }, `${base}/brand-kit/versions/${viewVersion}`).catch((error: unknown) => {
          // A version that does not exist is just not shown; the page itself is fine.
          if (error instanceof ApiError && error.status === 404) return null
          throw error
        }),
  ]).catch(notThere)
  return {
    workspace: detail.data.workspace,
    brandKit: detail.data.brandKit,
    versions: history.data.versions,
    viewed: viewed && viewed.data.brandKit.version !== detail.data.brandKit.version ? viewed.data.brandKit : null,
    limits: WORKSPACE_LIMITS,
  }
}

type ActionResult =
  | { intent: 'save-kit'; values: BrandKitFormValues; errors: BrandKitFormErrors }
  | { intent: 'update-details'; values: WorkspaceFormValues; errors: WorkspaceFormErrors }
  | { intent: 'logo' | 'archive'; error: string }
  | { intent: 'done'; notice: string }

/** Uploads larger than this never reach the API: the web server would have to hold them in memory first. */
const MAX_UPLOAD_REQUEST_BYTES = BRAND_KIT_LIMITS.logoBytes + 64 * 1024

export async function action({ request, url, params }: Route.ActionArgs) {
  const base = `/api/workspaces/${encodeURIComponent(params.workspaceId)}`
  const args = { request, url }
  const refused = (result: ActionResult, status: number) => data<ActionResult>(result, { status })

  if (request.headers.get('content-type')?.startsWith('multipart/form-data')) {
    const length = Number(request.headers.get('content-length'))
    if (!Number.isFinite(length) || length <= 0 || length > MAX_UPLOAD_REQUEST_BYTES) {
      return refused({ intent: 'logo', error: `The logo is larger than ${BRAND_KIT_LIMITS.logoBytes / 1024 / 1024} MB.` }, 413)
    }
  }
  const formData = await request.formData()
  const csrf = formData.get(CSRF_FIELD)
  const intent = formData.get('intent')

  try {
    switch (intent) {
      case 'save-kit': {
        const values = readBrandKitForm(formData)
        const errors = checkBrandKitForm(values)
        if (Object.keys(errors).length > 0) return refused({ intent, values, errors }, 400)
        const { content, colorRows } = brandKitFromValues(values)
        try {
          const response = await callApiAsUser<SaveBrandKitResponse>(args, `${base}/brand-kit`, {
            method: 'PUT',
            body: { baseVersion: Number(formData.get('baseVersion')), ...content },
            csrf,
          })
          const { brandKit, created } = response.data
          return { intent: 'done', notice: created ? `Saved as version ${brandKit.version}.` : 'Nothing changed, so no new version was written.' } satisfies ActionResult
        } catch (error) {
          if (!(error instanceof ApiError) || error.status >= 500) throw error
          // Keep what was typed: a conflict or a refusal must not throw the edit away.
          const placed = error.status === 400 ? placeBrandKitIssues(error.details, colorRows, error.message) : { form: error.message }
          return refused({ intent, values, errors: placed }, error.status)
        }
      }
      case 'update-details': {
        const { values, errors } = readWorkspaceForm(formData, WORKSPACE_LIMITS)
        if (Object.keys(errors).length > 0) return refused({ intent, values, errors }, 400)
        try {
          await callApiAsUser(args, base, { method: 'PATCH', body: values, csrf })
          return { intent: 'done', notice: 'Details saved.' } satisfies ActionResult
        } catch (error) {
          if (!(error instanceof ApiError) || error.status >= 500) throw error
          return refused({ intent, values, errors: error.status === 400 ? formErrorsFrom(error, WORKSPACE_FORM_FIELDS) : { form: error.message } }, error.status)
        }
      }
      case 'archive':
      case 'unarchive':
        await callApiAsUser(args, `${base}/${intent}`, { method: 'POST', csrf })
        return { intent: 'done', notice: intent === 'archive' ? 'Archived: the workspace is read-only until you unarchive it.' : 'Unarchived.' } satisfies ActionResult
      case 'upload-logo': {
        const file = formData.get('logo')
        if (!(file instanceof File) || (file.size === 0 && file.name === '')) return refused({ intent: 'logo', error: 'Choose an image file first.' }, 400)
        const upload = new FormData()
        upload.set('baseVersion', String(formData.get('baseVersion') ?? ''))
        upload.set('logo', file, file.name)
        await callApiAsUser(args, `${base}/brand-kit/logo`, { method: 'POST', formData: upload, csrf })
        return { intent: 'done', notice: 'Logo uploaded as a new version.' } satisfies ActionResult
      }
      case 'remove-logo':
        await callApiAsUser(args, `${base}/brand-kit/logo?baseVersion=${encodeURIComponent(String(formData.get('baseVersion') ?? ''))}`, { method: 'DELETE', csrf })
        return { intent: 'done', notice: 'Logo removed in a new version.' } satisfies ActionResult
      default:
        return refused({ intent: 'archive', error: 'Unknown action.' }, 400)
    }
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error
    // Refusals (wrong file type, too large, archived, stale version, no permission) belong on the page.
    const where = intent === 'upload-logo' || intent === 'remove-logo' ? 'logo' : 'archive'
    return refused({ intent: where, error: error.message }, error.status)
  }
}

function useSignedInUser(): User | undefined {
  return (useRouteLoaderData('routes/signed-in') as { user: User } | undefined)?.user
}

function WorkspaceHeader({ workspace, canWrite, error }: { workspace: Workspace; canWrite: boolean; error: string | undefined }) {
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && ['archive', 'unarchive'].includes(String(navigation.formData?.get('intent')))
  const archived = workspace.archivedAt !== null
  return (
    <header className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1">
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight" data-testid="workspace-name">
              {workspace.name}
            </h1>
            {archived && (
              <Badge tone="slate" data-testid="archived-badge">
                Archived
              </Badge>
            )}
          </div>
          <p className="text-sm text-slate-600">
            Client: <span className="font-medium text-slate-800" data-testid="workspace-client">{workspace.clientName}</span>
            {archived && workspace.archivedAt && (
              <>
                {' '}
                · archived <LocalTime iso={workspace.archivedAt} />
              </>
            )}
          </p>
          {workspace.description && <p className="max-w-2xl text-sm text-slate-500">{workspace.description}</p>}
        </div>
        {canWrite && (
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value={archived ? 'unarchive' : 'archive'} />
            <Button type="submit" variant="secondary" disabled={busy} data-testid={archived ? 'unarchive-workspace' : 'archive-workspace'}>
              {archived ? 'Unarchive' : 'Archive'}
            </Button>
          </Form>
        )}
      </div>
      <FormError message={error} />
    </header>
  )
}

export default function WorkspaceDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace, brandKit, versions, viewed, limits } = loaderData
  const permissions = new Set<string>(useSignedInUser()?.permissions ?? [])
  const archived = workspace.archivedAt !== null
  const canWrite = permissions.has('workspace.write')
  const canEditKit = permissions.has('brandkit.write') && !archived
  const result = actionData as ActionResult | undefined

  return (
    <div className="space-y-6">
      <Link to="/workspaces" className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← Workspaces
      </Link>
      <WorkspaceHeader workspace={workspace} canWrite={canWrite} error={result?.intent === 'archive' ? result.error : undefined} />
      <nav className="flex flex-wrap gap-6 text-sm font-semibold" aria-label="Workspace">
        <Link to={`/workspaces/${workspace.id}/board`} className="text-emerald-700 hover:text-emerald-600" data-testid="workspace-board-link">
          Board →
        </Link>
        <Link to={`/workspaces/${workspace.id}/review`} className="text-emerald-700 hover:text-emerald-600" data-testid="workspace-review-link">
          Review →
        </Link>
        <Link to={`/workspaces/${workspace.id}/approvals`} className="text-emerald-700 hover:text-emerald-600" data-testid="workspace-approvals-link">
          Approvals →
        </Link>
        <Link to={`/workspaces/${workspace.id}/review-links`} className="text-emerald-700 hover:text-emerald-600" data-testid="workspace-review-links-link">
          Client review links →
        </Link>
        <Link to={`/workspaces/${workspace.id}/assets`} className="text-emerald-700 hover:text-emerald-600" data-testid="workspace-assets-link">
          Assets →
        </Link>
        {permissions.has('ai.generate') && !archived && (
          <>
            <Link to={`/workspaces/${workspace.id}/generate`} className="text-emerald-700 hover:text-emerald-600" data-testid="workspace-generate-link">
              Generate captions →
            </Link>
            <Link to={`/workspaces/${workspace.id}/repurpose`} className="text-emerald-700 hover:text-emerald-600" data-testid="workspace-repurpose-link">
              Repurpose a text →
            </Link>
          </>
        )}
        {permissions.has('campaign.read') && (
          <Link to={`/ai/batches?workspaceId=${workspace.id}`} className="text-emerald-700 hover:text-emerald-600" data-testid="workspace-batches-link">
            AI drafts →
          </Link>
        )}
      </nav>
      {result?.intent === 'done' && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="workspace-notice">
          {result.notice}
        </p>
      )}

      {canEditKit ? (
        // A new version remounts the editor, so it starts from what was saved.
        <BrandKitEditor
          key={brandKit.version}
          workspaceId={workspace.id}
          clientName={workspace.clientName}
          kit={brandKit}
          rejected={result?.intent === 'save-kit' ? result : undefined}
          logoError={result?.intent === 'logo' ? result.error : undefined}
        />
      ) : (
        <section className="grid gap-6 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:grid-cols-5" data-testid="brand-kit-readonly">
          <div className="lg:col-span-3">
            <div className="flex items-baseline justify-between gap-4">
              <h2 className="text-base font-semibold">Brand kit</h2>
              <span className="text-sm text-slate-500" data-testid="current-version">
                Version {brandKit.version}
              </span>
            </div>
            <p className="mt-1 text-sm text-slate-500">{archived ? 'Archived workspaces are read-only.' : 'Your role can look at the brand kit but not change it.'}</p>
            <BrandKitSummary kit={brandKit} />
          </div>
          <div className="lg:col-span-2">
            <BrandKitPreview
              content={brandKit}
              issues={brandKitIssues(brandKit)}
              clientName={workspace.clientName}
              logo={brandKit.logo ? { url: `/workspaces/${workspace.id}/logo?version=${brandKit.version}`, alt: `${workspace.clientName} logo` } : null}
            />
          </div>
        </section>
      )}

      <div className="grid gap-6 lg:grid-cols-5">
        <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:col-span-3" id="history">
          <h2 className="text-base font-semibold">Version history</h2>
          <p className="mt-1 text-sm text-slate-500">Every edit is kept as a version; AI drafts record the version they were written with.</p>
          <BrandKitHistory versions={versions} currentVersion={brandKit.version} viewedVersion={viewed?.version} />
        </section>
        <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:col-span-2">
          <h2 className="text-base font-semibold">Details</h2>
          {canWrite && !archived ? (
            <div className="mt-4">
              <WorkspaceDetailsForm
                key={workspace.updatedAt}
                limits={limits}
                values={result?.intent === 'update-details' ? result.values : workspace}
                errors={result?.intent === 'update-details' ? result.errors : undefined}
              />
            </div>
          ) : (
            <dl className="mt-3 space-y-2 text-sm">
              <div>
                <dt className="text-slate-500">Name</dt>
                <dd className="text-slate-800">{workspace.name}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Client</dt>
                <dd className="text-slate-800">{workspace.clientName}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Description</dt>
                <dd className="whitespace-pre-line text-slate-800">{workspace.description || '—'}</dd>
              </div>
            </dl>
          )}
          <p className="mt-4 text-xs text-slate-500">
            Created <LocalTime iso={workspace.createdAt} />
          </p>
        </section>
      </div>

      {viewed && (
        <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" id="brand-kit-version-view" data-testid="viewed-version">
          <div className="flex flex-wrap items-baseline justify-between gap-4">
            <h2 className="text-base font-semibold">
              Version {viewed.version} <span className="font-normal text-slate-500">as it was</span>
            </h2>
            <Link to="." preventScrollReset className="text-sm font-semibold text-emerald-700 hover:text-emerald-600">
              Close
            </Link>
          </div>
          <div className="grid gap-6 lg:grid-cols-5">
            <div className="lg:col-span-3">
              <BrandKitSummary kit={viewed} />
            </div>
            <div className="lg:col-span-2">
              <BrandKitPreview
                testId="viewed-version-preview"
                content={viewed}
                issues={brandKitIssues(viewed)}
                clientName={workspace.clientName}
                logo={viewed.logo ? { url: `/workspaces/${workspace.id}/logo?version=${viewed.version}`, alt: `Logo of version ${viewed.version}` } : null}
              />
            </div>
          </div>
        </section>
      )}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
