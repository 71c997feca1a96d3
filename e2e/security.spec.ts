import { expect, request as playwrightRequest, test, type Browser, type Page } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { PASSWORD, storageState } from "./fixtures/accounts";
import { signIn, signOut } from "./fixtures/session";
import { shortcutsReady } from "./fixtures/pages";

// Issue 13 against the running console: sessions that end, throttling an admin can clear,
// cross-site and bad-byte requests refused, and the security headers everywhere.

async function asAdmin(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: storageState("admin") });
  return context.newPage();
}

async function createAccount(admin: Page, email: string, role = "responder") {
  await admin.goto("/admin/users");
  const form = admin.getByRole("form", { name: "Create user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill(email.split("@")[0]);
  await form.getByLabel("Role").selectOption(role);
  await form.getByLabel("Initial password").fill(PASSWORD);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(admin.getByRole("cell", { name: email, exact: true })).toBeVisible();
}

async function sessionCookieOf(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  if (!cookie) throw new Error("no session cookie");
  return `${cookie.name}=${cookie.value}`;
}

test("a signed-out cookie gets 401 wherever it is replayed", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await createAccount(await asAdmin(browser), "signout@e2e.test");
  await signIn(page, "signout@e2e.test", PASSWORD);
  const cookie = await sessionCookieOf(page);
  const elsewhere = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { cookie } });
  expect((await elsewhere.get("/api/incidents")).status()).toBe(200);
  await signOut(page);
  const replay = await elsewhere.get("/api/incidents");
  expect(replay.status()).toBe(401);
  await elsewhere.dispose();
});

test("a disabled user's open live stream closes within a second", async ({ browser }) => {
  const admin = await asAdmin(browser);
  await createAccount(admin, "streamer@e2e.test");
  const user = await (await browser.newContext()).newPage();
  await signIn(user, "streamer@e2e.test", PASSWORD);
  const response = await fetch(`${baseURL}/api/live/incidents`, { headers: { cookie: await sessionCookieOf(user) } });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain(": connected");
  const closed = (async () => {
    while (!(await reader.read()).done);
    return Date.now();
  })();

  await admin.goto("/admin/users");
  const disabled = admin.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/admin/users"));
  await admin.getByRole("button", { name: "Disable streamer@e2e.test" }).click();
  await disabled;
  const committedAt = Date.now();
  expect((await closed) - committedAt).toBeLessThan(1000);
  expect((await user.request.get("/api/incidents")).status()).toBe(401);
});

test("an admin clears a throttled account's wait and resets its password; the user signs in", async ({ browser }) => {
  const admin = await asAdmin(browser);
  await createAccount(admin, "throttled@e2e.test");
  const page = await (await browser.newContext()).newPage();
  // Each attempt on a fresh page, so each answer is the one to that attempt.
  for (let i = 0; i < 7; i++) {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("throttled@e2e.test");
    await page.getByLabel("Password").fill(`wrong-password-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(/do not match an active account|Too many failed sign-ins/)).toBeVisible();
  }
  await expect(page.getByText(/Too many failed sign-ins for this account from your address\. Try again in \d+ seconds/)).toBeVisible();

  await admin.goto("/admin/users");
  const waits = admin.locator("section", { has: admin.getByRole("heading", { name: /Sign-in waits/ }) });
  await expect(waits.getByRole("cell", { name: "throttled@e2e.test", exact: true })).toBeVisible();
  await admin.getByRole("button", { name: "Clear sign-in wait for throttled@e2e.test" }).click();
  await expect(waits.getByRole("cell", { name: "throttled@e2e.test", exact: true })).toBeHidden();
  await admin.goto("/admin/audit?action=user.sign_in.unlock");
  await expect(admin.getByRole("row").filter({ hasText: "user.sign_in.unlock" }).first()).toBeVisible();
  await admin.goto("/admin/users");

  await admin.locator("details", { has: admin.locator('form[aria-label="Reset password for throttled@e2e.test"]') }).locator("summary").click();
  await admin.getByLabel("New password for throttled@e2e.test").fill("a-brand-new-password");
  await admin.getByRole("form", { name: "Reset password for throttled@e2e.test" }).getByRole("button", { name: "Set new password" }).click();
  await expect(admin.getByText("Password reset; their sessions have ended.")).toBeVisible();
  await admin.goto(`/admin/audit?action=user.password.reset`);
  await expect(admin.getByRole("row").filter({ hasText: "user.password.reset" }).first()).toBeVisible();

  await signIn(page, "throttled@e2e.test", "a-brand-new-password");
});

test("state-changing API requests from another site, or with bad bytes, are refused with a reason", async ({ browser }) => {
  const responder = await (await browser.newContext({ storageState: storageState("responder") })).newPage();
  const foreign = { "content-type": "text/plain", origin: "https://evil.example" };
  for (const path of ["/api/executions", "/api/triage/dlq-replay", "/api/executions/00000000-0000-4000-8000-000000000000/cancel"]) {
    const refused = await responder.request.post(path, { headers: foreign, data: JSON.stringify({ runbookSlug: "x" }) });
    expect(refused.status(), path).toBe(403);
    expect((await refused.json()).error, path).toMatch(/application\/json/);
  }
  const jsonFromElsewhere = await responder.request.post("/api/executions", { headers: { origin: "https://evil.example" }, data: { runbookSlug: "x" } });
  expect(jsonFromElsewhere.status()).toBe(403);
  expect((await jsonFromElsewhere.json()).error).toMatch(/not this console's/);
  const noBody = await responder.request.post("/api/executions/00000000-0000-4000-8000-000000000000/cancel");
  expect(noBody.status()).toBe(403);

  const created = await (await browser.newContext({ storageState: storageState("commander") })).request.post("/api/incidents", { data: { title: `Bad bytes ${Date.now()}`, severity: "SEV3" } });
  const incident = (await created.json()) as { id: string };
  const nul = await responder.request.post(`/api/incidents/${incident.id}/notes`, { data: { body: "before\u0000after" } });
  expect(nul.status()).toBe(400);
  expect((await nul.json()).error).toMatch(/NUL character or an unpaired surrogate \(in body\.body\)/);
  const surrogate = await responder.request.post(`/api/incidents/${incident.id}/notes`, { headers: { "content-type": "application/json" }, data: '{"body":"\\ud800 lone"}' });
  expect(surrogate.status()).toBe(400);
  expect((await responder.request.get("/incidents?q=%00")).status()).toBe(400);
});

test("security headers on pages, API routes and the public status documents; no CSP violation while working", async ({ browser }) => {
  const admin = await asAdmin(browser);
  const violations: string[] = [];
  admin.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  for (const path of ["/", "/incidents", "/runbooks", "/environments", "/admin/users", "/admin/security"]) {
    const response = await admin.goto(path);
    const headers = response!.headers();
    expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("same-origin");
  }
  // The page is interactive under the policy (hydrated scripts): the declare shortcut opens the form.
  await admin.goto("/incidents");
  await shortcutsReady(admin);
  await admin.keyboard.press("d");
  await expect(admin.getByRole("form", { name: "Declare incident" })).toBeVisible();
  expect(violations).toEqual([]);

  const api = await admin.request.get("/api/health");
  expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  for (const path of ["/status", "/status.json", "/status/feed.atom"]) {
    const response = await admin.request.get(path);
    expect(response.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
  }
});

test("the Atom feed's links use SITREP_PUBLIC_URL and its ETag does not depend on the request", async () => {
  const viaLocalhost = await playwrightRequest.newContext({ baseURL: baseURL.replace("127.0.0.1", "localhost") });
  const viaIp = await playwrightRequest.newContext({ baseURL });
  const [a, b] = await Promise.all([viaLocalhost.get("/status/feed.atom"), viaIp.get("/status/feed.atom", { headers: { "x-forwarded-host": "attacker.example" } })]);
  expect(await a.text()).toContain(`xml:base="${baseURL}/"`);
  expect(await a.text()).toBe(await b.text());
  expect(a.headers().etag).toBe(b.headers().etag);
  await viaLocalhost.dispose();
  await viaIp.dispose();
});

test("an admin allows an image host; the pages' policy lists it", async ({ browser }) => {
  const admin = await asAdmin(browser);
  await admin.goto("/admin/security");
  await admin.getByRole("textbox", { name: "Image hosts" }).fill("https://images.example.com");
  await admin.getByRole("button", { name: "Save image hosts" }).click();
  await expect(admin.getByText("Allowed image hosts saved.")).toBeVisible();
  await expect.poll(async () => (await admin.request.get("/api/health")).headers()["content-security-policy"]).toContain("img-src 'self' data: blob: https://images.example.com");
  await admin.getByRole("textbox", { name: "Image hosts" }).fill("");
  await admin.getByRole("button", { name: "Save image hosts" }).click();
  await expect.poll(async () => (await admin.request.get("/api/health")).headers()["content-security-policy"]).toContain("img-src 'self' data: blob:;");
});
