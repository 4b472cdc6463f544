CREATE SEQUENCE "public"."incident_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "classifier_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"trained_at" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"metrics" jsonb,
	"data" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"chat_id" text,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" integer DEFAULT nextval('incident_number_seq') NOT NULL,
	"status" text NOT NULL,
	"kind" text NOT NULL,
	"topic" text,
	"topic_group" text,
	"department_code" text,
	"territory" text,
	"priority" text DEFAULT 'normal' NOT NULL,
	"confidence" real,
	"classified_by" text,
	"needs_review" boolean DEFAULT false NOT NULL,
	"route_reason" text,
	"channel" text NOT NULL,
	"first_post_id" bigint NOT NULL,
	"posts_count" integer DEFAULT 1 NOT NULL,
	"summary" text NOT NULL,
	"is_repeat" boolean DEFAULT false NOT NULL,
	"repeat_of" integer,
	"duplicate_of" integer,
	"reject_reason" text,
	"redirected_to" text,
	"outcome" text,
	"detected_at" timestamp with time zone NOT NULL,
	"deadline_at" timestamp with time zone,
	"followup_deadline_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incidents_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "labels" (
	"id" serial PRIMARY KEY NOT NULL,
	"text" text NOT NULL,
	"kind" text,
	"topic" text,
	"department_code" text,
	"origin" text NOT NULL,
	"incident_id" integer,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"key" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"external_id" text NOT NULL,
	"source_id" integer,
	"kind" text DEFAULT 'post' NOT NULL,
	"parent_external_id" text,
	"repost_of_external_id" text,
	"author_id" text,
	"author_name" text,
	"url" text,
	"text" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"raw" jsonb,
	"reply_target" jsonb,
	"decided_kind" text,
	"incident_id" integer,
	"processed_at" timestamp with time zone,
	"process_error" text
);
--> statement-breakpoint
CREATE TABLE "replies" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"post_id" bigint,
	"text" text NOT NULL,
	"is_interim" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"idempotency_key" text NOT NULL,
	"external_id" text,
	"url" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "replies_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"name" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"interval_sec" integer DEFAULT 300 NOT NULL,
	"cursor" text,
	"status" text DEFAULT 'ok' NOT NULL,
	"backoff_until" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"last_poll_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"posts_seen" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" serial PRIMARY KEY NOT NULL,
	"group_name" text NOT NULL,
	"name" text NOT NULL,
	"department_code" text,
	"priority" text DEFAULT 'normal' NOT NULL,
	"sla_hours" real
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"telegram_id" bigint,
	"name" text,
	"role" text NOT NULL,
	"department_code" text,
	"active" boolean DEFAULT true NOT NULL,
	"invite_code" text,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_telegram_id_unique" UNIQUE("telegram_id"),
	CONSTRAINT "users_invite_code_unique" UNIQUE("invite_code")
);
--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_events_incident" ON "incident_events" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_events_at" ON "incident_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "incidents_status" ON "incidents" USING btree ("status");--> statement-breakpoint
CREATE INDEX "incidents_detected" ON "incidents" USING btree ("detected_at");--> statement-breakpoint
CREATE INDEX "incidents_department" ON "incidents" USING btree ("department_code");--> statement-breakpoint
CREATE INDEX "labels_incident" ON "labels" USING btree ("incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_channel_external" ON "posts" USING btree ("channel","external_id");--> statement-breakpoint
CREATE INDEX "posts_unprocessed" ON "posts" USING btree ("id") WHERE processed_at is null;--> statement-breakpoint
CREATE INDEX "posts_incident" ON "posts" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "replies_incident" ON "replies" USING btree ("incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sources_channel_kind_ref" ON "sources" USING btree ("channel","kind","reference");--> statement-breakpoint
CREATE UNIQUE INDEX "topics_group_name" ON "topics" USING btree ("group_name","name");