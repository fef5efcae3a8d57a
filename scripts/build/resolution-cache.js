'use strict';
/**
 * What `require` resolves in a built application, recorded when it is built, so that a start does
 * not search the file system again for each of its ~2,900 modules (Node's resolution is a third of
 * the time a service takes to load its modules: stat calls, package.json reads, realpath).
 *
 * scripts/build/build-app.ts copies this file into each build (dist/<project>/resolution-cache.js),
 * calls `record()` there, which loads the application's modules and writes `resolutions.json`
 * (paths relative to the build directory, so the table holds wherever dist/ and node_modules sit
 * side by side: the repository, the image's /app); each entry file calls `install()` first.
 * A request the table lacks, or whose recorded file is gone, is resolved as Node always does.
 * VALLEY_RESOLUTION_CACHE=off turns it off.
 */
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const TABLE = 'resolutions.json';
const SEPARATOR = '\0';

/** From now on, resolves through the table of `baseDir` (the build directory) when it knows the answer. */
exports.install = function install(baseDir) {
  if (process.env.VALLEY_RESOLUTION_CACHE === 'off') return false;
  let table;
  try {
    table = JSON.parse(fs.readFileSync(path.join(baseDir, TABLE), 'utf8'));
  } catch {
    return false;
  }
  const known = new Map();
  for (const [key, target] of Object.entries(table)) {
    const at = key.indexOf(SEPARATOR);
    known.set(path.resolve(baseDir, key.slice(0, at)) + SEPARATOR + key.slice(at + 1), path.resolve(baseDir, target));
  }
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function resolveFilename(request, parent, isMain, options) {
    if (!options && parent && parent.filename) {
      const hit = known.get(path.dirname(parent.filename) + SEPARATOR + request);
      if (hit !== undefined && fs.existsSync(hit)) return hit;
    }
    return resolve.call(this, request, parent, isMain, options);
  };
  // What a start loads is loaded by then; later requests (rare) resolve as usual, and the table goes.
  setTimeout(() => {
    Module._resolveFilename = resolve;
    known.clear();
  }, 30_000).unref();
  return true;
};

/**
 * Loads each of `files` (the application's modules, not its entries: those start it) and writes
 * what was resolved, relative to `baseDir`. A module that fails to load on its own is skipped:
 * what it would have resolved is resolved as usual at run time.
 */
exports.record = function record(baseDir, files) {
  const table = {};
  const resolve = Module._resolveFilename;
  const relative = (to) => path.relative(baseDir, to).split(path.sep).join('/');
  Module._resolveFilename = function resolveFilename(request, parent, isMain, options) {
    const resolved = resolve.call(this, request, parent, isMain, options);
    if (!options && parent && parent.filename && path.isAbsolute(resolved) && !Module.isBuiltin(request))
      table[relative(path.dirname(parent.filename)) + SEPARATOR + request] = relative(resolved);
    return resolved;
  };
  let failed = 0;
  for (const file of files) {
    try {
      require(file);
    } catch {
      failed++;
    }
  }
  Module._resolveFilename = resolve;
  fs.writeFileSync(path.join(baseDir, TABLE), JSON.stringify(table));
  return { resolutions: Object.keys(table).length, failed };
};
