import type { z } from "zod";
import { fieldLabel } from "./labels";

type Issue = z.core.$ZodRawIssue;

const FORMATS: Record<string, string> = {
  email: "enter an email address such as name@example.com",
  url: "enter a web address starting with https://",
  uuid: "choose one from the list",
  guid: "choose one from the list",
  datetime: "enter a date and time",
  date: "enter a date",
  time: "enter a time",
  ipv4: "enter an IP address",
  ipv6: "enter an IP address",
};

const EXPECTED: Record<string, string> = {
  number: "enter a number",
  int: "enter a whole number",
  bigint: "enter a whole number",
  boolean: "choose yes or no",
  date: "enter a valid date and time",
  array: "give a list",
  object: "fill in the form",
  string: "enter text",
};

const count = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

/** What is wrong, in words, without the field name; undefined leaves zod's own message. */
export function plainProblem(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type": {
      const missing = issue.input === undefined || issue.input === null || issue.input === "";
      if (missing) return "required";
      const nan = typeof issue.input === "number" && Number.isNaN(issue.input);
      return nan ? "enter a number" : (EXPECTED[String(issue.expected)] ?? "not valid");
    }
    case "too_big": {
      const max = issue.inclusive === false ? Number(issue.maximum) - 1 : issue.maximum;
      if (issue.origin === "string") return `at most ${count(max, "character", "characters")}`;
      if (issue.origin === "array" || issue.origin === "set") return `at most ${count(max, "item", "items")}`;
      if (issue.origin === "date") return `no later than ${new Date(Number(issue.maximum)).toISOString().slice(0, 16).replace("T", " ")} UTC`;
      if (issue.origin === "file") return `at most ${max} bytes`;
      return `at most ${max}`;
    }
    case "too_small": {
      const min = issue.inclusive === false ? Number(issue.minimum) + 1 : issue.minimum;
      if (issue.origin === "string") return Number(min) <= 1 ? "required" : `at least ${count(min, "character", "characters")}`;
      if (issue.origin === "array" || issue.origin === "set") return Number(min) <= 1 ? "choose at least one" : `at least ${count(min, "item", "items")}`;
      if (issue.origin === "date") return `no earlier than ${new Date(Number(issue.minimum)).toISOString().slice(0, 16).replace("T", " ")} UTC`;
      return `at least ${min}`;
    }
    case "invalid_format":
      if (issue.format === "starts_with") return `must start with “${(issue as { prefix?: string }).prefix ?? ""}”`;
      if (issue.format === "ends_with") return `must end with “${(issue as { suffix?: string }).suffix ?? ""}”`;
      if (issue.format === "includes") return `must contain “${(issue as { includes?: string }).includes ?? ""}”`;
      return FORMATS[issue.format] ?? "not in the expected form";
    case "invalid_value":
      return issue.values.length === 1 ? `must be ${String(issue.values[0])}` : `choose one of ${issue.values.map(String).join(", ")}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return `unexpected ${issue.keys.length === 1 ? "field" : "fields"} ${issue.keys.join(", ")}`;
    default:
      return "not valid";
  }
}

/**
 * zod's messages as a person would write them, with the field and the limit:
 * "Title: at most 200 characters". Used as the per-parse error map, so a schema's own message
 * ("Give the incident a title of at least 3 characters.") still wins.
 */
export function plainMessage(issue: Issue): string {
  const path = (issue.path ?? []).map(String).join(".");
  const problem = plainProblem(issue);
  return path ? `${fieldLabel(path)}: ${problem}` : `${problem.charAt(0).toUpperCase()}${problem.slice(1)}`;
}
