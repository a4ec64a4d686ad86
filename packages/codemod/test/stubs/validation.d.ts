declare module 'class-validator' {
  export interface ValidationOptions { each?: boolean; message?: string }
  type PD = PropertyDecorator;
  export function IsString(options?: ValidationOptions): PD;
  export function MaxLength(max: number, options?: ValidationOptions): PD;
  export function MinLength(min: number, options?: ValidationOptions): PD;
  export function Length(min: number, max?: number, options?: ValidationOptions): PD;
  export function Max(max: number, options?: ValidationOptions): PD;
  export function Min(min: number, options?: ValidationOptions): PD;
  export function ArrayMaxSize(max: number, options?: ValidationOptions): PD;
  export function IsISO8601(options?: object, validationOptions?: ValidationOptions): PD;
  export function IsEmail(options?: object, validationOptions?: ValidationOptions): PD;
  export function IsUUID(version?: string, options?: ValidationOptions): PD;
  export function IsNumber(numberOptions?: { allowNaN?: boolean; maxDecimalPlaces?: number }, options?: ValidationOptions): PD;
  export function IsInt(options?: ValidationOptions): PD;
  export function IsBoolean(options?: ValidationOptions): PD;
  export function IsIn(values: readonly unknown[], options?: ValidationOptions): PD;
  export function IsEnum(entity: object, options?: ValidationOptions): PD;
  export function IsDate(options?: ValidationOptions): PD;
  export function IsDateString(isoOptions?: object, options?: ValidationOptions): PD;
  export function IsArray(options?: ValidationOptions): PD;
  export function IsOptional(options?: ValidationOptions): PD;
  export function ValidateNested(options?: ValidationOptions): PD;
  export function ValidateIf(condition: (object: any, value: any) => boolean, options?: ValidationOptions): PD;
  export function isUUID(value: unknown, version?: string): boolean;
}
declare module 'class-transformer' {
  export interface TransformFnParams { value: any; key: string; obj: any }
  export function Type(typeFunction?: (type?: unknown) => abstract new (...args: any[]) => unknown, options?: object): PropertyDecorator;
  export function Transform(fn: (params: TransformFnParams) => unknown, options?: object): PropertyDecorator;
}
