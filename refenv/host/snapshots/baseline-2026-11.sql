-- Snapshot "baseline-2026-11": a copy of the preview baseline data.
INSERT INTO accounts (id, name) VALUES (1, 'preview-owner');
INSERT INTO projects (id, account_id, name) VALUES (1, 1, 'demo-app');
