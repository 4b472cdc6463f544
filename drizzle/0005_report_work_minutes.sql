ALTER TABLE "incidents" ADD COLUMN "first_response_work_min" double precision;--> statement-breakpoint
CREATE INDEX "incidents_work_min_missing" ON "incidents" USING btree ("detected_at") WHERE first_response_at is not null and first_response_work_min is null;--> statement-breakpoint
-- The cached working minutes are only valid for the moments they were computed from.
CREATE FUNCTION "incidents_clear_work_min"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.first_response_at IS DISTINCT FROM OLD.first_response_at OR NEW.detected_at IS DISTINCT FROM OLD.detected_at THEN
    NEW.first_response_work_min := NULL;
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "incidents_clear_work_min" BEFORE UPDATE OF "first_response_at", "detected_at" ON "incidents"
  FOR EACH ROW EXECUTE FUNCTION "incidents_clear_work_min"();
