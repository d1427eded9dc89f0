// s3rver ships no types; this declares the part of its API the project uses.
declare module 's3rver' {
  interface S3rverOptions {
    port?: number;
    address?: string;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}

// The store's key-path encoding and its PUT, replaced in startLocalS3.ts so that long key
// segments fit and an object is read back whole as soon as it was acknowledged.
declare module 's3rver/lib/stores/filesystem' {
  export default class FilesystemStore {
    static encodeKeyPath(key: string): string;
    static decodeKeyPath(keyPath: string): string;
    putObject(object: unknown): Promise<{ size: number; md5: string }>;
  }
}
