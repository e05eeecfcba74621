const FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Wall-clock time in Vietnam, for the lines people read in the terminal. */
export function vietnamClock(ms: number = Date.now()): string {
  return FORMAT.format(ms);
}
