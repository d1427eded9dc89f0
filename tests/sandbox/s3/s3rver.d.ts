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

// The store's key-path encoding, replaced in startLocalS3.ts so that long key segments fit.
declare module 's3rver/lib/stores/filesystem' {
  // biome-ignore lint/complexity/noStaticOnlyClass: declares s3rver's own class as it is
  export default class FilesystemStore {
    static encodeKeyPath(key: string): string;
    static decodeKeyPath(keyPath: string): string;
  }
}
