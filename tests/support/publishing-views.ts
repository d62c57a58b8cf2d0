// What the API answers about scheduled posts and cards, as the web route tests feed it to the pages: every field
// at a plain value, so that a test names only the fields it is about.
import type { CardApproval } from '../../web/app/lib/approvals.ts'
import type { CardDetail } from '../../web/app/lib/board.ts'
import type { ScheduledPostView } from '../../web/app/lib/publishing.ts'

/** The ids every scheduled post names: its own, its card's, campaign's, workspace's and account's. */
type PostIds = Pick<ScheduledPostView, 'id' | 'cardId' | 'campaignId' | 'workspaceId' | 'socialAccountId'>

/** A scheduled Instagram post of @luna.coffee with no outcome yet and no moves allowed, unless said. */
export function scheduledPostView(post: PostIds & Partial<ScheduledPostView>): ScheduledPostView {
  return {
    cardTitle: 'Cold brew reel',
    campaignName: 'Winter launch',
    platform: 'instagram',
    handle: 'luna.coffee',
    sandbox: false,
    creatorName: 'Maya Chen',
    scheduledAt: '2026-11-20T08:00:00.000Z',
    timeZone: 'Europe/Berlin',
    status: 'scheduled',
    statusLabel: 'Scheduled',
    statusReason: null,
    deferredUntil: null,
    platformPostId: null,
    permalink: null,
    publishedAt: null,
    canReschedule: false,
    canCancel: false,
    canVerify: false,
    latest: null,
    ...post,
  }
}

/** An approved card the viewer may read but not change, with nothing attached, unless said. */
export function cardDetailView(card: Pick<CardDetail['card'], 'id' | 'campaignId' | 'workspaceId'> & Partial<CardDetail['card']>): CardDetail {
  return {
    card: {
      campaignName: 'Winter launch',
      title: 'Cold brew reel',
      platform: 'instagram',
      kind: 'reel',
      column: 'Approved',
      position: 'a0',
      version: 3,
      assignee: null,
      dueDate: null,
      dueAt: null,
      captionPreview: null,
      captionVersion: 1,
      commentCount: 0,
      assetCount: 0,
      thumbnailUrl: null,
      allowedTargets: [],
      updatedAt: '2026-11-15T10:00:00.000Z',
      ...card,
    },
    description: '',
    targetAccounts: [],
    captions: [],
    comments: [],
    activity: [],
    assets: [],
    mentionable: [],
    can: { edit: false, caption: false, comment: false, attach: false },
  } as unknown as CardDetail
}

/** A card that no approval chain applies to. */
export const NO_APPROVAL = {
  current: null,
  rounds: [],
  policy: { mode: 'none', steps: [], deadlines: { dueAfterHours: 48, remindBeforeHours: [], escalateAfterHours: null, expireAfterHours: null } },
  canDecide: false,
  refusal: null,
} as unknown as CardApproval
