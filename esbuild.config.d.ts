import type { BuildOptions } from 'esbuild';

/** The esbuild options every function bundle is built with (see esbuild.config.js). */
export declare const functionBundleOptions: Readonly<
  Pick<
    BuildOptions,
    | 'bundle'
    | 'minify'
    | 'sourcemap'
    | 'target'
    | 'platform'
    | 'format'
    | 'splitting'
    | 'outExtension'
    | 'banner'
    | 'mainFields'
    | 'plugins'
  >
>;
