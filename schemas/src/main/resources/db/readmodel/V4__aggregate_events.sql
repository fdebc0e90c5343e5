-- Every event of every aggregate, in order, for history, audit and the state at an earlier instant:
-- written by the projection that owns the aggregate's type, in the same transaction as its rows. 'data'
-- is what the event says that may be shown; 'state' is the aggregate as its read model showed it right
-- after the event (null for events recorded before states were kept: rebuild the projection to fill it).
create table aggregate_event (
    aggregate_id   text        not null,
    sequence       bigint      not null,
    aggregate_type text        not null,
    event_id       uuid        not null unique,
    workspace_id   text        not null,
    event_type     text        not null,
    occurred_at    timestamptz not null,
    actor_kind     text,
    actor_id       text,
    command_id     text,
    data           jsonb       not null,
    state          jsonb,
    primary key (aggregate_id, sequence)
);

create index aggregate_event_by_workspace_time on aggregate_event (workspace_id, occurred_at desc, aggregate_id, sequence);
create index aggregate_event_by_command on aggregate_event (command_id);

insert into aggregate_event (aggregate_id, sequence, aggregate_type, event_id, workspace_id, event_type, occurred_at,
                             actor_kind, actor_id, command_id, data, state)
select device_id::text, sequence, 'device', event_id, workspace_id, event_type, occurred_at, actor_kind, actor_id,
       command_id, data, null
from device_history;

drop table device_history;
