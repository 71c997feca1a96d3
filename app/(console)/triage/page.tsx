import { redirect } from "next/navigation";

// The triggers page folded into the alert inbox (Sitrep's trigger rules are alerts now); the
// rules themselves are tuned on /alerts/rules.
export default function TriagePage() {
  redirect("/alerts");
}
