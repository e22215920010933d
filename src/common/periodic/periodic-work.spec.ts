import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicWork } from './periodic-work';

/** A run that ends when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('PeriodicWork', () => {
  let registry: SchedulerRegistry;
  let periodic: PeriodicWork;

  beforeEach(() => {
    jest.useFakeTimers();
    registry = new SchedulerRegistry();
    periodic = new PeriodicWork(registry);
  });

  afterEach(() => {
    for (const name of registry.getIntervals()) registry.deleteInterval(name);
    jest.useRealTimers();
  });

  it('runs at once, then every interval, as a named interval of the registry', async () => {
    let runs = 0;
    const task = periodic.start('tick', 1000, () => {
      runs += 1;
      return Promise.resolve();
    });

    expect(runs).toBe(1);
    expect(registry.getIntervals()).toEqual(['tick']);
    await jest.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(4);
    await task.stop();
  });

  it('never overlaps a run still in flight: its ticks are skipped', async () => {
    let runs = 0;
    const slow = gate();
    const task = periodic.start('slow', 100, () => {
      runs += 1;
      return runs === 1 ? slow.opened : Promise.resolve();
    });

    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
    slow.open();
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    await task.stop();
  });

  it('stop awaits the run in flight, removes the interval and runs nothing more', async () => {
    let runs = 0;
    const slow = gate();
    const task = periodic.start('stopping', 100, () => {
      runs += 1;
      return slow.opened;
    });
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));

    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    slow.open();
    await stopping;
    expect(registry.getIntervals()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
  });

  it('a run that fails is logged and the next one still runs', async () => {
    let runs = 0;
    const task = periodic.start('failing', 100, () => {
      runs += 1;
      return Promise.reject(new Error('database away'));
    });
    const logged = jest.spyOn(periodic['logger'], 'error').mockImplementation(() => undefined);

    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('failing failed'));
    await task.stop();
  });
});
