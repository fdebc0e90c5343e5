-- Search of a workspace (GET /v1/workspaces/{ws}/search?q=) matches parts of device names and hardware ids
-- without case: trigram indexes answer such matches without reading every device of the workspace.
-- pg_trgm ships with PostgreSQL and is a trusted extension (a database owner may create it). Where it is
-- installed already, in whatever schema, that one is used; where it cannot be created, search works
-- without the indexes, only slower, and a notice says so.
do $$
declare
    trgm_schema text;
begin
    select n.nspname into trgm_schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm';
    if trgm_schema is null then
        begin
            create extension pg_trgm with schema public;
            trgm_schema := 'public';
        exception when insufficient_privilege or undefined_file or invalid_schema_name then
            raise notice 'pg_trgm cannot be created here (%): device search runs without its indexes', sqlerrm;
            return;
        end;
    end if;
    execute format('create index device_by_name_trigram on device using gin (name %I.gin_trgm_ops)', trgm_schema);
    execute format('create index device_by_hardware_id_trigram on device using gin (hardware_id %I.gin_trgm_ops)',
            trgm_schema);
end
$$;
