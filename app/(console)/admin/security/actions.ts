"use server";

import { defineAction } from "@/app/_lib/define-action";
import { imageHostsSchema, setImageHosts } from "@/lib/http/image-hosts";

export const setImageHostsAction = defineAction(
  { name: "setImageHostsAction", schema: imageHostsSchema, permission: "settings.manage", revalidate: ["/admin/security"], successMessage: "Allowed image hosts saved." },
  (input, ctx) => setImageHosts(ctx, input),
);
