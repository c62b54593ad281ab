#!/usr/bin/env node
// The CLI's entry before it moved to bin/aofsim.cjs. `npx aofsim` keeps, per project directory, a
// link to the bin file it first found (npm's exec cache), so a checkout where `npx aofsim` ran
// before the move still starts this file: it hands over to the new entry. Not in package.json.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./aofsim.cjs');
