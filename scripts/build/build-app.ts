/**
 * Builds one application (or the ops tools) to JavaScript: `nx build <project>` runs
 *
 *   node -r ./scripts/register.js scripts/build/build-app.ts <project root> [--assets dir,dir]
 *
 * It compiles the entries named in `<project root>/tsconfig.app.json` ("files") and everything they
 * import (the libs too, followed through relative imports and the path aliases) file by file with
 * the TypeScript compiler's transpiler, exactly as ts-node runs the sources (tsconfig.json has
 * isolatedModules; the decorator metadata NestJS, TypeORM and class-validator need is emitted),
 * into `dist/<project root>/`, keeping the repository's layout below it, so every
 * `__dirname`-relative read (email templates, portal views, NACE codes) finds its file where the
 * sources find it. Then it:
 *
 * - rewrites the `@valley/*` path aliases of tsconfig.base.json into relative requires;
 * - copies the imported JSON, the assets (`--assets`, directories of the project root) and every
 *   non-code file that sits beside a compiled source (libs/contracts/src/nace/nace-rev2.csv);
 * - writes one file per entry at the top, `dist/<project root>/<entry>.js` (src/main.ts → main.js);
 * - records what the built modules require (resolution-cache.js: a start skips Node's search);
 * - fails when the output would need a test helper or a package that is not in package.json's
 *   `dependencies` (the image installs those only).
 *
 * Types are not checked here (`npm run typecheck` is the type gate), so a build takes seconds.
 * The built output runs with plain `node dist/services/<name>/main.js`.
 */
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const REPO_ROOT = resolve(__dirname, '..', '..');
const toPosix = (path: string) => path.split(sep).join('/');

interface BuildOptions {
  /** The project's directory, relative to the repository root: services/membership, tools/ops. */
  projectRoot: string;
  /** Directories of the project root read at run time, copied as they are. */
  assets: string[];
}

export interface BuildResult {
  outDir: string;
  entries: string[];
  /** Requests resolved ahead (resolutions.json). */
  resolutions: number;
  files: number;
  packages: string[];
}

function parseArgs(argv: string[]): BuildOptions {
  const [projectRoot, ...rest] = argv;
  if (!projectRoot || projectRoot.startsWith('-'))
    throw new Error('usage: build-app.ts <project root> [--assets dir,dir]');
  const assets: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--assets') assets.push(...(rest[++i] ?? '').split(',').filter(Boolean));
    else throw new Error(`unknown option ${rest[i]}`);
  }
  return { projectRoot: toPosix(projectRoot).replace(/\/$/, ''), assets };
}

/** `@valley/platform` → `libs/platform/src/index` (repo-relative, no extension), from tsconfig.base.json. */
function pathAliases(options: ts.CompilerOptions): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const [alias, targets] of Object.entries(options.paths ?? {})) {
    if (alias.includes('*')) throw new Error(`wildcard path alias ${alias} is not supported by the build`);
    const target = resolve(options.baseUrl ?? REPO_ROOT, targets[0]);
    aliases.set(alias, toPosix(relative(REPO_ROOT, target)).replace(/\.ts$/, ''));
  }
  return aliases;
}

const REQUIRE = /\brequire\("([^"]+)"\)/g;

/** The npm package a bare specifier names: `@nestjs/core/x` → `@nestjs/core`, `pg` → `pg`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const BUILTINS = new Set(builtinModules);

export function buildApp({ projectRoot, assets }: BuildOptions): BuildResult {
  const projectDir = join(REPO_ROOT, projectRoot);
  const configPath = join(projectDir, 'tsconfig.app.json');
  if (!existsSync(configPath)) throw new Error(`${projectRoot}: no tsconfig.app.json`);
  const outDir = join(REPO_ROOT, 'dist', projectRoot);

  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    { noEmit: false, declaration: false, composite: false, incremental: false },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) },
  );
  if (!parsed) throw new Error(`${configPath}: unreadable`);
  if (parsed.errors.length > 0) fail(parsed.errors);
  if (parsed.fileNames.length === 0) throw new Error(`${configPath}: "files" names no entry`);
  const options = parsed.options;
  const aliases = pathAliases(options);

  // Every repository file the entries import, followed through relative imports and the aliases.
  const sources: string[] = [];
  const jsonFiles = new Set<string>();
  const seen = new Set<string>();
  const cache = ts.createModuleResolutionCache(REPO_ROOT, (f) => f, options);
  const queue = [...parsed.fileNames.map((f) => resolve(f))];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    sources.push(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      // Packages stay outside the build (node_modules at run time): only ours are followed.
      if (!specifier.startsWith('.') && !aliases.has(specifier)) continue;
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys, cache).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const target = resolve(resolved.resolvedFileName);
      if (!target.startsWith(REPO_ROOT + sep) || target.includes(`${sep}node_modules${sep}`)) continue;
      if (target.endsWith('.json')) jsonFiles.add(target);
      else if (target.endsWith('.ts') && !target.endsWith('.d.ts')) queue.push(target);
    }
  }

  rmSync(outDir, { recursive: true, force: true });
  const packages = new Set<string>();
  const sourceDirs = new Set<string>();
  const problems: string[] = [];
  let resolutions = 0;
  for (const file of sources) {
    const source = toPosix(relative(REPO_ROOT, file)); // services/membership/src/main.ts
    if (/\.(int-|e2e-)?spec\.ts$/.test(source) || source.startsWith('libs/testing/') || source.includes('/testing/'))
      problems.push(`${source}: a test helper in the build (imported from application code?)`);
    // As ts-node runs the sources today (transpile only, every file on its own: tsconfig.json has
    // isolatedModules), with the decorator metadata of tsconfig.base.json.
    const { outputText, sourceMapText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { ...options, sourceMap: true, inlineSourceMap: false, inlineSources: false },
      fileName: file,
      reportDiagnostics: true,
    });
    if (diagnostics && diagnostics.length > 0) fail(diagnostics);
    const code = outputText.replace(REQUIRE, (whole, specifier: string) => {
      const target = aliases.get(specifier);
      if (target !== undefined) {
        let path = toPosix(relative(dirname(source), target));
        if (!path.startsWith('.')) path = `./${path}`;
        return `require("${path}")`;
      }
      if (specifier.startsWith('.') || specifier.startsWith('node:') || BUILTINS.has(specifier)) return whole;
      if (specifier.startsWith('@valley/')) problems.push(`${source}: unknown alias ${specifier}`);
      else packages.add(packageOf(specifier));
      return whole;
    });
    const out = join(outDir, source.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
    if (sourceMapText) writeFileSync(`${out}.map`, sourceMapText);
    sourceDirs.add(dirname(source));
  }
  for (const file of jsonFiles) {
    const out = join(outDir, relative(REPO_ROOT, file));
    mkdirSync(dirname(out), { recursive: true });
    cpSync(file, out);
  }

  // What the image installs: package.json's dependencies only.
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const name of packages)
    if (!manifest.dependencies?.[name])
      problems.push(
        `${name}: required by the build but not in package.json "dependencies" (npm install --save-exact ${name})`,
      );
  if (problems.length > 0) throw new Error(`${projectRoot}: build refused:\n  ${problems.join('\n  ')}`);

  // Files the code reads beside itself (not code, not docs).
  for (const dir of sourceDirs) {
    const from = join(REPO_ROOT, dir);
    for (const name of readdirSync(from)) {
      const path = join(from, name);
      if (statSync(path).isFile() && !['.ts', '.md', '.js', '.mjs', '.cjs'].includes(extname(name)))
        cpSync(path, join(outDir, dir, name));
    }
  }
  for (const asset of assets) {
    const from = join(projectDir, asset);
    if (!existsSync(from)) throw new Error(`${projectRoot}: asset ${asset} does not exist`);
    cpSync(from, join(outDir, projectRoot, asset), { recursive: true });
  }

  // One file per entry at the top: dist/services/membership/main.js, resolving through the table
  // of what the build's modules require (resolution-cache.js).
  cpSync(join(__dirname, 'resolution-cache.js'), join(outDir, 'resolution-cache.js'));
  const entries: string[] = [];
  const entryOutputs = new Set<string>();
  for (const entry of parsed.fileNames) {
    const source = toPosix(relative(REPO_ROOT, entry)).replace(/\.ts$/, '');
    const name = basename(source);
    const launcher = join(outDir, `${name}.js`);
    if (existsSync(launcher)) throw new Error(`${projectRoot}: two entries named ${name}`);
    writeFileSync(
      launcher,
      [
        '#!/usr/bin/env node',
        "'use strict';",
        `// ${source}.ts, built by scripts/build/build-app.ts`,
        "require('./resolution-cache.js').install(__dirname);",
        `require('./${source}.js');`,
        '',
      ].join('\n'),
    );
    entries.push(toPosix(relative(REPO_ROOT, launcher)));
    entryOutputs.add(join(outDir, `${source}.js`));
  }
  const modules = sources
    .map((file) => join(outDir, toPosix(relative(REPO_ROOT, file)).replace(/\.ts$/, '.js')))
    .filter((file) => !entryOutputs.has(file));
  resolutions = recordResolutions(outDir, modules);
  return {
    outDir: toPosix(relative(REPO_ROOT, outDir)),
    entries,
    resolutions,
    files: sources.length,
    packages: [...packages].sort(),
  };
}

/**
 * Loads the built modules in a node process of their own (no trace SDK: it would hook what it
 * loads) and records what they require (resolution-cache.js). Best effort: without the table
 * the application resolves as Node always does.
 */
function recordResolutions(outDir: string, modules: string[]): number {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
  try {
    const output = execFileSync(
      process.execPath,
      [
        '-e',
        `const r = require(${JSON.stringify(join(outDir, 'resolution-cache.js'))}).record(${JSON.stringify(outDir)}, ` +
          "JSON.parse(require('node:fs').readFileSync(0, 'utf8'))); process.stdout.write(JSON.stringify(r)); process.exit(0);",
      ],
      { input: JSON.stringify(modules), env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], timeout: 120_000 },
    );
    return (JSON.parse(output) as { resolutions: number }).resolutions;
  } catch (error) {
    console.warn(
      `resolutions not recorded (${error instanceof Error ? error.message : error}): the build runs without`,
    );
    return 0;
  }
}

function fail(diagnostics: readonly ts.Diagnostic[]): never {
  throw new Error(
    ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => REPO_ROOT,
      getNewLine: () => '\n',
    }),
  );
}

if (require.main === module) {
  try {
    const started = Date.now();
    const result = buildApp(parseArgs(process.argv.slice(2)));
    console.log(
      `${result.outDir}: ${result.files} files in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `entries ${result.entries.join(', ')}; ${result.resolutions} resolutions recorded`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
