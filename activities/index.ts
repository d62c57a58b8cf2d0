// All activities the worker registers, built once per worker process from injected dependencies.
import { createCampaignActivities, type CampaignActivityDeps } from './campaign'

export type ActivityDeps = CampaignActivityDeps

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCampaignActivities(deps),
  }
}
