/**
 * The esbuild settings of every function bundle, in one place: serverless-esbuild reads them
 * through `custom.esbuild.config` in serverless.yml, and the benchmark (`npm run bench`) builds
 * its baseline with the same ones, so both are compared as equals. Each idea below was measured
 * in the bench (bench/README.md, "Node 24").
 */
const { readFile } = require('node:fs/promises');

/**
 * Node's http module, taken with `require` where the code imports it: imported as an ES module,
 * Node reads every export, and its lazy WebSocket, CloseEvent and MessageEvent load undici,
 * about 30 ms of a cold start. A `require` reads none of them.
 */
const httpByRequire = {
  name: 'http-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?http$/ }, ({ kind }) =>
      kind === 'import-statement' || kind === 'dynamic-import'
        ? { path: 'http', namespace: 'http-by-require' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'http-by-require' }, () => ({
      contents: 'module.exports = require("node:http");',
      loader: 'js',
    }));
  },
};

/**
 * The AWS SDK's schemas with their keys written out: each client's schemas_0.js keys its
 * objects with string constants (`{ [_h]: … }`), a computed key esbuild cannot prove free of
 * side effects, so it kept the schema of every operation, used or not (66 KB of S3's). With the
 * constant's text as the key, it keeps only the operations the code sends (17 KB). A file of
 * another shape is left as it is.
 */
const sdkSchemaKeys = {
  name: 'sdk-schema-keys',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/ },
      async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const strings = new Map(
          [...source.matchAll(/^const (_[\w$]+) = ("[^"\\]*");$/gm)].map(([, name, text]) => [name, text]),
        );
        return {
          contents: source.replace(/\[(_[\w$]+)\]:/g, (key, name) =>
            strings.has(name) ? `${strings.get(name)}:` : key,
          ),
          loader: 'js',
        };
      },
    );
  },
};

const functionBundleOptions = {
  bundle: true,
  minify: true,
  // No source maps: they quadruple the package and slow cold starts; logs carry causes, not stacks.
  sourcemap: false,
  target: 'node24',
  platform: 'node',
  // ES modules split into chunks: what a cold start never needs (the SSM and DynamoDB clients,
  // the credential providers other than the environment's) is a chunk imported on first use.
  // Lambda's runtime imports the handler file, functions/<name>.mjs, as an ES module.
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  // What a CommonJS package inside an ES module still uses (the baseline's Feishu SDK does).
  banner: {
    js:
      "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url)," +
      '__filename=import.meta.filename,__dirname=import.meta.dirname;',
  },
  mainFields: ['module', 'main'],
  plugins: [httpByRequire, sdkSchemaKeys],
};

/** serverless-esbuild calls this with the serverless instance and merges the result over its defaults. */
module.exports = () => ({
  ...functionBundleOptions,
  // serverless-esbuild's own name for outExtension, with which it finds each handler's file.
  outputFileExtension: functionBundleOptions.outExtension['.js'],
  // Lambda's own copy of the AWS SDK is not used: the bundle pins the version it was tested with.
  exclude: [],
});
module.exports.functionBundleOptions = functionBundleOptions;
