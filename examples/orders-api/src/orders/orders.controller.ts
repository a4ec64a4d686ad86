import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CurrentPrincipal, RequireScopes, Roles, UsePolicy, type Principal } from '@bastion/nest';
import { CreateOrderDto } from './create-order.dto.js';
import { OrderOwner } from './order-owner.policy.js';
import { OrdersService } from './orders.service.js';

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @RequireScopes('orders:read')
  list(@CurrentPrincipal() principal: Principal) {
    return this.orders.list(principal.subject);
  }

  @Get(':id')
  @RequireScopes('orders:read')
  @UsePolicy(OrderOwner)
  findOne(@Param('id', ParseUUIDPipe) id: string) {
    return this.orders.find(id);
  }

  @Post()
  @RequireScopes('orders:write')
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrderDto) {
    return this.orders.create(principal.subject, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('orders:write')
  @Roles('admin')
  remove(@Param('id', ParseUUIDPipe) id: string): void {
    if (!this.orders.remove(id)) throw new NotFoundException();
  }
}
