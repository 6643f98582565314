import { vietnamDateTime, vietnamDay } from '../../worker/text/local-time';

/** What people read: Asia/Ho_Chi_Minh (UTC+7 all year), dd/mm/yyyy HH:mm, whatever the computer's zone. */
describe('Vietnam time', () => {
  test('an instant in UTC is shown at Vietnam wall-clock time', () => {
    expect(vietnamDateTime('2026-11-17T02:47:00.000Z')).toBe('17/11/2026 09:47');
    expect(vietnamDateTime(new Date(Date.UTC(2026, 10, 17, 2, 47)))).toBe('17/11/2026 09:47');
    // An instant with another offset is the same instant.
    expect(vietnamDateTime('2026-11-17T09:47:00+07:00')).toBe('17/11/2026 09:47');
  });

  test('the evening in UTC is the next day in Vietnam, at the end of a month and of a year', () => {
    expect(vietnamDateTime('2026-11-30T18:30:00Z')).toBe('01/12/2026 01:30');
    expect(vietnamDay('2026-12-31T17:00:00Z')).toBe('01/01/2027');
    expect(vietnamDay('2026-12-31T16:59:59Z')).toBe('31/12/2026');
  });

  test('a register date is the calendar day written, not shifted', () => {
    expect(vietnamDay('2024-11-05')).toBe('05/11/2024');
  });

  test('nothing is nothing; text that is no date is given back unchanged', () => {
    expect(vietnamDateTime(null)).toBeNull();
    expect(vietnamDay('')).toBeNull();
    expect(vietnamDateTime('hôm qua')).toBe('hôm qua');
    expect(vietnamDay('05/11')).toBe('05/11');
  });
});
