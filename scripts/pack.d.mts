export declare const ROOT: string;
export declare const PUBLISHABLE: Readonly<Record<PublishableName, string>>;
export type PublishableName = '@bastion/nest' | '@bastion/codemod' | '@bastion/schematics';
export declare function packPackage(dir: string, dest: string): string;
export declare function packAll(dest: string): Record<PublishableName, string>;
