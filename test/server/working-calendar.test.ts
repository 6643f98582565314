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

interface CalendarDoc {
  years: Record<
    string,
    { status?: string; source?: string; toConfirm?: string; daysOff: Record<string, string>; workingDays: Record<string, string> }
  >;
}

/** What is wrong in a calendar file's data, each problem once, in file order. */
function calendarProblems(doc: CalendarDoc): string[] {
  const problems: string[] = [];
  const weekend = (d: string): boolean => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
  for (const [year, entry] of Object.entries(doc.years)) {
    for (const [date, name] of Object.entries(entry.daysOff)) {
      if (weekend(date)) problems.push(`${date}: a day off on a weekend day`);
      if (!date.startsWith(`${year}-`)) problems.push(`${date}: listed under ${year}`);
      if (!name.trim()) problems.push(`${date}: no name`);
    }
    for (const [date, name] of Object.entries(entry.workingDays)) {
      if (!weekend(date)) problems.push(`${date}: a make-up day on a weekday`);
      if (!date.startsWith(`${year}-`)) problems.push(`${date}: listed under ${year}`);
      if (date in entry.daysOff) problems.push(`${date}: both off and worked`);
      if (!name.trim()) problems.push(`${date}: no name`);
    }
    if (!entry.source) problems.push(`${year}: no source`);
    // A year not fully announced must say what is still open.
    if (entry.status !== 'announced' && !entry.toConfirm) problems.push(`${year}: ${entry.status ?? 'no status'} without toConfirm`);
  }
  return problems;
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

  test('Tết Ất Tỵ 2025 had no make-up Saturday: Friday 7/2 is answered by Monday 10/2', () => {
    // Thông báo 6150/TB-BLĐTBXH: five Tết days Monday 27/1 – Friday 31/1, no swap. A make-up Saturday 8/2 would
    // turn a document signed on Monday into a false late warning.
    expect(isWorkingDay(cal, '2025-02-08')).toBe(false);
    expect(isWorkingDay(cal, '2025-01-27')).toBe(false);
    expect(nextWorkingDay('2025-02-07', cal)).toBe('2025-02-10');
    expect(signedInTime('2025-02-07', '2025-02-10', cal)).toBe(true);
  });

  test('2026: the swaps of Tết Dương lịch and Quốc khánh with their make-up Saturdays', () => {
    // 12729/VPCP-KGVX: Friday 2/1 off, Saturday 10/1 worked.
    expect(nextWorkingDay('2025-12-31', cal)).toBe('2026-01-05');
    expect(nextWorkingDay('2026-01-09', cal)).toBe('2026-01-10');
    expect(signedInTime('2026-01-09', '2026-01-12', cal)).toBe(false);
    // 9441/TB-BNV: Quốc khánh 1–2/9, Monday 31/8 off, Saturday 22/8 worked.
    expect(nextWorkingDay('2026-08-21', cal)).toBe('2026-08-22');
    expect(nextWorkingDay('2026-08-28', cal)).toBe('2026-09-03');
    // Giỗ Tổ on Sunday 26/4 → off Monday 27/4.
    expect(nextWorkingDay('2026-04-24', cal)).toBe('2026-04-28');
  });

  test('2027 carries only what the law and the lunar calendar fix', () => {
    // Mùng 1 Đinh Mùi is Saturday 6/2/2027: whichever five Tết days are chosen, Monday 8/2 and Tuesday 9/2 are off.
    expect(nextWorkingDay('2027-02-05', cal)).toBe('2027-02-10');
    // Giỗ Tổ (10/3 âm lịch) is Friday 16/4/2027; 1/5 is a Saturday, made up on Monday 3/5.
    expect(nextWorkingDay('2027-04-15', cal)).toBe('2027-04-19');
    expect(nextWorkingDay('2027-04-29', cal)).toBe('2027-05-04');
    // The second Quốc khánh day is the Prime Minister's choice: not guessed.
    expect(isWorkingDay(cal, '2027-09-01')).toBe(true);
    expect(isWorkingDay(cal, '2027-09-03')).toBe(true);
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

  test('the shipped file is consistent: days off on weekdays, make-up days on weekends, each in its year, none in both', () => {
    // Read raw, not through parseCalendar: the parser tolerates a listed weekend day off, which is only a typo here.
    const shipped = JSON.parse(fs.readFileSync(shippedCalendarPath(), 'utf8')) as CalendarDoc;
    expect(calendarProblems(shipped)).toEqual([]);
    // The same check on a file with each mistake once.
    const bad: CalendarDoc = {
      years: {
        '2025': {
          status: 'announced',
          source: 'x',
          daysOff: { '2025-02-08': 'Thứ Bảy', '2024-12-31': 'Năm khác', '2025-05-02': 'Cả hai' },
          workingDays: { '2025-02-07': 'Thứ Sáu', '2025-05-02': 'Cả hai' },
        },
        '2027': { status: 'statutory-only', daysOff: {}, workingDays: {} },
      },
    };
    expect(calendarProblems(bad)).toEqual([
      '2025-02-08: a day off on a weekend day',
      '2024-12-31: listed under 2025',
      '2025-02-07: a make-up day on a weekday',
      // A date in both lists is always wrong in one of them as well.
      '2025-05-02: a make-up day on a weekday',
      '2025-05-02: both off and worked',
      '2027: no source',
      '2027: statutory-only without toConfirm',
    ]);
  });
});
