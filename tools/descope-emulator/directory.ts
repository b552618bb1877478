import { EmulatorError, errorCodes, invalidArguments } from './http';
import type { Role, Seed, Tenant, User } from './seed';

export interface AssociatedTenant {
  tenantId: string;
  roleNames: string[];
}

/** The project's users, roles and tenants: the mutable state management calls act on. */
export class Directory {
  constructor(private readonly seed: Seed) {}

  get users(): readonly User[] {
    return this.seed.users;
  }

  get roles(): readonly Role[] {
    return this.seed.roles;
  }

  get tenants(): readonly Tenant[] {
    return this.seed.tenants;
  }

  /** Descope's management API takes a login id or a user id wherever it says `loginId`. */
  findUser(loginIdOrUserId: string): User | undefined {
    return this.seed.users.find((user) => user.userId === loginIdOrUserId || user.loginIds.includes(loginIdOrUserId));
  }

  requireUser(loginIdOrUserId: string): User {
    const user = this.findUser(loginIdOrUserId);
    if (!user) throw new EmulatorError(404, errorCodes.userNotFound, 'User not found', `no user ${loginIdOrUserId}`);
    return user;
  }

  requireRoles(roleNames: readonly string[]): void {
    const unknown = roleNames.filter((name) => !this.seed.roles.some((role) => role.name === name));
    if (unknown.length > 0) throw invalidArguments(`unknown role names: ${unknown.join(', ')}`);
  }

  requireTenant(tenantId: string): Tenant {
    const tenant = this.seed.tenants.find((candidate) => candidate.id === tenantId);
    if (!tenant) throw invalidArguments(`unknown tenant ${tenantId}`);
    return tenant;
  }

  permissionsFor(roleNames: readonly string[]): string[] {
    const granted = this.seed.roles.filter((role) => roleNames.includes(role.name)).flatMap((role) => role.permissionNames);
    return [...new Set(granted)];
  }

  withTenantNames(tenants: readonly AssociatedTenant[]): (AssociatedTenant & { tenantName: string })[] {
    return tenants.map(({ tenantId, roleNames }) => ({
      tenantId,
      tenantName: this.seed.tenants.find((tenant) => tenant.id === tenantId)?.name ?? '',
      roleNames: [...roleNames],
    }));
  }

  /** A user as Descope returns it from /v1/auth/me and the management user endpoints. */
  userResponse(user: User) {
    return {
      userId: user.userId,
      loginIds: [...user.loginIds],
      email: user.email,
      name: user.name,
      phone: '',
      verifiedEmail: true,
      verifiedPhone: false,
      roleNames: [...user.roleNames],
      userTenants: this.withTenantNames(user.userTenants),
      status: user.status,
      createdTime: user.createdTime,
      externalIds: [...user.loginIds],
      picture: '',
      test: false,
      customAttributes: {},
      TOTP: false,
      SAML: false,
      SCIM: false,
      password: false,
      OAuth: {},
    };
  }
}
