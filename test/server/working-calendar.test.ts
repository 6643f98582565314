import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CalendarError, isWorkingDay, loadCalendar, parseCalendar, shippedCalendarPath } from '../../server/shared/calendar';
import { ConfigError, loadConfig } from '../../server/shared/config';
import { nextWorkingDay, signedInTime, useWorkingCalendar } from '../../server/register/working-days';

/** ND 30 Art. 18 against the Vietnamese working calendar: holidays, nghỉ bù, make-up Saturdays, an admin's file. */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-cal-'));
});
afterAll(() => {
  useWorkingCalendar(null);
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('shipped calendar', () => {
  const cal = loadCalendar();

  test('covers 2020–2027, every year with its source', () => {
    for (let y = 2020; y <= 2027; y++) {
      const entry = cal.years.get(String(y));
      expect(entry).toBeDefined();
      expect(entry?.source).toBeTruthy();
      expect(entry?.daysOff[`${y}-04-30`] ?? entry?.daysOff[`${y}-05-02`]).toBeTruthy();
    }
  });

  test('registered the working day before Tết, signed on the first working day after it: in time', () => {
    // Tết Giáp Thìn: off Thursday 8/2 to Wednesday 14/2/2024.
    expect(nextWorkingDay('2024-02-07', cal)).toBe('2024-02-15');
    expect(signedInTime('2024-02-07', '2024-02-15', cal)).toBe(true);
    expect(signedInTime('2024-02-07', '2024-02-16', cal)).toBe(false);
    // Tết Ất Tỵ 2025, with Monday 27/1 swapped off.
    expect(nextWorkingDay('2025-01-24', cal)).toBe('2025-02-03');
  });

  test('a make-up Saturday is a working day, its swapped weekday is not', () => {
    expect(isWorkingDay(cal, '2024-05-04')).toBe(true);
    expect(isWorkingDay(cal, '2024-04-29')).toBe(false);
    // Friday 3/5/2024 → the make-up Saturday 4/5, not Monday.
    expect(nextWorkingDay('2024-05-03', cal)).toBe('2024-05-04');
    expect(signedInTime('2024-05-03', '2024-05-06', cal)).toBe(false);
    expect(nextWorkingDay('2025-04-25', cal)).toBe('2025-04-26');
  });

  test('nghỉ bù and Quốc khánh\'s second day', () => {
    expect(nextWorkingDay('2022-04-08', cal)).toBe('2022-04-12'); // Giỗ Tổ on Sunday 10/4 → off Monday 11/4
    expect(nextWorkingDay('2024-08-30', cal)).toBe('2024-09-04');
  });

  test('the default calendar is the shipped one (no KIEMKY_CALENDAR_FILE)', () => {
    useWorkingCalendar(null);
    const saved = process.env.KIEMKY_CALENDAR_FILE;
    delete process.env.KIEMKY_CALENDAR_FILE;
    try {
      expect(nextWorkingDay('2024-02-07')).toBe('2024-02-15');
    } finally {
      if (saved !== undefined) process.env.KIEMKY_CALENDAR_FILE = saved;
      useWorkingCalendar(null);
    }
  });
});

describe("an admin's calendar file", () => {
  test('a year in it replaces the shipped year', () => {
    const file = writeJson('ext.json', {
      years: { '2027': { daysOff: { '2027-09-03': 'Quốc khánh (ngày liền kề)' }, workingDays: { '2027-09-04': 'Làm bù' } } },
    });
    const cal = loadCalendar(file);
    expect(isWorkingDay(cal, '2027-09-03')).toBe(false);
    expect(isWorkingDay(cal, '2027-09-04')).toBe(true);
    // The shipped 2027 days are gone with the replaced year; other years stay.
    expect(isWorkingDay(cal, '2027-04-30')).toBe(true);
    expect(isWorkingDay(cal, '2024-02-08')).toBe(false);
    expect(nextWorkingDay('2027-09-02', cal)).toBe('2027-09-04');
  });

  test('KIEMKY_CALENDAR_FILE is read by the working-day rule', () => {
    const file = writeJson('env.json', { years: { '2031': { daysOff: { '2031-03-03': 'Thử' } } } });
    const saved = process.env.KIEMKY_CALENDAR_FILE;
    process.env.KIEMKY_CALENDAR_FILE = file;
    useWorkingCalendar(null);
    try {
      expect(nextWorkingDay('2031-02-28')).toBe('2031-03-04'); // Friday → Monday is off → Tuesday
    } finally {
      if (saved === undefined) delete process.env.KIEMKY_CALENDAR_FILE;
      else process.env.KIEMKY_CALENDAR_FILE = saved;
      useWorkingCalendar(null);
    }
  });

  test.each([
    ['not JSON', '{years:', /not JSON/],
    ['no years', { days: {} }, /expected/],
    ['a date of another year', { years: { '2026': { daysOff: { '2025-01-01': 'x' } } } }, /not a date of 2026/],
    ['an impossible date', { years: { '2026': { daysOff: { '2026-02-30': 'x' } } } }, /not a date/],
    ['a weekday make-up day', { years: { '2026': { workingDays: { '2026-03-04': 'x' } } } }, /not a Saturday or Sunday/],
    ['an unknown version', { version: 9, years: {} }, /version 9/],
  ])('a bad file (%s) is a clear configuration error', (_what, content, message) => {
    const file = writeJson(`bad-${_what.replace(/\W+/g, '-')}.json`, content);
    expect(() => loadCalendar(file)).toThrow(CalendarError);
    expect(() => loadConfig({ KIEMKY_CALENDAR_FILE: file })).toThrow(ConfigError);
    expect(() => loadConfig({ KIEMKY_CALENDAR_FILE: file })).toThrow(message);
  });

  test('a missing file stops the start with its name', () => {
    const missing = path.join(dir, 'missing.json');
    expect(() => loadConfig({ KIEMKY_CALENDAR_FILE: missing })).toThrow(/KIEMKY_CALENDAR_FILE: .*missing\.json: cannot be read/);
  });

  test('the shipped file itself parses', () => {
    expect(() => parseCalendar(fs.readFileSync(shippedCalendarPath(), 'utf8'), 'shipped')).not.toThrow();
  });
});
