// The permission matrix (domain/permissions.ts): who may do what, which roles each role may hand out, and
// the rules for changing or removing a member.
import { describe, expect, it } from 'vitest'
import { PERMISSIONS, ROLES, assignableRoles, can, checkRoleChange, isRole, permissionsOf, type Permission, type Role } from '../../domain/permissions'

// Expected answers written out by hand, one row per role, so a change to the matrix has to change this table too.
const EXPECTED: Record<Role, Partial<Record<Permission, boolean>>> = {
  owner: { 'team.read': true, 'team.invite': true, 'team.manage': true, 'plan.read': true, 'plan.change': true, 'audit.read': true, 'outbox.read': true, 'campaign.write': true, 'account.connect': true, 'creator.manage': true, 'post.read': true, 'post.schedule': true, 'sandbox.control': true },
  manager: { 'team.read': true, 'team.invite': true, 'team.manage': true, 'plan.read': true, 'plan.change': false, 'audit.read': false, 'outbox.read': false, 'campaign.write': true, 'account.connect': true, 'creator.write': true, 'creator.manage': true, 'post.read': true, 'post.schedule': true, 'sandbox.control': true },
  analyst: { 'team.read': true, 'team.invite': false, 'team.manage': false, 'plan.read': true, 'plan.change': false, 'audit.read': false, 'outbox.read': false, 'campaign.write': false, 'account.connect': false, 'creator.write': false, 'creator.manage': false, 'post.read': true, 'post.schedule': false, 'sandbox.control': false },
  editor: { 'team.read': true, 'team.invite': false, 'team.manage': false, 'plan.read': false, 'plan.change': false, 'audit.read': false, 'outbox.read': false, 'campaign.write': true, 'brandkit.write': true, 'workspace.write': false, 'creator.write': true, 'creator.manage': false, 'account.connect': false, 'post.read': true, 'post.schedule': true, 'sandbox.control': false },
  creator: { 'team.read': false, 'team.invite': false, 'plan.read': false, 'audit.read': false, 'campaign.read': false, 'creator.read': true, 'account.connect': true, 'workspace.read': true, 'creator.write': false, 'creator.manage': false, 'post.read': false, 'post.schedule': false },
  client_approver: { 'team.read': false, 'team.invite': false, 'plan.read': false, 'audit.read': false, 'campaign.read': true, 'campaign.write': false, 'workspace.read': true, 'creator.read': false, 'creator.manage': false, 'post.read': false, 'post.schedule': false },
}

describe('permission matrix', () => {
  for (const role of ROLES) {
    it(`${role}: ${Object.keys(EXPECTED[role]).length} permissions as expected`, () => {
      for (const [permission, allowed] of Object.entries(EXPECTED[role])) {
        expect(can(role, permission as Permission), `${role} ${permission}`).toBe(allowed)
      }
    })
  }

  it('everyone signed in may use their own account and read notifications', () => {
    for (const role of ROLES) {
      expect(can(role, 'profile.use')).toBe(true)
      expect(can(role, 'notifications.read')).toBe(true)
    }
  })

  it('only owners hold every permission, and only owners read the audit log or change the plan', () => {
    expect(permissionsOf('owner')).toEqual([...PERMISSIONS])
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      expect(permissionsOf(role).length, role).toBeLessThan(PERMISSIONS.length)
      expect(can(role, 'audit.read'), role).toBe(false)
      expect(can(role, 'plan.change'), role).toBe(false)
    }
  })

  it('only owners and managers delete creators or relink them (creator.manage), though editors edit them', () => {
    expect(ROLES.filter((role) => can(role, 'creator.manage'))).toEqual(['owner', 'manager'])
    // Whoever may manage creators may also edit them and connect or disconnect their accounts.
    for (const role of ROLES.filter((r) => can(r, 'creator.manage'))) {
      expect(can(role, 'creator.write'), role).toBe(true)
      expect(can(role, 'account.connect'), role).toBe(true)
    }
  })

  it('an unknown role may do nothing', () => {
    expect(isRole('superuser')).toBe(false)
    expect(can('superuser', 'profile.use')).toBe(false)
    expect(permissionsOf('superuser')).toEqual([])
    expect(assignableRoles('superuser')).toEqual([])
  })

  it('permissionsOf agrees with can for every role and permission', () => {
    for (const role of ROLES) {
      for (const permission of PERMISSIONS) {
        expect(permissionsOf(role).includes(permission), `${role} ${permission}`).toBe(can(role, permission))
      }
    }
  })
})

describe('assignableRoles', () => {
  it('owners give any role, managers every role below manager, everyone else none', () => {
    expect(assignableRoles('owner')).toEqual([...ROLES])
    expect(assignableRoles('manager')).toEqual(['analyst', 'editor', 'creator', 'client_approver'])
    for (const role of ['analyst', 'editor', 'creator', 'client_approver'] as const) expect(assignableRoles(role), role).toEqual([])
  })

  it('a role that may invite or manage the team can assign something; the others cannot', () => {
    for (const role of ROLES) {
      expect(assignableRoles(role).length > 0, role).toBe(can(role, 'team.invite') || can(role, 'team.manage'))
    }
  })
})

describe('checkRoleChange', () => {
  const base = { actorId: 'a', actorRole: 'owner', targetId: 't', targetRole: 'editor', to: 'analyst' as Role | null, ownerCount: 1 }

  it('allows an owner to change or remove anyone else', () => {
    expect(checkRoleChange(base)).toBeNull()
    expect(checkRoleChange({ ...base, to: null })).toBeNull()
    expect(checkRoleChange({ ...base, to: 'owner' })).toBeNull()
    expect(checkRoleChange({ ...base, targetRole: 'owner', to: 'manager', ownerCount: 2 })).toBeNull()
    expect(checkRoleChange({ ...base, targetRole: 'owner', to: null, ownerCount: 2 })).toBeNull()
  })

  it('nobody changes or removes themselves', () => {
    for (const to of ['manager', null] as const) {
      expect(checkRoleChange({ ...base, targetId: 'a', targetRole: 'owner', to, ownerCount: 3 })?.code).toBe('CANNOT_CHANGE_OWN_ROLE')
    }
  })

  it('the last owner can be neither demoted nor removed', () => {
    expect(checkRoleChange({ ...base, targetRole: 'owner', to: 'manager', ownerCount: 1 })?.code).toBe('LAST_OWNER')
    expect(checkRoleChange({ ...base, targetRole: 'owner', to: null, ownerCount: 1 })?.code).toBe('LAST_OWNER')
    // Staying owner is no demotion.
    expect(checkRoleChange({ ...base, targetRole: 'owner', to: 'owner', ownerCount: 1 })).toBeNull()
  })

  it('a manager changes only roles below manager, and only to roles below manager', () => {
    const manager = { ...base, actorRole: 'manager' }
    expect(checkRoleChange(manager)).toBeNull()
    expect(checkRoleChange({ ...manager, to: null })).toBeNull()
    expect(checkRoleChange({ ...manager, to: 'manager' })?.code).toBe('ROLE_NOT_ASSIGNABLE')
    expect(checkRoleChange({ ...manager, to: 'owner' })?.code).toBe('ROLE_NOT_ASSIGNABLE')
    expect(checkRoleChange({ ...manager, targetRole: 'manager' })?.code).toBe('ROLE_NOT_ASSIGNABLE')
    expect(checkRoleChange({ ...manager, targetRole: 'owner', to: null, ownerCount: 2 })?.code).toBe('ROLE_NOT_ASSIGNABLE')
  })

  it('roles without team management change nobody', () => {
    for (const actorRole of ['analyst', 'editor', 'creator', 'client_approver']) {
      expect(checkRoleChange({ ...base, actorRole, targetRole: 'creator', to: 'editor' })?.code, actorRole).toBe('ROLE_NOT_ASSIGNABLE')
    }
  })

  it('every refusal carries a sentence for people', () => {
    const refusal = checkRoleChange({ ...base, actorRole: 'manager', to: 'owner' })
    expect(refusal?.message).toBe('A Manager cannot make someone Owner.')
  })
})
