declare module 'typeorm' {
  export function Entity(name?: string | { name?: string }): ClassDecorator;
  export function Column(typeOrOptions?: string | object, options?: object): PropertyDecorator;
  export function PrimaryGeneratedColumn(options?: object): PropertyDecorator;
}
