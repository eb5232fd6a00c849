CREATE TABLE "address_send_starts" (
	"address_id" uuid PRIMARY KEY NOT NULL,
	"starts" timestamp with time zone[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "address_send_starts" ADD CONSTRAINT "address_send_starts_address_id_email_addresses_id_fk" FOREIGN KEY ("address_id") REFERENCES "public"."email_addresses"("id") ON DELETE cascade ON UPDATE no action;