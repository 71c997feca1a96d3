export { can, requirePermission, rolesWith, permissions, type Permission } from "./permissions";
export { getActor, requestId } from "./session";
export { recordDenied } from "./denied";
export { listUsers, createUser, changeUserRole, setUserDisabled, findUserById, findUserByEmail, type PublicUser } from "./users";
export { bootstrapAdmin } from "./bootstrap";
