/**
 * The esbuild settings of every function bundle, in one place: serverless-esbuild reads them
 * through `custom.esbuild.config` in serverless.yml, and the benchmark (`npm run bench`) builds
 * its baseline with the same ones, so both are compared as equals.
 */
const functionBundleOptions = {
  bundle: true,
  minify: true,
  // No source maps: they quadruple the package and slow cold starts; logs carry causes, not stacks.
  sourcemap: false,
  target: 'node24',
  platform: 'node',
  format: 'cjs',
  mainFields: ['module', 'main'],
};

/** serverless-esbuild calls this with the serverless instance and merges the result over its defaults. */
module.exports = () => ({
  ...functionBundleOptions,
  // Lambda's own copy of the AWS SDK is not used: the bundle pins the version it was tested with.
  exclude: [],
});
module.exports.functionBundleOptions = functionBundleOptions;
