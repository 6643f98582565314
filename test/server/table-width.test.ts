import { tableWidth } from '../../server/cli/table-width';

/** The table is laid out for the terminal it is shown on, and for 80 columns where there is none. */
describe('tableWidth', () => {
  test('a terminal: its own width, never under 80 columns', () => {
    expect(tableWidth({ isTTY: true, columns: 132 }, false, {})).toBe(132);
    expect(tableWidth({ isTTY: true, columns: 60 }, false, {})).toBe(80);
    // The terminal's answer wins over a COLUMNS left in the environment from another window size.
    expect(tableWidth({ isTTY: true, columns: 100 }, false, { COLUMNS: '200' })).toBe(100);
  });

  test('a pipe or a file: 80 columns, or what COLUMNS says when it says more', () => {
    expect(tableWidth({ isTTY: false }, false, {})).toBe(80);
    expect(tableWidth({ isTTY: false }, false, { COLUMNS: '120' })).toBe(120);
    expect(tableWidth({ isTTY: false }, false, { COLUMNS: '40' })).toBe(80);
    expect(tableWidth({ isTTY: false }, false, { COLUMNS: 'wide' })).toBe(80);
    // --out FILE: the terminal's width says nothing of the file's.
    expect(tableWidth({ isTTY: true, columns: 200 }, true, {})).toBe(80);
  });
});
