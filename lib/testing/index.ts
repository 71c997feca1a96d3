export { createTestDb, type TestDatabase } from "./test-db";
export { makeUser, TEST_PASSWORD } from "./fixtures";
