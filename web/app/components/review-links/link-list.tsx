// A workspace's client review links: who each is for, how many cards, its status, when it was last opened, and a
// revoke button while it works. Tokens are never listed (only their hashes are kept): a link is shown once.
import { Form, useNavigation } from 'react-router'
import type { ReviewLinkDto } from '../../../../api/schemas/review-link.ts'
import { REVIEW_LINK_STATUS_LABELS, type ReviewLinkStatus } from '../../../../domain/review-links.ts'
import { Badge, type BadgeTone } from '../badge'
import { CsrfField } from '../csrf-field'
import { DataTable, TABLE_CARD_CLASS } from '../data-table'
import { LocalTime } from '../local-time'

const STATUS_TONES: Record<ReviewLinkStatus, BadgeTone> = { active: 'emerald', expired: 'slate', revoked: 'red' }

export function ReviewLinkList({ links }: { links: ReviewLinkDto[] }) {
  const navigation = useNavigation()
  const revoking = navigation.formData?.get('intent') === 'revoke' ? String(navigation.formData.get('linkId')) : null
  if (links.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="review-links-empty">
        No review links yet: share cards with a client above.
      </p>
    )
  }
  return (
    <div className={TABLE_CARD_CLASS}>
      <DataTable headers={['Client', 'Cards', 'Status', 'Made', 'Last opened', { label: 'Actions', hidden: true }]}>
        {links.map((link) => (
          <tr key={link.id} className="align-top" data-testid="review-link-row" data-link-id={link.id} data-status={link.status}>
            <td className="px-4 py-3">
              <span className="font-medium text-slate-900">{link.clientName}</span>
              {link.clientEmail && <span className="block text-xs text-slate-500">{link.clientEmail}</span>}
            </td>
            <td className="px-4 py-3 text-slate-600 tabular-nums">{link.cardIds.length}</td>
            <td className="px-4 py-3">
              <Badge tone={STATUS_TONES[link.status]} data-testid="review-link-status">
                {REVIEW_LINK_STATUS_LABELS[link.status]}
              </Badge>
              <span className="mt-1 block text-xs text-slate-500">
                {link.status === 'revoked' && link.revokedAt ? (
                  <>
                    by {link.revokedBy ?? 'a former member'}, <LocalTime iso={link.revokedAt} />
                  </>
                ) : (
                  <>
                    {link.status === 'active' ? 'until' : 'since'} <LocalTime iso={link.expiresAt} />
                  </>
                )}
              </span>
            </td>
            <td className="px-4 py-3 text-slate-600">
              <LocalTime iso={link.createdAt} />
              {link.createdBy && <span className="block text-xs text-slate-500">by {link.createdBy}</span>}
            </td>
            <td className="px-4 py-3 text-slate-600">{link.lastUsedAt ? <LocalTime iso={link.lastUsedAt} /> : <span className="text-slate-400">Never</span>}</td>
            <td className="px-4 py-3 text-right">
              {link.status === 'active' && (
                <Form method="post">
                  <CsrfField />
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="linkId" value={link.id} />
                  <input type="hidden" name="clientName" value={link.clientName} />
                  <button type="submit" disabled={revoking === link.id} className="text-sm font-semibold text-red-600 hover:text-red-500 disabled:opacity-60" data-testid="review-link-revoke">
                    {revoking === link.id ? 'Revoking…' : 'Revoke'}
                  </button>
                </Form>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  )
}
