CREATE TABLE "incident_executors" (
	"incident_id" integer NOT NULL,
	"department" text NOT NULL,
	CONSTRAINT "incident_executors_incident_id_department_pk" PRIMARY KEY("incident_id","department")
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "external_number" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "address" jsonb;--> statement-breakpoint
ALTER TABLE "incident_executors" ADD CONSTRAINT "incident_executors_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incidents_status_detected" ON "incidents" USING btree ("status","detected_at");--> statement-breakpoint
CREATE INDEX "incidents_department_detected" ON "incidents" USING btree ("department_code","detected_at");--> statement-breakpoint
CREATE INDEX "incidents_group_detected" ON "incidents" USING btree ("topic_group","detected_at");--> statement-breakpoint
CREATE INDEX "incidents_open_deadline" ON "incidents" USING btree ("deadline_at") WHERE status in ('new', 'assigned', 'in_work', 'interim', 'ready');--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_external_number" ON "incidents" USING btree ("external_number");--> statement-breakpoint
CREATE INDEX "posts_fetched" ON "posts" USING btree ("fetched_at");