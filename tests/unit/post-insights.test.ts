// Publishing dashboards: totals and daily series per creator, campaign and platform over a window of UTC days,
// and the top posts with reasons that are each worked out by hand below from the posts given.
import { describe, expect, it } from 'vitest'
import { MIN_TOP_POST_AUDIENCE, summarizeGroups, topPosts, type PublishedPostFacts } from '../../domain/post-insights'
import { engagementRate, type PostMetrics } from '../../domain/publishing'

type Metrics = Partial<PostMetrics> & { views: number }

/** A latest snapshot; its rate is the stored one, as the metrics pull computes it. */
function latest(metrics: Metrics): NonNullable<PublishedPostFacts['latest']> {
  const full: PostMetrics = { reach: null, likes: 0, comments: 0, shares: 0, saves: null, clicks: null, ...metrics }
  return { ...full, engagementRate: engagementRate(full) }
}

let serial = 0
function post(overrides: Partial<PublishedPostFacts> = {}): PublishedPostFacts {
  serial += 1
  return {
    postId: `post-${String(serial).padStart(3, '0')}`,
    platform: 'instagram',
    creatorId: 'creator-ana',
    creatorName: 'Ana',
    campaignId: 'campaign-spring',
    campaignName: 'Spring',
    publishedAt: new Date('2030-01-07T10:00:00Z'),
    timeZone: 'UTC',
    mediaKind: 'image',
    captionLength: 100,
    hashtagCount: 0,
    latest: null,
    snapshots: [],
    ...overrides,
  }
}

const at = (iso: string) => new Date(iso)

describe('summarizeGroups', () => {
  const now = at('2030-03-10T12:00:00Z')
  // Window of 3 days: 8, 9 and 10 March (UTC).
  const a = post({
    creatorId: 'c1', creatorName: 'Ana', campaignId: 'k1', campaignName: 'Spring', platform: 'instagram',
    publishedAt: at('2030-03-08T09:00:00Z'),
    // 80 interactions over a reach of 800: 10 %.
    latest: latest({ views: 1000, reach: 800, likes: 60, comments: 10, shares: 5, saves: 5 }),
    // Out of order on purpose; the one at the last millisecond of 8 March counts for that day.
    snapshots: [
      { capturedAt: at('2030-03-10T09:00:00Z'), views: 1000, engagementRate: 0.1 },
      { capturedAt: at('2030-03-09T09:00:00Z'), views: 900, engagementRate: 0.09 },
      { capturedAt: at('2030-03-08T23:59:59.999Z'), views: 400, engagementRate: 0.08 },
    ],
  })
  const b = post({
    creatorId: 'c1', creatorName: 'Ana', campaignId: 'k2', campaignName: 'Autumn', platform: 'tiktok',
    publishedAt: at('2030-03-09T18:00:00Z'),
    // No reach (TikTok): 150 interactions over 2,000 views, 7.5 %.
    latest: latest({ views: 2000, likes: 100, comments: 20, shares: 30 }),
    snapshots: [
      { capturedAt: at('2030-03-09T19:00:00Z'), views: 500, engagementRate: 0.05 },
      { capturedAt: at('2030-03-10T06:00:00Z'), views: 1800, engagementRate: 0.07 },
      { capturedAt: at('2030-03-10T09:00:00Z'), views: 2000, engagementRate: 0.075 },
    ],
  })
  // Published, not measured yet.
  const c = post({ creatorId: 'c2', creatorName: 'Ben', campaignId: 'k1', campaignName: 'Spring', platform: 'facebook', publishedAt: at('2030-03-10T08:00:00Z') })
  // Before the window, and (impossibly) after now: neither counts.
  const old = post({ creatorId: 'c2', creatorName: 'Ben', publishedAt: at('2030-03-07T23:59:59Z'), latest: latest({ views: 99_999, reach: 90_000, likes: 5 }) })
  const future = post({ creatorId: 'c2', creatorName: 'Ben', publishedAt: at('2030-03-10T12:00:01Z'), latest: latest({ views: 5, likes: 1 }) })
  const posts = [c, old, b, future, a]

  it('totals the posts published in the window, the rate over summed interactions and audience', () => {
    const summary = summarizeGroups(posts, 'creator', 3, now)
    // Interactions 80 + 150 = 230 over an audience of 800 (A's reach) + 2,000 (B's views): 8.21 %.
    expect(summary.totals).toEqual({ posts: 3, views: 3000, reach: 800, likes: 160, comments: 30, shares: 35, saves: 5, clicks: 0, engagementRate: 0.0821 })
    expect(summary).toMatchObject({ groupBy: 'creator', days: 3 })
  })

  it('per creator: totals and a daily series of views as of each day’s end, most views first', () => {
    const { groups } = summarizeGroups(posts, 'creator', 3, now)
    expect(groups.map((group) => [group.key, group.label, group.posts, group.views])).toEqual([
      ['c1', 'Ana', 2, 3000],
      ['c2', 'Ben', 1, 0],
    ])
    expect(groups[0]).toMatchObject({ reach: 800, likes: 160, comments: 30, shares: 35, saves: 5, clicks: 0, engagementRate: 0.0821 })
    expect(groups[0]!.series).toEqual([
      { date: '2030-03-08', views: 400, engagementRate: 0.08 },
      // A at 900 views (9 %), B at 500 (5 %): (81 + 25) / 1,400 = 7.57 %.
      { date: '2030-03-09', views: 1400, engagementRate: 0.0757 },
      // A at 1,000 (10 %), B at 2,000 (7.5 %): 250 / 3,000 = 8.33 %.
      { date: '2030-03-10', views: 3000, engagementRate: 0.0833 },
    ])
    // Ben's one post has no snapshot yet: counted, zero everywhere, no division by zero.
    expect(groups[1]).toMatchObject({ engagementRate: 0, reach: 0 })
    expect(groups[1]!.series.map((point) => [point.views, point.engagementRate])).toEqual([[0, 0], [0, 0], [0, 0]])
  })

  it('per platform, labelled by name; per campaign', () => {
    const byPlatform = summarizeGroups(posts, 'platform', 3, now).groups
    expect(byPlatform.map((group) => [group.key, group.label, group.views, group.reach, group.engagementRate])).toEqual([
      ['tiktok', 'TikTok', 2000, 0, 0.075],
      ['instagram', 'Instagram', 1000, 800, 0.1],
      ['facebook', 'Facebook', 0, 0, 0],
    ])
    const byCampaign = summarizeGroups(posts, 'campaign', 3, now).groups
    expect(byCampaign.map((group) => [group.label, group.posts, group.views])).toEqual([
      ['Autumn', 1, 2000],
      ['Spring', 2, 1000],
    ])
  })

  it('seen earlier in the day: only what was published and measured by then', () => {
    const early = at('2030-03-10T07:00:00Z')
    // Two days (9 and 10 March): A is older, C goes out at 08:00; B's 09:00 snapshot is not taken yet.
    const summary = summarizeGroups(posts, 'creator', 2, early)
    expect(summary.totals).toMatchObject({ posts: 1, views: 2000 })
    expect(summary.groups.map((group) => [group.label, group.series])).toEqual([
      ['Ana', [
        { date: '2030-03-09', views: 500, engagementRate: 0.05 },
        { date: '2030-03-10', views: 1800, engagementRate: 0.07 },
      ]],
    ])
  })

  it('groups with equal views are ordered by label', () => {
    const quiet = [post({ creatorId: 'z', creatorName: 'Zoe', publishedAt: now }), post({ creatorId: 'y', creatorName: 'Abe', publishedAt: now })]
    expect(summarizeGroups(quiet, 'creator', 7, now).groups.map((group) => group.label)).toEqual(['Abe', 'Zoe'])
  })

  it('a post with zero reach adds its views but no audience, and nothing divides by zero', () => {
    const unseen = post({ publishedAt: now, latest: latest({ views: 0, reach: 0 }), snapshots: [{ capturedAt: now, views: 0, engagementRate: 0 }] })
    const summary = summarizeGroups([unseen], 'platform', 2, now)
    expect(summary.totals).toMatchObject({ posts: 1, views: 0, reach: 0, engagementRate: 0 })
    expect(summary.groups[0]!.series).toEqual([
      { date: '2030-03-09', views: 0, engagementRate: 0 },
      { date: '2030-03-10', views: 0, engagementRate: 0 },
    ])
  })

  it('no posts: zero totals, no groups; a window of whole days from 1 to 366 only', () => {
    expect(summarizeGroups([], 'campaign', 30, now)).toEqual({
      groupBy: 'campaign',
      days: 30,
      totals: { posts: 0, views: 0, reach: 0, likes: 0, comments: 0, shares: 0, saves: 0, clicks: 0, engagementRate: 0 },
      groups: [],
    })
    for (const days of [0, -1, 1.5, 367, Number.NaN]) expect(() => summarizeGroups([], 'creator', days, now)).toThrow(RangeError)
  })
})

describe('topPosts', () => {
  it('ranks only measured posts with an audience of at least 100; with fewer than 3 others, it compares nothing', () => {
    const best = post({ latest: latest({ views: 500, reach: 400, likes: 30, comments: 6, shares: 2, saves: 2 }) }) // 40 / 400 = 10 %
    const second = post({ latest: latest({ views: 300, reach: 250, likes: 10, saves: 0 }) }) // 10 / 250 = 4 %
    const tiny = post({ latest: latest({ views: 50, reach: 40, likes: 20 }) }) // 50 %, but seen by 40 people
    const unmeasured = post()
    const top = topPosts([tiny, second, unmeasured, best])
    expect(top.map((entry) => entry.post.postId)).toEqual([best.postId, second.postId])
    // Three measured posts: two others, not enough for any comparison. The numbers speak instead.
    expect(top[0]!.reasons).toEqual(['Engagement rate 10.0 %', '400 people reached, 500 views: 30 likes, 6 comments, 2 shares, 2 saves'])
    expect(top[1]!.reasons).toEqual(['Engagement rate 4.0 %', '250 people reached, 300 views: 10 likes, 0 comments, 0 shares, 0 saves'])
  })

  it('the minimum audience is the reach (views without reach), from 100 on', () => {
    expect(MIN_TOP_POST_AUDIENCE).toBe(100)
    const atMinimum = post({ latest: latest({ views: 100, likes: 5 }) })
    const manyViewsFewPeople = post({ latest: latest({ views: 5000, reach: 99, likes: 50 }) })
    expect(topPosts([atMinimum, manyViewsFewPeople]).map((entry) => entry.post.postId)).toEqual([atMinimum.postId])
  })

  it('nothing to show: no snapshots, zero reach, or count 0', () => {
    const zeroReach = post({ latest: latest({ views: 500, reach: 0, likes: 10 }) })
    expect(topPosts([post(), zeroReach])).toEqual([])
    expect(topPosts([])).toEqual([])
    expect(topPosts([post({ latest: latest({ views: 1000, likes: 10 }) })], 0)).toEqual([])
  })

  it('ties on rate go to more views, then to the earlier post', () => {
    const fewer = post({ publishedAt: at('2030-01-01T00:00:00Z'), latest: latest({ views: 200, likes: 10 }) }) // 5 %
    const more = post({ publishedAt: at('2030-01-03T00:00:00Z'), latest: latest({ views: 400, likes: 20 }) }) // 5 %
    const earlier = post({ publishedAt: at('2030-01-02T00:00:00Z'), latest: latest({ views: 400, likes: 20 }) }) // 5 %
    expect(topPosts([fewer, more, earlier]).map((entry) => entry.post.postId)).toEqual([earlier.postId, more.postId, fewer.postId])
  })

  describe('reasons, from six posts', () => {
    // January: Europe/Berlin is UTC+1.
    const berlin = { timeZone: 'Europe/Berlin' }
    const ana = { creatorId: 'c-ana', creatorName: 'Ana' }
    const ben = { creatorId: 'c-ben', creatorName: 'Ben' }
    // 120 / 1,000 = 12 %; 40 saves. Tuesday 18:05 in Berlin.
    const t = post({ ...berlin, ...ana, mediaKind: 'video', captionLength: 80, hashtagCount: 3, publishedAt: at('2030-01-08T17:05:00Z'), latest: latest({ views: 1500, reach: 1000, likes: 60, comments: 10, shares: 10, saves: 40 }) })
    // 80 / 1,000 = 8 %. Wednesday 18:30 in Berlin.
    const v2 = post({ ...berlin, ...ben, mediaKind: 'video', captionLength: 90, hashtagCount: 2, publishedAt: at('2030-01-09T17:30:00Z'), latest: latest({ views: 1200, reach: 1000, likes: 50, comments: 10, shares: 10, saves: 10 }) })
    // 30 / 500 = 6 %. 09:00.
    const v3 = post({ ...berlin, ...ben, mediaKind: 'video', captionLength: 300, publishedAt: at('2030-01-10T08:00:00Z'), latest: latest({ views: 600, reach: 500, likes: 20, comments: 5, shares: 5, saves: 0 }) })
    // 40 / 1,000 = 4 %. 09:00.
    const i1 = post({ ...berlin, ...ana, mediaKind: 'image', captionLength: 100, hashtagCount: 1, publishedAt: at('2030-01-11T08:00:00Z'), latest: latest({ views: 1100, reach: 1000, likes: 30, comments: 5, shares: 5, saves: 0 }) })
    // 15 / 500 = 3 %. 09:30.
    const i2 = post({ ...berlin, ...ana, mediaKind: 'image', captionLength: 200, publishedAt: at('2030-01-12T08:30:00Z'), latest: latest({ views: 550, reach: 500, likes: 10, comments: 3, shares: 2, saves: 0 }) })
    // 21 / 400 = 5.25 %. 13:00.
    const i3 = post({ ...berlin, ...ana, mediaKind: 'image', captionLength: 150, publishedAt: at('2030-01-13T12:00:00Z'), latest: latest({ views: 450, reach: 400, likes: 11, comments: 2, shares: 3, saves: 5 }) })
    const six = [i1, v3, t, i2, v2, i3]

    it('the best post: rate against the median, saves, media kind, reach against the creator’s other posts', () => {
      const [first] = topPosts(six, 2)
      expect(first!.post.postId).toBe(t.postId)
      expect(first!.reasons).toEqual([
        // Median of 3, 4, 5.25, 6, 8, 12 % is 5.625 %: 12 / 5.625 = 2.13.
        'Engagement rate 12.0 %, 2.1× the median of the 6 measured posts',
        // 40 saves per 1,000 people against 15 per 3,400 for the other five: 9.07×.
        'Saved 9.1× as often as the average post, for its audience',
        // Videos 230 / 2,500 = 9.2 %; images 76 / 1,900 = 4.0 %.
        'A video: videos here average 9.2 % against 4.0 % for images',
        // Ana's other posts reached 1,000, 500 and 400 people, 633 on average: 1,000 is 58 % more.
        'Reached 58 % more people than Ana\'s other 3 posts on average',
      ])
    })

    it('the second: the posting hour in its own time zone, and a short caption', () => {
      const [, second] = topPosts(six, 2)
      expect(second!.post.postId).toBe(v2.postId)
      expect(second!.reasons).toEqual([
        // 8 / 5.625 = 1.42.
        'Engagement rate 8.0 %, 1.4× the median of the 6 measured posts',
        'A video: videos here average 9.2 % against 4.0 % for images',
        // Saves, shares and comments are at or under 1.5× the others'; Ben has one other post: not compared.
        // 18:00 hour: T and V2, 200 / 2,000 = 10 %; 09:00 hour: V3, I1, I2, 85 / 2,000 = 4.25 %; 13:00 has one post.
        'Posted on Wednesday at 18:30 (Europe/Berlin); posts in the 18:00 hour average 10.0 %, the best hour among these posts',
        // Up to 125 characters: T, V2, I1, 240 / 3,000 = 8.0 %; longer: V3, I2, I3, 66 / 1,400 = 4.7 %.
        'A short caption (90 characters): captions of up to 125 characters average 8.0 % here against 4.7 % for longer ones',
      ])
    })
  })

  it('hour, caption length and hashtags, when they are what sets the post apart', () => {
    // All images by different creators, likes only: no media, creator or interaction comparison applies.
    const q = (creator: string, likes: number, hashtagCount: number, captionLength: number, publishedAt: string) =>
      post({ creatorId: creator, creatorName: creator, hashtagCount, captionLength, publishedAt: at(publishedAt), latest: latest({ views: 300, reach: 200, likes }) })
    const q1 = q('q1', 20, 2, 300, '2030-01-07T10:15:00Z') // 10 %, Monday
    const q2 = q('q2', 16, 1, 400, '2030-01-08T10:45:00Z') // 8 %
    const q3 = q('q3', 6, 0, 50, '2030-01-09T15:00:00Z') // 3 %
    const q4 = q('q4', 4, 0, 60, '2030-01-10T15:30:00Z') // 2 %
    const q5 = q('q5', 10, 3, 500, '2030-01-11T20:00:00Z') // 5 %
    const q6 = q('q6', 2, 0, 70, '2030-01-12T20:10:00Z') // 1 %
    const top = topPosts([q6, q5, q4, q3, q2, q1])
    expect(top.map((entry) => entry.post.postId)).toEqual([q1.postId, q2.postId, q5.postId])
    expect(top[0]!.reasons).toEqual([
      // Median (3 + 5) / 2 = 4 %.
      'Engagement rate 10.0 %, 2.5× the median of the 6 measured posts',
      // 10:00 hour 36 / 400 = 9 %; 15:00 10 / 400 = 2.5 %; 20:00 12 / 400 = 3 %.
      'Posted on Monday at 10:15 (UTC); posts in the 10:00 hour average 9.0 %, the best hour among these posts',
      // Over 125 characters: q1, q2, q5, 46 / 600 = 7.7 %; up to 125: 12 / 600 = 2.0 %.
      'A longer caption (300 characters): captions over 125 characters average 7.7 % here against 2.0 % for shorter ones',
      // The same three posts have hashtags.
      '2 hashtags: posts with hashtags average 7.7 % here against 2.0 % without',
    ])
    // q5 went out at 20:00, an hour averaging 3 %: nothing is said about its time.
    expect(top[2]!.reasons.some((reason) => reason.startsWith('Posted'))).toBe(false)
  })

  it('above the median without a multiple; a median of zero; a post saved where no other was', () => {
    const rate = (likes: number) => post({ latest: latest({ views: 1000, reach: 1000, likes }) })
    const [best] = topPosts([rate(60), rate(57), rate(55), rate(30)], 1)
    // Median (5.5 + 5.7) / 2 = 5.6 %: 6 % is 1.07×, above it but not a multiple worth stating.
    expect(best!.reasons[0]).toBe('Engagement rate 6.0 %, above the median of the 4 measured posts (5.6 %)')

    const unsaved = () => post({ latest: latest({ views: 300, reach: 200, saves: 0 }) })
    const saved = post({ latest: latest({ views: 300, reach: 200, likes: 6, saves: 4 }) }) // 10 / 200 = 5 %
    const [only] = topPosts([unsaved(), saved, unsaved(), unsaved()], 1)
    expect(only!.reasons).toEqual(['Engagement rate 5.0 %, where the median of the 4 measured posts is 0.0 %', 'Saved 4 times, where the other 3 posts were not saved at all'])
  })

  it('a creator’s posts without reach are compared by views', () => {
    const tiktok = (views: number, likes: number, publishedAt: string) => post({ platform: 'tiktok', mediaKind: 'video', publishedAt: at(publishedAt), latest: latest({ views, likes }) })
    const [best] = topPosts([tiktok(1000, 30, '2030-01-07T08:00:00Z'), tiktok(4000, 400, '2030-01-07T11:00:00Z'), tiktok(1000, 20, '2030-01-07T14:00:00Z'), tiktok(1000, 10, '2030-01-07T17:00:00Z')], 1)
    expect(best!.reasons).toEqual([
      // Median (2 + 3) / 2 = 2.5 %: 10 / 2.5 = 4.
      'Engagement rate 10.0 %, 4.0× the median of the 4 measured posts',
      'Drew 4.0× as many views as Ana\'s other 3 posts on average',
    ])
  })
})
