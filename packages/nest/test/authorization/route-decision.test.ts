import { describe, expect, it } from 'vitest';
import { Authenticated, Boundary, Public, RequireAnyScope, RequireScopes, Roles, UsePolicy, type Policy } from '../../src/index.js';
import { classChain, hasDecision, inheritanceConflicts, readRouteDecision, routeBoundaryName } from '../../src/authorization/route-decision.js';

class PolicyA implements Policy {
  evaluate() {
    return true;
  }
}
class PolicyB implements Policy {
  evaluate() {
    return true;
  }
}

@RequireScopes('base')
@RequireAnyScope('x', 'y')
@Roles('staff')
@UsePolicy(PolicyA)
@Boundary('public')
class Ctrl {
  @RequireScopes('a', 'b')
  @RequireScopes('c')
  @RequireAnyScope('p', 'q')
  @Roles('admin', 'auditor')
  @UsePolicy(PolicyB, PolicyA)
  @Boundary('internal')
  both() {}

  plain() {}

  @Public()
  open() {}

  @Authenticated()
  me() {}

  @RequireScopes(...([] as unknown as [string]))
  empty() {}
}

class Child extends Ctrl {
  @Roles('x')
  childMethod() {}
}

describe('readRouteDecision', () => {
  it('merges class and method requirements; method boundary overrides class', () => {
    const d = readRouteDecision(Ctrl.prototype.both, Ctrl);
    expect(d.scopes).toEqual(['base', 'a', 'b', 'c']);
    expect(d.anyScopes).toEqual([['x', 'y'], ['p', 'q']]);
    expect(d.roles).toEqual([['staff'], ['admin', 'auditor']]);
    expect(d.policies).toEqual([PolicyA, PolicyB]);
    expect(d.boundary).toBe('internal');
    expect(routeBoundaryName(Ctrl.prototype.both, Ctrl)).toBe('internal');
    expect(d.emptyLists).toEqual([]);
  });

  it('applies class-level requirements to undecorated methods and subclasses', () => {
    const d = readRouteDecision(Ctrl.prototype.plain, Ctrl);
    expect(d).toMatchObject({ scopes: ['base'], boundary: 'public', public: false, authenticated: false });
    expect(readRouteDecision(Child.prototype.childMethod, Child).roles).toEqual([['staff'], ['x']]);
  });

  it('reads @Public and @Authenticated, and reports an empty list', () => {
    expect(readRouteDecision(Ctrl.prototype.open, Ctrl)).toMatchObject({ public: true, baseline: false });
    expect(readRouteDecision(Ctrl.prototype.me, Ctrl).authenticated).toBe(true);
    expect(readRouteDecision(Ctrl.prototype.empty, Ctrl).emptyLists).toEqual(['@RequireScopes']);
  });

  it('sees no decision on a bare class', () => {
    class Bare {
      m() {}
    }
    expect(hasDecision(readRouteDecision(Bare.prototype.m, Bare))).toBe(false);
    expect(hasDecision(readRouteDecision(Ctrl.prototype.plain, Ctrl))).toBe(true);
  });
});

describe('@Public() next to requirements', () => {
  @RequireScopes('orders:read')
  class Scoped {
    @Public()
    health() {}

    @Public()
    @RequireScopes('x')
    conflict() {}
  }

  @Public()
  class Open {
    @RequireScopes('x')
    scoped() {}
  }

  it("a method-level @Public() drops the controller's requirements; same-level or class-level @Public() keeps them (a conflict)", () => {
    expect(readRouteDecision(Scoped.prototype.health, Scoped)).toMatchObject({ public: true, scopes: [] });
    expect(readRouteDecision(Scoped.prototype.conflict, Scoped)).toMatchObject({ public: true, scopes: ['x'] });
    expect(readRouteDecision(Open.prototype.scoped, Open)).toMatchObject({ public: true, scopes: ['x'] });
  });
});

describe('class decorators along the inheritance chain', () => {
  @RequireScopes('admin')
  @RequireAnyScope('t1', 't2')
  @Roles('staff')
  @UsePolicy(PolicyA)
  class Base {}
  class Middle extends Base {}
  @RequireScopes('orders:read')
  @RequireAnyScope('eu')
  @Roles('clerk')
  @UsePolicy(PolicyB)
  class Orders extends Middle {
    @RequireScopes('orders:list')
    list() {}

    @Public()
    health() {}
  }

  it('merges every class of the chain, base first, then the method', () => {
    expect(classChain(Orders)).toEqual([Base, Middle, Orders]);
    const d = readRouteDecision(Orders.prototype.list, Orders);
    expect(d.scopes).toEqual(['admin', 'orders:read', 'orders:list']);
    expect(d.anyScopes).toEqual([['t1', 't2'], ['eu']]);
    expect(d.roles).toEqual([['staff'], ['clerk']]);
    expect(d.policies).toEqual([PolicyA, PolicyB]);
    expect(inheritanceConflicts(Orders)).toEqual([]);
  });

  it('keeps the method-level @Public() opt-out', () => {
    expect(readRouteDecision(Orders.prototype.health, Orders)).toMatchObject({ public: true, scopes: [], roles: [], policies: [] });
  });

  it('reports contradictions across classes, and accepts the same boundary repeated', () => {
    @Public()
    class Open {}
    @Authenticated()
    @Roles('x')
    class Closed extends Open {}
    expect(inheritanceConflicts(Closed)).toEqual(['@Public() on Open conflicts with @Authenticated(), @Roles() on Closed (class decorators along the inheritance chain all apply)']);
    @Boundary('a')
    class A {}
    @Boundary('a')
    class SameA extends A {}
    @Boundary('b')
    class B extends SameA {}
    expect(inheritanceConflicts(SameA)).toEqual([]);
    expect(inheritanceConflicts(B)).toEqual([`conflicting boundaries along the inheritance chain: @Boundary('a') on A, @Boundary('a') on SameA, @Boundary('b') on B`]);
  });
});
