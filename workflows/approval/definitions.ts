// The approval workflow's contract, shared by the workflow, the worker and the API client.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow'
import type { ApprovalPolicy, ApprovalRound, Decider, DecisionKind, RoundComment } from '../../domain/approvals'

export const APPROVAL_WORKFLOW_TYPE = 'approvalWorkflow'

export interface ApprovalWorkflowInput {
  /** The ApprovalRound row this run keeps current. */
  roundId: string
  agencyId: string
  cardId: string
  round: number
  policy: ApprovalPolicy
  submitterUserId: string | null
  captionVersion: number
  submittedAt: string
}

export interface DecisionRequest {
  kind: DecisionKind
  by: Decider
  /** The caption version the decision is about: a decision on an older one is refused. */
  captionVersion: number
  comment: string | null
}

export interface CaptionEditRequest {
  by: Decider
  /** The version the edit was written on. */
  captionVersion: number
  text: string
}

/** Decisions are Updates: validated before they reach the history, answered with the round they produced. */
export const decideUpdate = defineUpdate<ApprovalRound, [DecisionRequest]>('decide')
/** An approver's edit: a new caption version under review, answered with the round. */
export const editCaptionUpdate = defineUpdate<ApprovalRound, [CaptionEditRequest]>('editCaption')
export const approvalStateQuery = defineQuery<ApprovalRound>('approvalState')
/** A comment on the card while the round waits (stored by the API first; the signal marks it in the round). */
export const commentSignal = defineSignal<[RoundComment]>('comment')
/** The card was moved out of review by hand (optional approval only): the round ends without a decision. */
export const withdrawSignal = defineSignal<[{ by: Decider }]>('withdraw')

const PREFIX = 'approval:'

export function approvalWorkflowId(cardId: string, round: number): string {
  return `${PREFIX}${cardId}:${round}`
}

export function parseApprovalWorkflowId(workflowId: string): { cardId: string; round: number } | null {
  const match = /^approval:([0-9a-f-]{36}):(\d+)$/.exec(workflowId)
  return match ? { cardId: match[1]!, round: Number(match[2]) } : null
}
