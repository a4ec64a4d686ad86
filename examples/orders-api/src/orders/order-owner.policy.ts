import { OwnershipPolicy } from '@bastion/nest';
import { OrdersService } from './orders.service.js';

/**
 * Object-level authorization (OWASP API1): the caller's `sub` must equal the order's `owner`.
 * Someone else's order and a missing one both answer the same 404, so ids reveal nothing.
 */
export const OrderOwner = OwnershipPolicy({
  name: 'OrderOwner',
  resource: (ctx, moduleRef) => moduleRef.get(OrdersService, { strict: false }).find(String(ctx.params.id)),
  field: 'owner',
});
