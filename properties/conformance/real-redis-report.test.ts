// `aofsim validate redis-server --report FILE` end to end (issue 7 item 5): a short campaign against
// the real redis-server 7.0, the HTML report written, then opened in headless Chromium: the DOM
// must contain the summary table (with failing rows: 7.0.15 has the zero-fill refusal) and the
// screenshot must be a non-blank PNG. Skips LOUDLY without redis-server / strace / chromium
// (apt-get install -y chromium); fails instead when AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium, REQUIRE_REAL, redisServerMissing, skipLoudly, straceMissing } from '../../sim/subjects/real-availability.ts';
import { runCampaign } from '../../sim/subjects/real-campaign.ts';
import { renderReportHtml } from '../../sim/subjects/report-html.ts';

const chromium = findChromium();
const missing = redisServerMissing() ?? straceMissing() ?? (chromium === null ? 'chromium not found (apt-get install -y chromium)' : null);
const skip = skipLoudly('real-redis-report (HTML report in headless Chromium)', missing);
const tmp = mkdtempSync(join(tmpdir(), 'aofsim-report-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Distinct byte values in the decoded (still filtered) pixel rows of a PNG: a blank page has very few. */
function pngStats(png: Buffer): { width: number; height: number; distinct: number } {
  expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const seen = new Set<number>();
  for (let i = 0; i < raw.length; i += 7) seen.add(raw[i]);
  return { width, height, distinct: seen.size };
}

describe.skipIf(skip)('validate redis-server HTML report', () => {
  it('renders in headless Chromium with the summary table and failures', async () => {
    if (REQUIRE_REAL) expect(missing).toBeNull();
    // power loss only: the whole budget goes to the crash states, where seed 1's zero-filled tail
    // (bug 22) comes up early even on a loaded machine
    const report = await runCampaign({ budgetMs: 20_000, seed: 1, only: 'power-loss', scenariosDir: join(tmp, 'scenarios') });
    expect(report.rows.length).toBeGreaterThan(5);
    expect(report.failures.some((f) => f.fault === 'power-loss zero-fill' && f.property === 'server-starts')).toBe(true);
    const file = join(tmp, 'report.html');
    writeFileSync(file, renderReportHtml(report));
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1280,1000'];
    const dom = spawnSync(chromium!, [...flags, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status, dom.stderr).toBe(0);
    expect(dom.stdout).toContain('<table id="summary">');
    expect(dom.stdout.match(/<tr class="(pass|fail)">/g)?.length).toBe(report.rows.length);
    expect(dom.stdout).toContain('class="badge fail"');
    expect(dom.stdout).toContain('aofsim replay ');
    const png = join(tmp, 'report.png');
    const shot = spawnSync(chromium!, [...flags, `--screenshot=${png}`, `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
    expect(shot.status, shot.stderr).toBe(0);
    expect(existsSync(png)).toBe(true);
    const stats = pngStats(readFileSync(png));
    expect(stats.width).toBe(1280);
    expect(stats.height).toBe(1000);
    expect(stats.distinct).toBeGreaterThan(40);
  });
});
