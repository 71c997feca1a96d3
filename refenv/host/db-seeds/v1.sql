-- Seed data v1 for a preview database: a small, fixed set of rows for preview runs.
INSERT INTO accounts (id, name) VALUES (1, 'preview-owner');
INSERT INTO accounts (id, name) VALUES (2, 'preview-reviewer');
INSERT INTO projects (id, account_id, name) VALUES (1, 1, 'demo-app');
INSERT INTO routes (id, project_id, path) VALUES (1, 1, '/codex');
