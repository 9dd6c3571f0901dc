// The few parts of lunar-javascript (which ships no types) that the provisional holiday calendar uses.
declare module 'lunar-javascript' {
  export interface SolarDate {
    getYear(): number;
    getMonth(): number;
    getDay(): number;
    /** YYYY-MM-DD */
    toYmd(): string;
    next(days: number): SolarDate;
  }
  export interface LunarDate {
    getSolar(): SolarDate;
    /** solar terms around this lunar year, keyed by their Chinese name (清明 …) */
    getJieQiTable(): Record<string, SolarDate>;
  }
  export const Lunar: { fromYmd(year: number, month: number, day: number): LunarDate };
}
