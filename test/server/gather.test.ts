import { Gatherer } from '../../server/shared/gather';

/** Group commit as the blob flushes, early enqueues and report saves use it. */

function recorder(writeMs = 0): { groups: number[][]; write: (group: number[]) => Promise<void>; active: () => number; maxActive: () => number } {
  const groups: number[][] = [];
  let active = 0;
  let maxActive = 0;
  return {
    groups,
    active: () => active,
    maxActive: () => maxActive,
    write: async (group) => {
      active++;
      maxActive = Math.max(maxActive, active);
      groups.push(group);
      await new Promise((resolve) => setTimeout(resolve, writeMs));
      active--;
    },
  };
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('a group is written when it holds `size` items, not before', async () => {
  const r = recorder();
  const g = new Gatherer(r.write, { size: 3, delayMs: 60_000 });
  g.add(1);
  g.add(2);
  await tick(5);
  expect(r.groups).toEqual([]);
  g.add(3);
  await tick(5);
  expect(r.groups).toEqual([[1, 2, 3]]);
});

test('a group that does not fill is written delayMs after its first item', async () => {
  const r = recorder();
  const g = new Gatherer(r.write, { size: 100, delayMs: 20 });
  g.add(1);
  await tick(5);
  g.add(2);
  expect(r.groups).toEqual([]);
  await tick(40);
  expect(r.groups).toEqual([[1, 2]]);
});

test('one write at a time; what comes during a write starts the next group', async () => {
  const r = recorder(20);
  const g = new Gatherer(r.write, { size: 1, delayMs: 0 });
  g.add(1);
  g.add(2);
  g.add(3);
  await g.drain();
  expect(r.maxActive()).toBe(1);
  expect(r.groups).toEqual([[1], [2, 3]]);
});

test('drain writes what waits at once, whatever its size, and resolves when all is written', async () => {
  const r = recorder(5);
  const g = new Gatherer(r.write, { size: 100, delayMs: 60_000 });
  for (let i = 0; i < 5; i++) g.add(i);
  await g.drain();
  expect(r.groups).toEqual([[0, 1, 2, 3, 4]]);
  expect(r.active()).toBe(0);
});

test('cancel drops what waits; settled waits for the write under way; nothing is written after', async () => {
  const r = recorder(20);
  const g = new Gatherer(r.write, { size: 1, delayMs: 0 });
  g.add(1);
  g.add(2);
  g.cancel();
  g.add(3);
  await g.settled();
  expect(r.active()).toBe(0);
  await tick(30);
  expect(r.groups).toEqual([[1]]);
});

test('a write that rejects (a bug) does not stop the next groups, and drain reports it', async () => {
  const groups: number[][] = [];
  const g = new Gatherer<number>(async (group) => {
    groups.push(group);
    if (group.includes(1)) throw new Error('boom');
  }, { size: 1, delayMs: 0 });
  g.add(1);
  await tick(5);
  g.add(2);
  await expect(g.drain()).rejects.toThrow('boom');
  expect(groups).toEqual([[1], [2]]);
});
