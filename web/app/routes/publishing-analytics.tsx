// A workspace's analytics: how its published posts did over the last days, grouped by creator, campaign or
// platform — views per day and engagement rate per group as charts, every group's metrics as a table, and the
// three best posts with the reasons they did well. Before anything is published it says how to get there.
import { Link } from 'react-router'
import type { Route } from './+types/publishing-analytics'
import { DataTable, TABLE_CARD_CLASS } from '~/components/data-table'
import { ErrorPanel } from '~/components/error-panel'
import { EngagementByGroupChart, ViewsOverTimeChart } from '~/components/analytics/analytics-charts'
import { PlatformBadge } from '~/components/board/card-bits'
import { SandboxBadge } from '~/components/publishing/publishing-bits'
import { WorkspaceSectionHeader } from '~/components/publishing/workspace-section-header'
import {
  ANALYTICS_GROUP_NOUNS,
  ANALYTICS_GROUPING_LABELS,
  ANALYTICS_GROUPINGS,
  ANALYTICS_PERIODS,
  analyticsSearch,
  readAnalyticsQuery,
  type AnalyticsQuery,
  type AnalyticsView,
  type GroupMetrics,
  type TopPost,
} from '~/lib/analytics'
import { notThereAs } from '~/lib/api.server'
import { formatCount, formatInZone, formatRate, permalinkLabel } from '~/lib/publishing'
import { readWorkspaceName } from '~/lib/publishing.server'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData?.workspaceName ? `Analytics · ${loaderData.workspaceName} · Greenlight` : 'Analytics · Greenlight' },
]

const notThere = notThereAs('workspace')

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const workspaceId = params.workspaceId
  const query = readAnalyticsQuery(url.searchParams)
  const view = await callApiAsUser<AnalyticsView>(args, `/api/workspaces/${encodeURIComponent(workspaceId)}/analytics?${analyticsSearch(query)}`)
    .then((response) => response.data)
    .catch(notThere)
  // Read after the numbers, for the heading only.
  const workspaceName = await readWorkspaceName(args, workspaceId)
  return { workspaceId, workspaceName, query, view }
}

export default function AnalyticsPage({ loaderData }: Route.ComponentProps) {
  const { workspaceId, workspaceName, query, view } = loaderData
  const path = `/workspaces/${workspaceId}/analytics`
  const noun = ANALYTICS_GROUP_NOUNS[view.groupBy]
  return (
    <div className="space-y-6">
      <WorkspaceSectionHeader workspaceId={workspaceId} workspaceName={workspaceName} title="Analytics" testId="analytics-title">
        Published posts of the last {view.days} days, measured by their latest metrics.
      </WorkspaceSectionHeader>

      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Group by" className="flex gap-1 border-b border-slate-200" data-testid="analytics-tabs">
          {ANALYTICS_GROUPINGS.map((groupBy) => (
            <Link
              key={groupBy}
              to={`${path}?${analyticsSearch({ ...query, groupBy })}`}
              aria-current={view.groupBy === groupBy ? 'page' : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${view.groupBy === groupBy ? 'border-emerald-600 text-emerald-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
              data-testid={`analytics-tab-${groupBy}`}
            >
              {ANALYTICS_GROUPING_LABELS[groupBy]}
            </Link>
          ))}
        </nav>
        <PeriodLinks path={path} query={query} current={view.days} />
      </div>

      {view.totals.posts === 0 ? (
        <EmptyState workspaceId={workspaceId} days={view.days} />
      ) : (
        <>
          <Totals totals={view.totals} />
          <div className="grid gap-4 lg:grid-cols-2">
            <ViewsOverTimeChart groups={view.groups} groupNoun={noun} />
            <EngagementByGroupChart groups={view.groups} groupNoun={noun} />
          </div>
          <GroupTable view={view} />
          <TopPosts top={view.top} />
        </>
      )}
    </div>
  )
}

function PeriodLinks({ path, query, current }: { path: string; query: AnalyticsQuery; current: number }) {
  return (
    <div className="inline-flex rounded-md shadow-sm ring-1 ring-slate-300" role="group" aria-label="Period">
      {ANALYTICS_PERIODS.map((days) => (
        <Link
          key={days}
          to={`${path}?${analyticsSearch({ ...query, days })}`}
          aria-current={current === days ? 'page' : undefined}
          className={`px-3 py-1.5 text-sm font-medium first:rounded-l-md last:rounded-r-md ${current === days ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`}
          data-testid={`analytics-days-${days}`}
        >
          {days} days
        </Link>
      ))}
    </div>
  )
}

function EmptyState({ workspaceId, days }: { workspaceId: string; days: number }) {
  return (
    <section className="rounded-lg bg-white px-6 py-10 text-center shadow-sm ring-1 ring-slate-200" data-testid="analytics-empty">
      <h2 className="text-base font-semibold text-slate-900">Nothing published in the last {days} days</h2>
      <p className="mx-auto mt-2 max-w-xl text-sm text-slate-600">
        Numbers appear here once posts go out. Open an approved card on the board and schedule it for its accounts under “Publishing”, or post it
        now; its first metrics are read an hour after it is published, then on a slowing schedule for 30 days.
      </p>
      <div className="mt-4 flex justify-center gap-4 text-sm font-semibold">
        <Link to={`/workspaces/${workspaceId}/board`} className="text-emerald-700 hover:text-emerald-600" data-testid="analytics-empty-board">
          Go to the board →
        </Link>
        <Link to={`/workspaces/${workspaceId}/calendar`} className="text-emerald-700 hover:text-emerald-600">
          See the calendar →
        </Link>
      </div>
    </section>
  )
}

function Totals({ totals }: { totals: GroupMetrics }) {
  const figures = [
    { label: 'Posts published', value: formatCount(totals.posts) },
    { label: 'Views', value: formatCount(totals.views) },
    { label: 'Reach', value: formatCount(totals.reach) },
    { label: 'Engagement rate', value: formatRate(totals.engagementRate) },
  ]
  return (
    <dl className="grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="analytics-totals">
      {figures.map((figure) => (
        <div key={figure.label} className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
          <dt className="text-xs font-medium text-slate-500">{figure.label}</dt>
          <dd className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{figure.value}</dd>
        </div>
      ))}
    </dl>
  )
}

function GroupTable({ view }: { view: AnalyticsView }) {
  const label = ANALYTICS_GROUP_NOUNS[view.groupBy]
  return (
    <section aria-labelledby="analytics-table-heading" className="space-y-2">
      <h2 id="analytics-table-heading" className="text-sm font-semibold text-slate-900">
        Metrics per {label}
      </h2>
      <div className={TABLE_CARD_CLASS}>
        <DataTable headers={[label[0]!.toUpperCase() + label.slice(1), 'Posts', 'Views', 'Reach', 'Likes', 'Comments', 'Shares', 'Saves', 'Clicks', 'Engagement rate']}>
          {view.groups.map((group) => (
            <tr key={group.key} data-testid="analytics-group-row" data-key={group.key}>
              <th scope="row" className="px-4 py-2 text-left font-medium text-slate-900">
                {group.label}
              </th>
              {[group.posts, group.views, group.reach, group.likes, group.comments, group.shares, group.saves, group.clicks].map((value, index) => (
                <td key={index} className="px-4 py-2 text-slate-700 tabular-nums">
                  {formatCount(value)}
                </td>
              ))}
              <td className="px-4 py-2 font-semibold text-slate-900 tabular-nums">{formatRate(group.engagementRate)}</td>
            </tr>
          ))}
        </DataTable>
      </div>
    </section>
  )
}

function TopPosts({ top }: { top: readonly TopPost[] }) {
  if (top.length === 0) return null
  return (
    <section aria-labelledby="analytics-top-heading" className="space-y-2">
      <h2 id="analytics-top-heading" className="text-sm font-semibold text-slate-900">
        {top.length === 1 ? 'The top post and why' : `Top ${top.length} posts and why`}
      </h2>
      <ol className="grid gap-4 md:grid-cols-3">
        {top.map(({ post, metrics, reasons }, index) => (
          <li key={post.id} className="flex flex-col rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="analytics-top-post" data-post-id={post.id}>
            <p className="text-xs font-semibold text-slate-400">#{index + 1}</p>
            <h3 className="mt-1 font-semibold text-slate-900">{post.cardTitle}</h3>
            <div className="mt-1 flex flex-wrap items-center gap-1.5 text-sm text-slate-600">
              <PlatformBadge platform={post.platform} />
              <span>@{post.handle}</span>
              {post.sandbox && <SandboxBadge />}
            </div>
            <dl className="mt-3 grid grid-cols-2 gap-2">
              <div>
                <dt className="text-xs text-slate-500">Engagement rate</dt>
                <dd className="text-lg font-semibold text-slate-900" data-testid="top-post-rate">
                  {formatRate(metrics.engagementRate)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Views</dt>
                <dd className="text-lg font-semibold text-slate-900" data-testid="top-post-views">
                  {formatCount(metrics.views)}
                </dd>
              </div>
            </dl>
            <ul className="mt-3 flex-1 list-disc space-y-1 pl-5 text-sm text-slate-700" data-testid="top-post-reasons">
              {reasons.map((reason, reasonIndex) => (
                <li key={reasonIndex}>{reason}</li>
              ))}
            </ul>
            <div className="mt-3 flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
              {post.publishedAt && <span>Published {formatInZone(post.publishedAt, post.timeZone)}</span>}
              {post.permalink && (
                <a href={post.permalink} target="_blank" rel="noreferrer" className="font-semibold text-emerald-700 hover:text-emerald-600" data-testid="top-post-permalink">
                  {permalinkLabel(post.platform)} ↗
                </a>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
