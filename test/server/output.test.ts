import { EventEmitter } from 'node:events';
import { OutputClosed, ReportOutput, type OutStream } from '../../server/report/output';

/** How `check` learns that stdout failed: process.stdout says so after its write has returned. */

class FakeStdout extends EventEmitter implements OutStream {
  readonly written: string[] = [];
  throwOnWrite: Error | null = null;
  write(chunk: string | Uint8Array): boolean {
    if (this.throwOnWrite) throw this.throwOnWrite;
    this.written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }
}

const errno = (code: string): Error => Object.assign(new Error(`write ${code}`), { code });
const unwritable = (err: unknown): Error => new Error(`usage: cannot write stdout: ${(err as Error).message}`);

test('a reader gone (EPIPE reported after the write) stops the next write as OutputClosed, and nothing more is written', () => {
  const stdout = new FakeStdout();
  const out = new ReportOutput(null, stdout, unwritable);
  out.write(Buffer.from('first'));
  stdout.emit('error', errno('EPIPE'));
  expect(() => out.write(Buffer.from('second'))).toThrow(OutputClosed);
  expect(() => out.write(Buffer.from('third'))).toThrow(OutputClosed);
  expect(stdout.written).toEqual(['first']);
});

test('any other failure of stdout is the usage error that names it, whether thrown or reported', () => {
  const reported = new FakeStdout();
  const a = new ReportOutput(null, reported, unwritable);
  reported.emit('error', errno('EIO'));
  expect(() => a.write(Buffer.from('x'))).toThrow('usage: cannot write stdout: write EIO');

  const thrown = new FakeStdout();
  thrown.throwOnWrite = errno('ENOSPC');
  const b = new ReportOutput(null, thrown, unwritable);
  expect(() => b.write(Buffer.from('x'))).toThrow('usage: cannot write stdout: write ENOSPC');
  thrown.throwOnWrite = errno('EPIPE');
  const c = new ReportOutput(null, thrown, unwritable);
  expect(() => c.write(Buffer.from('x'))).toThrow(OutputClosed);
});
