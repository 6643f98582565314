#!/usr/bin/env node
'use strict';
// Let V8 optimize a function only after it has run longer than by default (300 KB of bytecode budget instead of
// 66 KB). A batch runs the same code for every document in two or more isolates (the worker threads), each of
// which optimizes it separately: with the default, optimizing compilations took about as much CPU as verifying,
// on the same two cores. Measured with `npm run bench` on 2,000 documents: 2.3 s → 1.8 s, CPU 4.1 s → 3.3 s.
// Inline less into each optimized function (a cumulative 230 bytes of bytecode instead of 920): each isolate
// compiles the hot code of a batch for itself, and smaller optimized functions cost less to compile than the calls
// they keep cost to run. Measured on 2,000 documents, 8 runs each, alternated: 2.24 s → 2.03 s, CPU 4.04 → 3.73 s;
// and with callgrind, 1,000 documents in one isolate: 5,770 → 5,475 million instructions.
// Set before anything is compiled; worker threads share the process's V8 flags. Not for `serve` and `worker`:
// they run the same code for hours, where optimizing sooner pays back its compilations many times over.
const command = process.argv[2];
if (command !== 'serve' && command !== 'worker') {
  const v8 = require('node:v8');
  v8.setFlagsFromString('--interrupt-budget=300000');
  v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=230');
}
// The compiled CLI lives in dist/ (built by `npm ci` through the prepare script, or `npm run build`).
require('../dist/server/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(String(err && err.stack || err) + '\n'); process.exitCode = 2; },
);
