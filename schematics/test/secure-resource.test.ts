import { describe, expect, it } from 'vitest';
import { changed, nestApp, runner, snapshot } from './support.js';

const FIELDS = 'item:string:1-100,quantity:int:1-1000,note?:string:0-500';

async function initialised(flavour: Parameters<typeof nestApp>[0] = {}) {
  const { runner: r } = runner();
  return r.runSchematic('init', { skipInstall: true }, nestApp(flavour));
}

describe('secure-resource (sres)', () => {
  it('generates the secured resource: exact file list and contents (NestJS 12, ESM, vitest, Express)', async () => {
    const tree = await initialised();
    const before = snapshot(tree);
    const { runner: r } = runner();
    const after = snapshot(await r.runSchematic('sres', { name: 'orders', fields: FIELDS }, tree));
    expect(changed(before, after)).toEqual([
      'src/app.module.ts',
      'src/orders/dto/create-order.dto.ts',
      'src/orders/dto/list-orders.query.ts',
      'src/orders/dto/update-order.dto.ts',
      'src/orders/entities/order.entity.ts',
      'src/orders/orders.controller.ts',
      'src/orders/orders.module.ts',
      'src/orders/orders.scopes.ts',
      'src/orders/orders.service.spec.ts',
      'src/orders/orders.service.ts',
      'test/orders.e2e-spec.ts',
    ]);
    for (const file of changed(before, after)) {
      await expect(after[file]).toMatchFileSnapshot(`./__snapshots__/sres-orders/${file}.snap`);
    }
    expect(after['src/app.module.ts']).toContain("import { OrdersModule } from './orders/orders.module.js';");
    expect(after['src/app.module.ts']).toMatch(/useFactory: bastionOptions \}\),\n {4}OrdersModule,\n {2}\]/);
  });

  it('puts the scope for its method on every handler and validates ids with ParseUUIDPipe', async () => {
    const { runner: r } = runner();
    const out = await r.runSchematic('sres', { name: 'orders', fields: FIELDS }, await initialised());
    const controller = out.readText('src/orders/orders.controller.ts');
    const handlers = controller.split('\n  @').filter((b) => /^(Get|Post|Patch|Delete)\(/.test(b));
    expect(controller.match(/@(Get|Post|Patch|Delete)\(/g)).toHaveLength(5);
    expect(controller.match(/@RequireScopes\(ORDERS_SCOPES\.(read|write|delete)\)/g)).toEqual([
      '@RequireScopes(ORDERS_SCOPES.write)',
      '@RequireScopes(ORDERS_SCOPES.read)',
      '@RequireScopes(ORDERS_SCOPES.read)',
      '@RequireScopes(ORDERS_SCOPES.write)',
      '@RequireScopes(ORDERS_SCOPES.delete)',
    ]);
    expect(handlers).toHaveLength(5);
    expect(controller.match(/@Param\('id', ParseUUIDPipe\) id: string/g)).toHaveLength(3);
    expect(controller).not.toContain('+id');
    expect(controller).not.toContain('UsePolicy');
    expect(out.readText('src/orders/orders.scopes.ts')).toContain("read: 'orders:read',\n  write: 'orders:write',\n  delete: 'orders:delete',");
  });

  it('is idempotent: a second run changes nothing', async () => {
    const { runner: r } = runner();
    const once = await r.runSchematic('sres', { name: 'orders', fields: FIELDS }, await initialised());
    const before = snapshot(once);
    const { runner: r2 } = runner();
    expect(snapshot(await r2.runSchematic('sres', { name: 'orders', fields: FIELDS }, once))).toEqual(before);
  });

  it('keeps a file the user changed and says so', async () => {
    const { runner: r } = runner();
    const once = await r.runSchematic('sres', { name: 'orders', fields: FIELDS }, await initialised());
    once.overwrite('src/orders/orders.service.ts', '// mine\n');
    const { runner: r2, logs } = runner();
    const twice = await r2.runSchematic('sres', { name: 'orders', fields: FIELDS }, once);
    expect(twice.readText('src/orders/orders.service.ts')).toBe('// mine\n');
    expect(logs).toContain('warn: skipped src/orders/orders.service.ts: it exists and differs; your version is kept');
  });

  it('follows a CommonJS NestJS 11 app on Fastify with jest', async () => {
    const { runner: r } = runner();
    const out = await r.runSchematic('sres', { name: 'orders', fields: FIELDS }, await initialised({ esm: false, nestMajor: 11, runner: 'jest', fastify: true }));
    const spec = out.readText('test/orders.e2e-spec.ts');
    expect(spec).not.toContain("from 'vitest'");
    expect(spec).toContain("import { OrdersModule } from '../src/orders/orders.module';");
    expect(spec).toContain('createNestApplication<NestFastifyApplication>(new FastifyAdapter())');
    expect(spec).toContain('await app.getHttpAdapter().getInstance().ready();');
    expect(out.readText('src/orders/orders.controller.ts')).toContain("import { OrdersService } from './orders.service';");
    expect(out.readText('src/app.module.ts')).toContain("import { OrdersModule } from './orders/orders.module';");
  });

  it('reads fields, id type and ownership from bastion.json; drops server-owned fields; nests objects', async () => {
    const tree = await initialised({ swagger: true });
    const config = JSON.parse(tree.readText('bastion.json'));
    config.idType = 'int';
    config.resources = {
      'line-items': {
        ownership: true,
        fields: [
          { name: 'id', type: 'uuid' },
          { name: 'sku', type: 'string', max: 32 },
          { name: 'createdAt', type: 'date' },
          { name: 'shipping', type: 'object', fields: [{ name: 'street', type: 'string' }, { name: 'zip', type: 'string', min: 4, max: 10 }] },
          { name: 'tags', type: 'string', array: true, optional: true, max: 20, maxItems: 10 },
        ],
      },
    };
    tree.overwrite('bastion.json', JSON.stringify(config));
    const { runner: r, logs } = runner();
    const out = await r.runSchematic('sres', { name: 'line-items' }, tree);
    expect(logs).toContain('warn: skipped server-owned field(s) id, createdAt: clients must not set them');
    const create = out.readText('src/line-items/dto/create-line-item.dto.ts');
    expect(create).not.toMatch(/\bid[!?]:|createdAt/);
    expect(create).toContain('export class CreateLineItemShippingDto {');
    expect(create).toContain('  @ApiProperty({ type: () => CreateLineItemShippingDto })\n  @ValidateNested()\n  @Type(() => CreateLineItemShippingDto)\n  shipping!: CreateLineItemShippingDto;');
    expect(create).toContain('  @IsString()\n  @MaxLength(255)\n  street!: string;');
    expect(create).toContain('@IsArray()\n  @ArrayMaxSize(10)\n  @IsString({ each: true })\n  @MaxLength(20, { each: true })\n  tags?: string[];');
    expect(out.readText('src/line-items/dto/update-line-item.dto.ts')).toContain("import { CreateLineItemShippingDto } from './create-line-item.dto.js';");
    const controller = out.readText('src/line-items/line-items.controller.ts');
    expect(controller.match(/@UsePolicy\(LineItemOwnerPolicy\)/g)).toHaveLength(3);
    expect(controller.match(/@Param\('id', ParseIntPipe\) id: number/g)).toHaveLength(3);
    expect(controller).toContain("@ApiTags('line-items')\n@ApiBearerAuth()\n@Controller('line-items')");
    expect(controller).toContain("import type { Principal } from '@bastion/nest';");
    expect(out.readText('src/line-items/line-items.module.ts')).toContain('providers: [LineItemsService, LineItemOwnerPolicy],');
    expect(out.readText('src/line-items/policies/line-item-owner.policy.ts')).toContain("find(Number(ctx.params['id']))");
  });

  it('respects --skip-import, --flat, --path and --spec false', async () => {
    const tree = await initialised();
    const before = snapshot(tree);
    const { runner: r, logs } = runner();
    const after = snapshot(await r.runSchematic('sres', { name: 'orders', fields: FIELDS, skipImport: true, flat: true, path: 'shop', spec: false }, tree));
    expect(changed(before, after)).toEqual([
      'src/shop/dto/create-order.dto.ts',
      'src/shop/dto/list-orders.query.ts',
      'src/shop/dto/update-order.dto.ts',
      'src/shop/entities/order.entity.ts',
      'src/shop/orders.controller.ts',
      'src/shop/orders.module.ts',
      'src/shop/orders.scopes.ts',
      'src/shop/orders.service.ts',
    ]);
    expect(logs).toContain('info: skipped module registration: --skip-import');
  });

  it('accepts every option nest g forwards, and refuses other transports', async () => {
    const { runner: r } = runner();
    const forwarded = { path: undefined, flat: false, spec: true, specFileSuffix: 'spec', skipImport: false, type: 'rest', crud: true, language: 'ts', project: 'app', collection: '@bastion/schematics', format: false, sourceRoot: 'src' };
    const out = await r.runSchematic('sres', { name: 'orders', ...forwarded }, await initialised());
    expect(out.exists('src/orders/orders.controller.ts')).toBe(true);
    await expect(r.runSchematic('sres', { name: 'events', type: 'ws' }, await initialised())).rejects.toThrow(/REST resources only/);
  });

  it('refuses a malformed field list with a clear message', async () => {
    const { runner: r } = runner();
    await expect(r.runSchematic('sres', { name: 'orders', fields: 'item:strin' }, await initialised())).rejects.toThrow(/unknown type "strin"/);
    await expect(r.runSchematic('sres', { name: 'orders', fields: 'item:string:9-1' }, await initialised())).rejects.toThrow(/min is greater than max/);
  });

  it('refuses a NestJS 10 project, naming the upgrade path, and writes nothing', async () => {
    const { runner: r } = runner();
    const tree = nestApp({ esm: false, runner: 'jest', nestMajor: 10 });
    const before = snapshot(tree);
    await expect(r.runSchematic('sres', { name: 'orders', fields: FIELDS }, tree)).rejects.toThrow(/secure-resource: @bastion\/nest cannot be used in this project yet: package\.json asks for @nestjs\/core \^10\.0\.1.*\(10 → 11\)/);
    expect(snapshot(tree)).toEqual(before);
  });
});
