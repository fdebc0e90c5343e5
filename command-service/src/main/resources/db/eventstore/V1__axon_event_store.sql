-- Axon's JDBC storage with its default (unquoted, so lower-cased) names, payloads as bytea.
create table domainevententry (
    globalindex         bigserial    not null primary key,
    aggregateidentifier varchar(255) not null,
    sequencenumber      bigint       not null,
    type                varchar(255),
    eventidentifier     varchar(255) not null unique,
    metadata            bytea,
    payload             bytea        not null,
    payloadrevision     varchar(255),
    payloadtype         varchar(255) not null,
    timestamp           varchar(255) not null,
    unique (aggregateidentifier, sequencenumber)
);

create table snapshotevententry (
    aggregateidentifier varchar(255) not null,
    sequencenumber      bigint       not null,
    type                varchar(255) not null,
    eventidentifier     varchar(255) not null unique,
    metadata            bytea,
    payload             bytea        not null,
    payloadrevision     varchar(255),
    payloadtype         varchar(255) not null,
    timestamp           varchar(255) not null,
    primary key (aggregateidentifier, sequencenumber)
);

create table tokenentry (
    processorname varchar(255) not null,
    segment       integer      not null,
    token         bytea,
    tokentype     varchar(255),
    timestamp     varchar(255),
    owner         varchar(255),
    primary key (processorname, segment)
);

create table sagaentry (
    sagaid         varchar(255) not null primary key,
    revision       varchar(255),
    sagatype       varchar(255),
    serializedsaga bytea
);

create table associationvalueentry (
    id               bigserial    not null primary key,
    associationkey   varchar(255),
    associationvalue varchar(255),
    sagaid           varchar(255),
    sagatype         varchar(255)
);
create index associationvalueentry_lookup on associationvalueentry (sagatype, associationkey, associationvalue);
create index associationvalueentry_saga on associationvalueentry (sagaid, sagatype);

-- Every command id ever applied, with its answer: the dedup that makes redelivery harmless. Written in
-- the same transaction as the command's events.
create table processed_command (
    command_id        varchar(64)  not null primary key,
    workspace_id      text         not null,
    aggregate_id      text         not null,
    status            varchar(16)  not null,
    aggregate_version bigint,
    error_code        text,
    error_message     text,
    completed_at      timestamptz  not null
);

-- Set-based rule: a hardware id names one live device per workspace.
create table device_hardware_id (
    workspace_id text not null,
    hardware_id  text not null,
    device_id    text not null,
    primary key (workspace_id, hardware_id)
);
