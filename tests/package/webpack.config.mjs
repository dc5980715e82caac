// webpack's build of an app folder (tests/package/webpack.test.mjs: webpack --config this --env app=DIR). Nothing
// in it is for faasm.js: webpack finds worker mode's script itself, from sdk/js's
// `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`, and bundles it as a worker.
import path from 'node:path';

export default ({ app }) => ({
  mode: 'production',
  context: app,
  entry: './main.js',
  output: { path: path.join(app, 'dist'), clean: true },
});
