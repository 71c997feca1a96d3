import { z } from "zod";
import { roles } from "@/db/schema/users";

export const roleSchema = z.enum(roles);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Enter an email address.")
  .max(254)
  .email("Enter a valid email address.");

export const passwordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(200, "Use at most 200 characters.");

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "Enter a name.").max(120),
  role: roleSchema,
  password: passwordSchema,
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const changeRoleSchema = z.object({
  userId: z.string().uuid(),
  role: roleSchema,
  version: z.coerce.number().int().positive(),
});

export const setDisabledSchema = z.object({
  userId: z.string().uuid(),
  disabled: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()),
  version: z.coerce.number().int().positive(),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200),
});

export const unlockSignInsSchema = z.object({ email: emailSchema });

/** By id (the users page) or by email (the CLI). */
export const resetPasswordSchema = z
  .object({ userId: z.string().uuid().optional(), email: emailSchema.optional(), password: passwordSchema })
  .refine((v) => v.userId || v.email, { message: "Say whose password to reset.", path: ["userId"] });
