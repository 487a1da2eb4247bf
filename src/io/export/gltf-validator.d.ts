/** Types for the parts of the Khronos glTF validator (npm `gltf-validator`, untyped) the tests use. */
declare module 'gltf-validator' {
  export interface ValidationMessage {
    code: string;
    /** 0 error, 1 warning, 2 information, 3 hint. */
    severity: 0 | 1 | 2 | 3;
    message: string;
    pointer?: string;
    offset?: number;
  }
  export interface ValidationReport {
    mimeType?: string;
    validatorVersion: string;
    issues: {
      numErrors: number;
      numWarnings: number;
      numInfos: number;
      numHints: number;
      messages: ValidationMessage[];
      truncated: boolean;
    };
    info?: Record<string, unknown>;
  }
  export interface ValidationOptions {
    uri?: string;
    format?: 'glb' | 'gltf';
    maxIssues?: number;
    ignoredIssues?: string[];
    writeTimestamp?: boolean;
    externalResourceFunction?: (uri: string) => Promise<Uint8Array>;
  }
  export function version(): string;
  export function validateBytes(data: Uint8Array, options?: ValidationOptions): Promise<ValidationReport>;
  export function validateString(json: string, options?: ValidationOptions): Promise<ValidationReport>;
  const validator: {
    version: typeof version;
    validateBytes: typeof validateBytes;
    validateString: typeof validateString;
  };
  export default validator;
}
