import { CronExpressionParser } from "cron-parser";

// When a runbook's drill is due. Three forms a person writes: "quarterly" (the default: the first
// day of each quarter, 06:00 UTC), "every N days" (counted from the last run), or a five-field
// cron expression (UTC), read by cron-parser.

export const DEFAULT_SCHEDULE = "quarterly";
const QUARTERLY_CRON = "0 6 1 1,4,7,10 *";
const EVERY_DAYS = /^every\s+(\d{1,3})\s+days?$/i;

export type ScheduleSpec = { text: string; describe: string; next(after: Date): Date };

/** Parses a schedule or throws an Error whose message says what is wrong. */
export function parseSchedule(input: string): ScheduleSpec {
  const text = input.trim().replace(/\s+/g, " ");
  if (/^quarterly$/i.test(text)) return cron("quarterly", QUARTERLY_CRON, "every quarter (1 Jan, 1 Apr, 1 Jul, 1 Oct, 06:00 UTC)");
  const days = EVERY_DAYS.exec(text);
  if (days) {
    const n = Number(days[1]);
    if (n < 1 || n > 366) throw new Error("Use every 1 to 366 days.");
    return { text: `every ${n} day${n > 1 ? "s" : ""}`, describe: `every ${n} day${n > 1 ? "s" : ""} after the last run`, next: (after) => new Date(after.getTime() + n * 86_400_000) };
  }
  if (text.split(" ").length !== 5) throw new Error('Write "quarterly", "every N days", or a cron expression with five fields (minute hour day month weekday), e.g. "0 6 * * 1".');
  return cron(text, text, `on the cron schedule "${text}" (UTC)`);
}

function cron(text: string, expression: string, describe: string): ScheduleSpec {
  try {
    CronExpressionParser.parse(expression, { tz: "UTC" });
  } catch (error) {
    throw new Error(`Not a valid cron expression: ${(error as Error).message}`);
  }
  return { text, describe, next: (after) => CronExpressionParser.parse(expression, { currentDate: after, tz: "UTC" }).next().toDate() };
}
