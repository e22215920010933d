// @ts-check
'use strict';
const { DEFAULT_LEVELS, envOr, parseBenchArgs, parseGrowthArgs } = require('./args');

describe('parseBenchArgs', () => {
  it('gives the documented defaults with no argument', () => {
    expect(parseBenchArgs([])).toEqual({
      runs: 3,
      duration: 15,
      cases: 10000,
      connections: 16,
      timers: 100000,
      growth: DEFAULT_LEVELS,
      only: null,
      profile: true,
      write: true,
      fromJson: null,
    });
  });

  it('reads numbers and flags', () => {
    const opts = parseBenchArgs([
      '--runs=1',
      '--duration=5',
      '--cases=1000',
      '--connections=8',
      '--timers=0',
      '--no-profile',
      '--no-write',
    ]);
    expect(opts).toMatchObject({
      runs: 1,
      duration: 5,
      cases: 1000,
      connections: 8,
      timers: 0,
      profile: false,
      write: false,
    });
  });

  it('reads the growth levels, leaving out zero and what is not a number', () => {
    expect(parseBenchArgs(['--growth=10000,0,x,200']).growth).toEqual([10000, 200]);
    expect(parseBenchArgs(['--growth=0']).growth).toEqual([]);
  });

  it('names the one bench of --only, and the file of --from-json', () => {
    expect(parseBenchArgs(['--only=timers']).only).toBe('timers');
    expect(parseBenchArgs(['--only=growth']).only).toBe('growth');
    expect(parseBenchArgs(['--only=tracking']).only).toBe('tracking');
    expect(parseBenchArgs(['--only=workflows']).only).toBeNull();
    expect(parseBenchArgs(['--from-json=/tmp/a=b.json']).fromJson).toBe('/tmp/a=b.json');
  });
});

describe('parseGrowthArgs', () => {
  it('keeps the levels as given (runGrowth sorts and filters them) over the defaults', () => {
    expect(parseGrowthArgs(['--levels=2000,1000', '--runs=1', '--templates=100'])).toEqual({
      levels: [2000, 1000],
      duration: 10,
      connections: 16,
      templates: 100,
      notes: 1000,
      fresh: 2000,
      reads: 10000,
      runs: 1,
    });
    expect(parseGrowthArgs([]).levels).toEqual(DEFAULT_LEVELS);
  });
});

describe('envOr', () => {
  it('takes the variable unless it is unset or empty', () => {
    expect(envOr('N', 7, { N: '3' })).toBe('3');
    expect(envOr('N', 7, { N: '' })).toBe(7);
    expect(envOr('N', null, {})).toBeNull();
  });
});
