// Shared schemas registered once with Fastify, so routes reference them by $id and the OpenAPI
// document lists them as components.
import { ApprovalRoundView } from './approval'
import { Asset } from './asset'
import { Campaign, WorkflowState } from './campaign'
import { CardSummary } from './board'
import { ErrorBody } from './common'
import { User } from './auth'

export const sharedSchemas = [ErrorBody, Campaign, WorkflowState, User, CardSummary, Asset, ApprovalRoundView]
