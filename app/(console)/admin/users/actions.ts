"use server";

import { defineAction } from "@/app/_lib/define-action";
import { changeUserRole, createUser, setUserDisabled } from "@/lib/auth/users";
import { changeRoleSchema, createUserSchema, resetPasswordSchema, setDisabledSchema, unlockSignInsSchema } from "@/lib/auth/schemas";
import { resetPassword, unlockSignIns } from "@/lib/auth/account-recovery";

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

export const resetPasswordAction = defineAction(
  { name: "resetPasswordAction", schema: resetPasswordSchema, permission: "users.manage", revalidate: ["/admin/users"], successMessage: "Password reset; their sessions have ended." },
  (input, ctx) => resetPassword(ctx, input),
);

export const unlockSignInsAction = defineAction(
  { name: "unlockSignInsAction", schema: unlockSignInsSchema, permission: "users.manage", revalidate: ["/admin/users"], successMessage: "Sign-in wait cleared." },
  (input, ctx) => unlockSignIns(ctx, input),
);
