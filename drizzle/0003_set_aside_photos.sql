CREATE TABLE "set_aside" (
	"post_id" bigint PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"by" text NOT NULL,
	"confidence" real,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"shown_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "replies" ADD COLUMN "photos" jsonb DEFAULT '[]'::jsonb NOT NULL;