// The analytics page's data: the API's analytics (its own schema's type), the page's query (grouping and period), and the rows the
// charts draw: views per day with one line per group, and engagement rate per group in percent.
import type { Static } from '@fastify/type-provider-typebox'
import type { Analytics } from '../../../api/schemas/publishing.ts'
import { GROUP_BYS, type GroupBy } from '../../../domain/post-insights.ts'
import type { MetricSnapshotView, ScheduledPostView } from './publishing.ts'

export const ANALYTICS_GROUPINGS = GROUP_BYS
export type AnalyticsGroupBy = GroupBy

export const ANALYTICS_GROUPING_LABELS: Record<AnalyticsGroupBy, string> = { creator: 'By creator', campaign: 'By campaign', platform: 'By platform' }
/** What a group is called in a sentence ("Engagement rate per creator"). */
export const ANALYTICS_GROUP_NOUNS: Record<AnalyticsGroupBy, string> = { creator: 'creator', campaign: 'campaign', platform: 'platform' }

/** The periods offered; the API's default is 30 days. */
export const ANALYTICS_PERIODS = [7, 30, 90] as const
export const DEFAULT_ANALYTICS_DAYS = 30

type AnalyticsShape = Static<typeof Analytics>

/** Counts of a group's published posts; engagementRate is a fraction (0.062 = 6.2 %). */
export type GroupMetrics = AnalyticsShape['totals']
export type AnalyticsGroup = AnalyticsShape['groups'][number]
export type AnalyticsSeriesPoint = AnalyticsGroup['series'][number]

export interface TopPost {
  post: ScheduledPostView
  metrics: MetricSnapshotView
  /** Why it did well, in plain words. */
  reasons: string[]
}

/** GET /api/workspaces/:workspaceId/analytics (the API's schema, with posts as the web app reads them). */
export type AnalyticsView = Omit<AnalyticsShape, 'top'> & { top: TopPost[] }

export interface AnalyticsQuery {
  groupBy: AnalyticsGroupBy
  days: number
}

/** ?groupBy=platform&days=90; anything else falls back to by creator over 30 days. */
export function readAnalyticsQuery(params: URLSearchParams): AnalyticsQuery {
  const groupBy = params.get('groupBy')
  const days = Number(params.get('days'))
  return {
    groupBy: (ANALYTICS_GROUPINGS as readonly string[]).includes(groupBy ?? '') ? (groupBy as AnalyticsGroupBy) : 'creator',
    days: (ANALYTICS_PERIODS as readonly number[]).includes(days) ? days : DEFAULT_ANALYTICS_DAYS,
  }
}

export function analyticsSearch(query: AnalyticsQuery): string {
  return new URLSearchParams({ groupBy: query.groupBy, days: String(query.days) }).toString()
}

/** One row per day (every day any group has), each group's views under its key; a day a group has no point is 0. */
export function viewsByDay(groups: readonly AnalyticsGroup[]): Array<{ date: string } & Record<string, number | string>> {
  const dates = [...new Set(groups.flatMap((group) => group.series.map((point) => point.date)))].sort()
  return dates.map((date) => {
    const row: { date: string } & Record<string, number | string> = { date }
    for (const group of groups) row[group.key] = group.series.find((point) => point.date === date)?.views ?? 0
    return row
  })
}

/** Engagement rate per group in percent with one decimal, as the bar chart's axis reads it. */
export function engagementBars(groups: readonly AnalyticsGroup[]): Array<{ key: string; label: string; percent: number }> {
  return groups.map((group) => ({ key: group.key, label: group.label, percent: Math.round(group.engagementRate * 1000) / 10 }))
}

/** "17 Nov" for an axis tick. */
export function shortDate(date: string): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  return `${Number(date.slice(8, 10))} ${months[Number(date.slice(5, 7)) - 1] ?? ''}`
}

/** 1234 → "1.2k", 2_500_000 → "2.5M": axis ticks stay short. */
export function compactCount(value: number): string {
  if (Math.abs(value) >= 1_000_000) return `${trimmed(value / 1_000_000)}M`
  if (Math.abs(value) >= 1_000) return `${trimmed(value / 1_000)}k`
  return String(value)
}

const trimmed = (value: number) => value.toFixed(1).replace(/\.0$/, '')

/** Line colours, one per group in order; distinct for colour-blind readers (Okabe–Ito). */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const
export const seriesColour = (index: number) => SERIES_COLOURS[index % SERIES_COLOURS.length]!
