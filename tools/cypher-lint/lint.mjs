// Lint Cypher with Neo4j's own Cypher front end (@neo4j-cypher/language-support), offline.
//
// Input (stdin, or the file named by the first argument): a JSON array of
//   {"name": "...", "query": "...", "params": ["a", "b"]}
// Output (stdout): a JSON array, in input order, of
//   {"name": "...", "errors": [{message, line, column}], "warnings": [{message, line, column}]}
// with 1-based line and column inside the query text. Exit status is 0 whenever every query
// was linted: deciding what fails is the caller's job. Exit status 2 means the linter itself
// could not run (bad input, missing package, missing function catalogue).
//
// The schema given to the linter:
// - parameters: only the ones each query declares, so an undeclared $param is an error;
// - defaultLanguage: CYPHER 5 (Neo4j 5);
// - functions: Neo4j's built-in functions (isBuiltIn) of the catalogue the package ships in
//   testData.mockSchema, so unknown functions (FalkorDB-only, APOC, typos) are errors and the
//   semantic analysis checks arity and argument types;
// - procedures: that catalogue's procedures minus the APOC and GDS plugins;
// - no labels, relationship types or property keys: we have no live database, and giving
//   none turns the "not present in the database" warnings off instead of flagging every label.
// Diagnostics with severity 1 (Error) are errors; every other severity is a warning.

import { readFileSync } from 'node:fs';

// Keep stdout for the JSON result, whatever the package might log.
console.log = console.error;
console.info = console.error;
console.warn = console.error;

const VERSION = 'CYPHER 5';
const PLUGIN_PROCEDURE_PREFIXES = ['apoc.', 'gds.'];

function die(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

let lib;
try {
  lib = await import('@neo4j-cypher/language-support');
} catch (err) {
  die(`cannot load @neo4j-cypher/language-support (run 'npm ci' in tools/cypher-lint): ${err}`);
}
const { lintCypherQuery, testData } = lib;

const catalogueFunctions = testData?.mockSchema?.functions?.[VERSION];
const catalogueProcedures = testData?.mockSchema?.procedures?.[VERSION];
if (!catalogueFunctions || !catalogueProcedures) {
  die(`the package no longer ships testData.mockSchema functions/procedures for ${VERSION}`);
}
const functions = Object.fromEntries(
  Object.entries(catalogueFunctions).filter(([, fn]) => fn.isBuiltIn === true),
);
const procedures = Object.fromEntries(
  Object.entries(catalogueProcedures).filter(
    ([name]) => !PLUGIN_PROCEDURE_PREFIXES.some((prefix) => name.startsWith(prefix)),
  ),
);
if (Object.keys(functions).length < 50) {
  die(`only ${Object.keys(functions).length} built-in functions found in the catalogue`);
}

let input;
try {
  input = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8'));
} catch (err) {
  die(`cannot read the input JSON: ${err}`);
}
if (!Array.isArray(input)) die('the input must be a JSON array');

function simplify(diagnostic) {
  return {
    message: diagnostic.message,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
  };
}

const results = input.map(({ name, query, params = [] }) => {
  if (typeof name !== 'string' || typeof query !== 'string' || !Array.isArray(params)) {
    die(`bad entry ${JSON.stringify({ name, params })}: need name, query and a params array`);
  }
  const dbSchema = {
    // Only presence is checked (a value of undefined means "not declared"); null stands for
    // "some value" without implying a type.
    parameters: Object.fromEntries(params.map((param) => [param, null])),
    defaultLanguage: VERSION,
    functions: { [VERSION]: functions },
    procedures: { [VERSION]: procedures },
  };
  const linted = lintCypherQuery(query, dbSchema, { consoleCommandsEnabled: false });
  const diagnostics = Array.isArray(linted) ? linted : linted.diagnostics;
  // severity is optional in LSP; treat a missing one as an error rather than hide it.
  const isError = (d) => d.severity === 1 || d.severity === undefined;
  return {
    name,
    errors: diagnostics.filter(isError).map(simplify),
    warnings: diagnostics.filter((d) => !isError(d)).map(simplify),
  };
});

process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
