-- Which aggregate exists, of which type, in which workspace: the tenancy check of every command reads it.
create table aggregate_directory (
    aggregate_id   text primary key,
    aggregate_type text not null,
    workspace_id   text not null
);

-- aggregates created before the directory existed (their first event names their workspace in its metadata)
insert into aggregate_directory (aggregate_id, aggregate_type, workspace_id)
select aggregateidentifier, type, convert_from(metadata, 'UTF8')::jsonb ->> 'workspaceId'
from domainevententry
where sequencenumber = 0 and type is not null
on conflict do nothing;

-- answers name what was asked and by whom, for the audit log
alter table processed_command
    add column aggregate_type text,
    add column command_type   text,
    add column actor_kind     text,
    add column actor_id       text,
    add column request_id     text;
