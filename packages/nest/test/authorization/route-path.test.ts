import { VERSION_NEUTRAL } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { routePaths, toOpenApiPath } from '../../src/authorization/route-path.js';

describe('routePaths', () => {
  it('joins prefix, version, module, controller and method paths without double slashes', () => {
    expect(routePaths({ globalPrefix: '/api/', controllerPaths: ['orders'], methodPaths: [':id'] })).toEqual(['/api/orders/:id']);
    expect(routePaths({ globalPrefix: 'api', modulePath: 'shop', controllerPaths: ['/orders/'], methodPaths: ['/'], versions: ['1'], versionPrefix: 'v' })).toEqual([
      '/api/v1/shop/orders',
    ]);
    expect(routePaths({ controllerPaths: [], methodPaths: [] })).toEqual(['/']);
  });

  it('lists every combination of paths and versions; a neutral version has no segment', () => {
    expect(routePaths({ controllerPaths: ['a', 'b'], methodPaths: ['x'], versions: ['1', VERSION_NEUTRAL] })).toEqual(['/v1/a/x', '/v1/b/x', '/a/x', '/b/x']);
  });
});

describe('toOpenApiPath', () => {
  it('turns route params into path templates', () => {
    expect(toOpenApiPath('/orders/:id/items/:itemId')).toBe('/orders/{id}/items/{itemId}');
  });

  it('turns wildcards into the template @nestjs/swagger writes', () => {
    expect(toOpenApiPath('/files/*path')).toBe('/files/{path}');
    expect(toOpenApiPath('/files/{*path}')).toBe('/files/{path}');
    expect(toOpenApiPath('/files/*')).toBe('/files/{path}');
  });
});
