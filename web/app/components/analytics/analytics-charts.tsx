// The analytics page's two charts (Recharts, docs/decisions/013-charts-with-recharts.md): views per day with
// one line per group, and engagement rate per group as bars, with axes, units and a legend. Recharts draws in
// the browser only, so before hydration the frame keeps its height and says where the same numbers are.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { useHydrated } from '../hydration'
import { compactCount, engagementBars, seriesColour, shortDate, viewsByDay, type AnalyticsGroup } from '~/lib/analytics'
import { formatCount, formatDay } from '~/lib/publishing'

const CHART_HEIGHT = 288
// The first drawing's size, before the container is measured: close to the real one, so nothing jumps.
const INITIAL_SIZE = { width: 560, height: CHART_HEIGHT }
const AXIS_TICK = { fontSize: 12, fill: '#475569' }

function ChartFrame({ title, description, testId, children }: { title: string; description: string; testId: string; children: React.ReactNode }) {
  const hydrated = useHydrated()
  return (
    <figure className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <figcaption>
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        <p className="text-xs text-slate-500">{description}</p>
      </figcaption>
      <div className="mt-3" style={{ height: CHART_HEIGHT }}>
        {hydrated ? (
          children
        ) : (
          <p className="flex h-full items-center justify-center text-center text-sm text-slate-500" data-testid="chart-placeholder">
            The chart is drawn in the browser; the table below has the same numbers.
          </p>
        )}
      </div>
    </figure>
  )
}

export function ViewsOverTimeChart({ groups, groupNoun }: { groups: readonly AnalyticsGroup[]; groupNoun: string }) {
  const rows = viewsByDay(groups)
  return (
    <ChartFrame title="Views per day" description={`Views of published posts on each day, one line per ${groupNoun}.`} testId="views-chart">
      <ResponsiveContainer width="100%" height="100%" initialDimension={INITIAL_SIZE}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="date" tickFormatter={shortDate} tick={AXIS_TICK} minTickGap={24} />
          <YAxis
            tickFormatter={compactCount}
            tick={AXIS_TICK}
            width={56}
            allowDecimals={false}
            label={{ value: 'Views', angle: -90, position: 'insideLeft', style: { fontSize: 12, fill: '#475569', textAnchor: 'middle' } }}
          />
          <Tooltip formatter={(value) => `${formatCount(Number(value))} views`} labelFormatter={(label) => formatDay(String(label))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {groups.map((group, index) => (
            <Line key={group.key} type="monotone" dataKey={group.key} name={group.label} stroke={seriesColour(index)} strokeWidth={2} dot={rows.length < 2} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  )
}

export function EngagementByGroupChart({ groups, groupNoun }: { groups: readonly AnalyticsGroup[]; groupNoun: string }) {
  const bars = engagementBars(groups)
  return (
    <ChartFrame
      title={`Engagement rate per ${groupNoun}`}
      description="Likes, comments, shares, saves and clicks over reach (or views where a platform gives no reach), in percent."
      testId="engagement-chart"
    >
      <ResponsiveContainer width="100%" height="100%" initialDimension={INITIAL_SIZE}>
        <BarChart data={bars} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="label" tick={AXIS_TICK} interval={0} />
          <YAxis
            tickFormatter={(value: number) => `${value} %`}
            tick={AXIS_TICK}
            width={56}
            label={{ value: 'Engagement rate (%)', angle: -90, position: 'insideLeft', style: { fontSize: 12, fill: '#475569', textAnchor: 'middle' } }}
          />
          <Tooltip formatter={(value) => `${Number(value).toFixed(1)} %`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="percent" name="Engagement rate (%)" fill="#059669" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  )
}
