// The native `gl` package (gpu.js's headless GL) builds with node-gyp, which would otherwise try
// to download Node's headers; the only reachable registry is npm's, so point it at the headers
// installed beside this Node. pnpm 12 does not forward `nodedir` from .npmrc to build scripts.
const fs = require('node:fs');
const path = require('node:path');

const nodeDir = path.resolve(path.dirname(process.execPath), '..');
const hasHeaders = fs.existsSync(path.join(nodeDir, 'include', 'node', 'node.h'));

module.exports = {
  hooks: {
    updateConfig(config) {
      const extraEnv = { ...(config.extraEnv || {}), JOBS: 'max' };
      if (hasHeaders && !process.env.npm_config_nodedir) extraEnv.npm_config_nodedir = nodeDir;
      return { ...config, extraEnv };
    },
  },
};
