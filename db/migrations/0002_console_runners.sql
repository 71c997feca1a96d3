CREATE TABLE "console_runners" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"namespace" text DEFAULT '' NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"beating_since" timestamp (3) with time zone DEFAULT now() NOT NULL
);
