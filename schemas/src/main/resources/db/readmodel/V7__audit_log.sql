-- Every answer of the command path, accepted or refused, of every workspace (and of the platform, in
-- '#platform'), from fleet.command-results: what the audit log lists. Keyed by command id, so an answer
-- delivered twice is kept once.
create table audit_entry (
    command_id   text        primary key,
    workspace_id text        not null,
    at           timestamptz not null,
    actor_kind   text        not null,
    actor_id     text        not null,
    action       text        not null,
    target_type  text        not null,
    target_id    text        not null,
    outcome      text        not null check (outcome in ('accepted', 'rejected')),
    code         text,
    message      text,
    request_id   text
);

create index audit_entry_by_workspace on audit_entry (workspace_id, at desc, command_id desc);
create index audit_entry_by_time on audit_entry (at desc, command_id desc);
