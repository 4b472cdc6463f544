ALTER TABLE "incident_executors" ADD COLUMN "detected_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "incident_executors_detected" ON "incident_executors" USING btree ("detected_at");--> statement-breakpoint
UPDATE "incident_executors" e SET "detected_at" = i."detected_at" FROM "incidents" i WHERE i."id" = e."incident_id";--> statement-breakpoint
-- The copy is the database's job: filled on insert, kept when the incident's detection time changes.
CREATE FUNCTION "incident_executors_set_detected"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT i."detected_at" INTO NEW."detected_at" FROM "incidents" i WHERE i."id" = NEW."incident_id";
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "incident_executors_set_detected" BEFORE INSERT OR UPDATE OF "incident_id", "detected_at" ON "incident_executors"
  FOR EACH ROW EXECUTE FUNCTION "incident_executors_set_detected"();--> statement-breakpoint
CREATE FUNCTION "incidents_copy_detected"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "incident_executors" SET "detected_at" = NEW."detected_at" WHERE "incident_id" = NEW."id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "incidents_copy_detected" AFTER UPDATE OF "detected_at" ON "incidents"
  FOR EACH ROW WHEN (NEW."detected_at" IS DISTINCT FROM OLD."detected_at") EXECUTE FUNCTION "incidents_copy_detected"();
