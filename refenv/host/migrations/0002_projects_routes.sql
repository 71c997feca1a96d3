CREATE TABLE projects (id integer PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id), name text NOT NULL);
CREATE TABLE routes (id integer PRIMARY KEY, project_id integer NOT NULL REFERENCES projects (id), path text NOT NULL);
