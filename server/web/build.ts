import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../shared/paths';
import { assetsDir, manifestPath, webDir, type WebManifest } from './manifest';

/**
 * Bundles the client (server/web/client) into dist/web/assets: one script and one stylesheet, minified, named by
 * their content's hash. Run by `npm run build` and `npm install` (prepare) after tsc; the client's types are checked
 * by `npm run typecheck`, esbuild only strips them.
 */

async function main(): Promise<void> {
  const client = path.join(projectRoot(), 'server', 'web', 'client');
  fs.rmSync(webDir(), { recursive: true, force: true });
  fs.mkdirSync(assetsDir(), { recursive: true });
  const result = await build({
    entryPoints: { app: path.join(client, 'main.ts'), style: path.join(client, 'style.css') },
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    outdir: assetsDir(),
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((o) => path.basename(o));
  const script = outputs.find((o) => /^app-[A-Z0-9]+\.js$/.test(o));
  const style = outputs.find((o) => /^style-[A-Z0-9]+\.css$/.test(o));
  if (!script || !style) throw new Error(`web build: unexpected outputs ${outputs.join(', ')}`);
  const manifest: WebManifest = { script, style };
  fs.writeFileSync(manifestPath(), `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`web: ${script}, ${style}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`web build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
