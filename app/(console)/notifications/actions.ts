"use server";

import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { markNotificationsRead } from "@/lib/notifications";

export const markReadAction = defineAction(
  {
    name: "notifications.read",
    schema: z.object({
      ids: z.preprocess((v) => (v === undefined ? [] : typeof v === "string" ? [v] : v), z.array(z.string().uuid()).max(500)),
      all: z.preprocess((v) => v === "true" || v === true, z.boolean()).default(false),
    }),
    permission: "notifications.read",
    revalidate: ["/notifications", "/"],
  },
  async (input, ctx) => ({ marked: await markNotificationsRead(ctx, input) }),
);
