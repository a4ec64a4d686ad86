import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

export interface Order {
  id: string;
  owner: string;
  item: string;
  quantity: number;
  createdAt: string;
}

/** In-memory orders, seeded with one order per demo user. */
@Injectable()
export class OrdersService {
  private readonly orders = new Map<string, Order>();

  constructor() {
    this.create('alice', { item: 'espresso beans', quantity: 2 });
    this.create('bob', { item: 'green tea', quantity: 1 });
  }

  list(owner: string): Order[] {
    return [...this.orders.values()].filter((o) => o.owner === owner);
  }

  all(): Order[] {
    return [...this.orders.values()];
  }

  find(id: string): Order | undefined {
    return this.orders.get(id);
  }

  create(owner: string, input: { item: string; quantity: number }): Order {
    const order: Order = { id: randomUUID(), owner, ...input, createdAt: new Date().toISOString() };
    this.orders.set(order.id, order);
    return order;
  }

  remove(id: string): boolean {
    return this.orders.delete(id);
  }
}
