import { Gate } from '../../server/shared/gate';

/** The allowance shared by checkEach's in-memory documents and ingest's entry bytes. */

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('holders come in while their weight fits, in the order they came; a heavy one is not overtaken', async () => {
  const gate = new Gate(10);
  const order: string[] = [];
  const holder = (name: string, weight: number): Promise<void> => gate.enter(weight).then(() => void order.push(name));
  await holder('a', 6);
  const b = holder('b', 6); // does not fit beside a
  const c = holder('c', 1); // would fit, but b came first
  await tick();
  expect(order).toEqual(['a']);
  gate.leave(6); // a leaves: b, then c beside it (6 + 1 ≤ 10)
  await Promise.all([b, c]);
  expect(order).toEqual(['a', 'b', 'c']);
  const d = holder('d', 4); // 7 + 4 > 10
  await tick();
  expect(order).toHaveLength(3);
  gate.leave(1);
  await d;
  expect(order).toEqual(['a', 'b', 'c', 'd']);
});

/** enter(weight), and whether it has come in yet. */
function entering(gate: Gate, weight: number): { done: Promise<void>; isIn: () => boolean } {
  let entered = false;
  const done = gate.enter(weight).then(() => {
    entered = true;
  });
  return { done, isIn: () => entered };
}

test('one heavier than the whole allowance comes in alone, once the others have left', async () => {
  const gate = new Gate(10);
  await gate.enter(3);
  const heavy = entering(gate, 25);
  await tick();
  expect(heavy.isIn()).toBe(false);
  gate.leave(3);
  await heavy.done;
  const next = entering(gate, 1);
  await tick();
  expect(next.isIn()).toBe(false);
  gate.leave(25);
  await next.done;
  expect(next.isIn()).toBe(true);
});

test('counting documents (weight 1): the place passes straight to the next in line', async () => {
  const gate = new Gate(2);
  await gate.enter();
  await gate.enter();
  const entered: number[] = [];
  const waiting = [3, 4, 5].map((n) => gate.enter().then(() => void entered.push(n)));
  await tick();
  expect(entered).toEqual([]);
  gate.leave();
  await tick();
  expect(entered).toEqual([3]);
  gate.leave();
  gate.leave();
  await Promise.all(waiting);
  expect(entered).toEqual([3, 4, 5]);
});
