// A StrykerJS ignorer plugin for bench/detect/mutants: with mutate ranges set to the drawn nodes
// (sample.json), StrykerJS would also mutate every node nested inside one of them; this ignorer
// keeps only the drawn nodes themselves, so the run tests exactly the mutants sample.mjs counted.

import { readFileSync } from 'node:fs';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

const sample = JSON.parse(readFileSync(new URL('./sample.json', import.meta.url), 'utf8'));
// Babel locations: 1-based lines, 0-based columns; sample.json holds the API's 0-based lines.
const drawn = sample.nodes.map((n) => ({ start: { line: n.start.line + 1, column: n.start.column }, end: { line: n.end.line + 1, column: n.end.column } }));

const before = (a, b) => a.line < b.line || (a.line === b.line && a.column <= b.column);
const same = (a, b) => a.start.line === b.start.line && a.start.column === b.start.column && a.end.line === b.end.line && a.end.column === b.end.column;

class DetectSampleIgnorer {
  shouldIgnore(path) {
    const loc = path.node.loc;
    if (!loc) return undefined;
    // Nested strictly inside a drawn node and not a drawn node itself: not in the sample.
    if (drawn.some((d) => same(d, loc))) return undefined;
    if (drawn.some((d) => before(d.start, loc.start) && before(loc.end, d.end))) return 'not in the bench/detect sample';
    return undefined;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'detect-sample', DetectSampleIgnorer)];
