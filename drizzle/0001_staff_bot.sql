CREATE TABLE "answer_drafts" (
	"incident_id" integer PRIMARY KEY NOT NULL,
	"department_text" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"draft" text NOT NULL,
	"draft_by" text NOT NULL,
	"answered_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_callbacks" (
	"id" text PRIMARY KEY NOT NULL,
	"action" text NOT NULL,
	"incident_id" integer,
	"arg" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cards" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"chat_id" text NOT NULL,
	"kind" text NOT NULL,
	"message_id" bigint,
	"rendered_hash" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invites" (
	"code" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"department_code" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" bigint
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chat_id" text NOT NULL,
	"kind" text NOT NULL,
	"card_id" integer,
	"payload" jsonb NOT NULL,
	"attachment" text,
	"meta" jsonb,
	"key" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp with time zone,
	"message_id" bigint,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "seen_chats" (
	"chat_id" text PRIMARY KEY NOT NULL,
	"title" text,
	"type" text NOT NULL,
	"bot_status" text,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "cards_incident_chat_kind" ON "cards" USING btree ("incident_id","chat_id","kind");--> statement-breakpoint
CREATE INDEX "cards_message" ON "cards" USING btree ("chat_id","message_id");--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("not_before","id") WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_card_edit_pending" ON "outbox" USING btree ("card_id") WHERE kind = 'edit' and status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_chat_message" ON "outbox" USING btree ("chat_id","message_id");--> statement-breakpoint
CREATE INDEX "outbox_chat_open" ON "outbox" USING btree ("chat_id","id") WHERE status in ('pending', 'sending');