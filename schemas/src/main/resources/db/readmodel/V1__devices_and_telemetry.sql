-- Read models built by the projector from fleet.events and fleet.telemetry, read by the query service
-- and the gateway. Everything here can be rebuilt from the events.

-- Where each projection stands in each Kafka partition; written in the same transaction as the rows
-- that the records produced, so a redelivery never applies anything twice.
create table consumer_position (
    consumer    text    not null,
    topic       text    not null,
    partition   integer not null,
    next_offset bigint  not null,
    primary key (consumer, topic, partition)
);

create table device (
    device_id         uuid        primary key,
    workspace_id      text        not null,
    name              text        not null,
    device_type       text        not null,
    hardware_id       text,
    settings          jsonb       not null default '{}'::jsonb,
    status            text        not null check (status in ('ACTIVE', 'DECOMMISSIONED')),
    token_hash        text        not null,
    version           bigint      not null,
    registered_at     timestamptz not null,
    updated_at        timestamptz not null,
    decommissioned_at timestamptz,
    last_seen_at      timestamptz
);

create index device_by_workspace_name on device (workspace_id, name text_pattern_ops, device_id);
create index device_by_workspace_type on device (workspace_id, device_type);
create unique index device_by_token_hash on device (token_hash);

-- The device's history: every event, in order. Kept after decommissioning for audit.
create table device_history (
    device_id    uuid        not null,
    sequence     bigint      not null,
    event_id     uuid        not null unique,
    workspace_id text        not null,
    event_type   text        not null,
    occurred_at  timestamptz not null,
    actor_kind   text,
    actor_id     text,
    command_id   text,
    data         jsonb       not null,
    primary key (device_id, sequence)
);

create table telemetry_point (
    device_id uuid             not null,
    metric    text             not null,
    ts        timestamptz      not null,
    value     double precision not null,
    primary key (device_id, metric, ts)
);

create table latest_metric (
    device_id uuid             not null,
    metric    text             not null,
    ts        timestamptz      not null,
    value     double precision not null,
    primary key (device_id, metric)
);
