"use server";

import { defineAction } from "@/app/_lib/define-action";
import { changeUserRole, createUser, setUserDisabled } from "@/lib/auth/users";
import { changeRoleSchema, createUserSchema, setDisabledSchema } from "@/lib/auth/schemas";

export const createUserAction = defineAction(
  { name: "createUserAction", schema: createUserSchema, permission: "users.manage", revalidate: ["/admin/users"], successMessage: "User created." },
  (input, ctx) => createUser(ctx, input),
);

export const changeRoleAction = defineAction(
  { name: "changeRoleAction", schema: changeRoleSchema, permission: "users.manage", revalidate: ["/admin/users"], successMessage: "Role changed." },
  (input, ctx) => changeUserRole(ctx, input),
);

export const setDisabledAction = defineAction(
  { name: "setDisabledAction", schema: setDisabledSchema, permission: "users.manage", revalidate: ["/admin/users"] },
  (input, ctx) => setUserDisabled(ctx, input),
);
