// The approval policy form: fields into the API's policy shape, blank step rows dropped, blanks for "never",
// unreadable hours named at their field, and the API's problem paths placed back on the form.
import { describe, expect, it } from 'vitest'
import { policyIssues } from '../../domain/approvals'
import { policyFieldOf, policyFromForm } from '../../web/app/lib/approvals'

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData()
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v)
  return data
}

describe('policyFromForm', () => {
  it('reads a two-step chain with roles, named approvers and deadlines; empty rows are dropped', () => {
    const { policy, errors } = policyFromForm(
      form({
        mode: 'multi_level',
        'step0.name': 'Account lead',
        'step0.audience': 'internal',
        'step0.rule': 'any',
        'step0.roles': ['manager', 'owner'],
        'step1.name': 'Client',
        'step1.audience': 'client',
        'step1.rule': 'all',
        'step1.roles': 'client_approver',
        'step1.users': ['7d1e3b52-8a4c-4f51-9b0e-2f6f8f7d1a10'],
        'step2.name': '  ',
        dueAfterHours: '48',
        remindBeforeHours: '24, 2',
        escalateAfterHours: '',
        expireAfterHours: '72',
      }),
    )
    expect(errors).toEqual({})
    expect(policy).toEqual({
      mode: 'multi_level',
      steps: [
        { name: 'Account lead', audience: 'internal', rule: 'any', approverRoles: ['manager', 'owner'], approverUserIds: [] },
        // An all-of step names its approvers: roles are not kept.
        { name: 'Client', audience: 'client', rule: 'all', approverRoles: [], approverUserIds: ['7d1e3b52-8a4c-4f51-9b0e-2f6f8f7d1a10'] },
      ],
      deadlines: { dueAfterHours: 48, remindBeforeHours: [24, 2], escalateAfterHours: null, expireAfterHours: 72 },
    })
    expect(policyIssues(policy!)).toEqual([])
  })

  it('inherit means no policy of its own; none keeps no steps', () => {
    expect(policyFromForm(form({ inherit: 'on', mode: 'required' }))).toEqual({ policy: null, errors: {} })
    expect(policyFromForm(form({ mode: 'none', 'step0.name': 'Ignored', dueAfterHours: '24' })).policy?.steps).toEqual([])
  })

  it('names unreadable fields instead of guessing', () => {
    const { policy, errors } = policyFromForm(form({ mode: 'sometimes', dueAfterHours: 'soon', remindBeforeHours: '24, -1', escalateAfterHours: '1.5' }))
    expect(policy).toBeNull()
    expect(Object.keys(errors).sort()).toEqual(['dueAfterHours', 'escalateAfterHours', 'mode', 'remindBeforeHours'])
  })
})

describe('policyFieldOf', () => {
  it('places the API’s problem paths on the form', () => {
    expect(policyFieldOf('/policy/steps/1/approverRoles')).toBe('step1')
    expect(policyFieldOf('/policy/deadlines/expireAfterHours')).toBe('expireAfterHours')
    expect(policyFieldOf('/policy/steps')).toBe('steps')
    expect(policyFieldOf('/policy/mode')).toBe('form')
  })
})
