/**
 * The routes every peer-benchmark app serves, with the same handler bodies: a small `GET` (public and
 * protected) and a `POST` whose body is a validated DTO. Each app declares its own controller (its own
 * decorators) over these.
 */
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Body of `POST /items`. */
export class CreateItemDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  tags?: string[];
}

/** What `GET /items/public` and `GET /items/protected` return. */
export const ITEM = { id: 1, name: 'widget', quantity: 3, tags: ['a', 'b'] } as const;

/** A body every app accepts (201). */
export const VALID_BODY = JSON.stringify({ name: 'widget', quantity: 3, tags: ['a', 'b'] });
/** A body the validating apps refuse (400): empty name, quantity not a number. */
export const INVALID_BODY = JSON.stringify({ name: '', quantity: 'three' });

/** What `POST /items` returns. */
export function created(dto: CreateItemDto): { id: number; name: string; quantity: number; tags: string[] } {
  return { id: 2, name: dto.name, quantity: dto.quantity, tags: dto.tags ?? [] };
}

export const PATHS = { public: '/items/public', protected: '/items/protected', create: '/items' } as const;
