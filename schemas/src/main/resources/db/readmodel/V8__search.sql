-- Search of a workspace (GET /v1/workspaces/{ws}/search?q=) matches parts of device names and hardware ids
-- without case: trigram indexes answer such matches without reading every device of the workspace.
-- pg_trgm ships with PostgreSQL and is a trusted extension: a database owner may create it.
create extension if not exists pg_trgm with schema public;

create index device_by_name_trigram on device using gin (name public.gin_trgm_ops);
create index device_by_hardware_id_trigram on device using gin (hardware_id public.gin_trgm_ops);
