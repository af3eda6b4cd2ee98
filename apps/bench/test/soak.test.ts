// The leak soak's rule: exact tensor counts, an RSS trend past the warm-up, and its table.
import { describe, expect, it } from 'vitest';
import { formatSoak, type SoakRow } from '../src/report.js';
import {
  RSS_GROWTH_FRACTION,
  RSS_GROWTH_MB,
  type SoakSample,
  sampleInterval,
  soakVerdict,
} from '../src/soak.js';

/** Samples every 1,000 steps up to 10,000 with the given tensor counts and RSS. */
const run = (rss: (i: number) => number, tensors: (i: number) => number = () => 40): SoakSample[] =>
  Array.from({ length: 11 }, (_, i) => ({
    step: i * 1000,
    tensors: tensors(i),
    dataIds: tensors(i),
    rssMB: rss(i),
    heapMB: 9,
    backendMB: 20.7,
  }));

describe('soakVerdict', () => {
  it('samples every 1,000 steps, or ten times in a shorter soak', () => {
    expect(sampleInterval(10_000)).toBe(1000);
    expect(sampleInterval(50_000)).toBe(1000);
    expect(sampleInterval(200)).toBe(20);
    expect(sampleInterval(3)).toBe(1);
  });

  it('passes a flat run, and a saw-tooth one whose peaks do not trend up', () => {
    expect(soakVerdict(run(() => 150))).toEqual({ ok: true, reasons: [], rssGrowthMB: 0 });
    const sawTooth = soakVerdict(run((i) => 150 + (i % 2 === 0 ? 12 : 0)));
    expect(sawTooth.ok).toBe(true);
  });

  it('ignores the first interval, where working memory is still being reached', () => {
    // +60 MB in the first 1,000 steps, then flat.
    expect(soakVerdict(run((i) => (i === 0 ? 100 : 160))).ok).toBe(true);
  });

  it('fails a leaked tensor, even one, and says how many', () => {
    const v = soakVerdict(
      run(
        () => 150,
        (i) => (i === 7 ? 41 : 40),
      ),
    );
    expect(v.ok).toBe(false);
    expect(v.reasons[0]).toBe('live tensors grew from 40 to 41');
    expect(v.reasons[1]).toBe('storage buffers grew from 40 to 41');
  });

  it('fails a steady RSS climb past the limit, and not one below it', () => {
    const perStep = (RSS_GROWTH_MB * 1.5) / 9000; // 1.5 × the limit over steps 1,000–10,000
    const leak = soakVerdict(run((i) => 150 + perStep * i * 1000));
    expect(leak.ok).toBe(false);
    expect(leak.rssGrowthMB).toBeCloseTo(RSS_GROWTH_MB * 1.5, 0);
    expect(leak.reasons[0]).toMatch(/RSS trend grew 24 MB over steps 1000–10000 \(limit 16 MB\)/);
    const slow = soakVerdict(run((i) => 150 + ((RSS_GROWTH_MB * 0.5) / 9000) * i * 1000));
    expect(slow.ok).toBe(true);
  });

  it('scales the RSS limit for large processes', () => {
    const big = 2000; // 5% = 100 MB > 16 MB
    const growth = (i: number) => big + ((RSS_GROWTH_FRACTION * big * 0.8) / 9000) * i * 1000;
    expect(soakVerdict(run(growth)).ok).toBe(true);
  });

  it('does not judge an RSS trend from fewer than three samples, and fails no samples', () => {
    const short = soakVerdict(run((i) => 100 + 100 * i).slice(0, 3));
    expect(short.rssGrowthMB).toBeUndefined();
    expect(short.ok).toBe(true);
    expect(soakVerdict([])).toEqual({ ok: false, reasons: ['no samples'] });
  });
});

describe('formatSoak', () => {
  it('shows first→last counts and RSS, the trend and the verdict', () => {
    const rows: SoakRow[] = [
      {
        workload: 'W2',
        backend: 'cpu',
        steps: 10_000,
        samples: run(() => 150),
        ms: 2_300_000,
        peakRssMB: 160,
        ok: true,
        reasons: [],
        rssGrowthMB: 0.4,
      },
      {
        workload: 'W2',
        backend: 'wasm',
        steps: 10_000,
        samples: run(
          () => 150,
          (i) => 40 + i,
        ),
        ms: 300_000,
        peakRssMB: 150,
        ok: false,
        reasons: ['live tensors grew from 40 to 50'],
        rssGrowthMB: -1,
      },
      {
        workload: 'W2',
        backend: 'gpujs',
        steps: 0,
        samples: [],
        ms: 0,
        peakRssMB: 0,
        ok: false,
        reasons: [],
        error: 'cannot initialise',
      },
    ];
    const text = formatSoak(rows);
    expect(text).toMatch(
      /40→40 \(40\)\s+40→40\s+150\.0→150\.0 \(\+0\.4\)\s+9\.00→9\.00\s+20\.7→20\.7\s+230\.0.*ok: no growth/,
    );
    expect(text).toMatch(/40→50 \(50\).*\(-1\).*GROWTH: live tensors grew from 40 to 50/);
    expect(text).toMatch(/gpujs.*not run: cannot initialise/);
  });
});
