-- API keys, invitations and teams of workspaces, built from fleet.events by the projector. Secrets and
-- invitation tokens are kept only as SHA-256 hashes.
create table api_key (
    key_id       uuid        primary key,
    workspace_id uuid        not null,
    name         text        not null,
    prefix       text        not null,
    secret_hash  text        not null,
    scopes       text[]      not null,
    creator_id   uuid        not null,
    created_at   timestamptz not null,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    version      bigint      not null
);

create unique index api_key_by_secret on api_key (secret_hash);
create index api_key_by_workspace on api_key (workspace_id, created_at);

-- when each key was last used, as the gateways saw it: usage, not a fact of the key, so not an event
create table api_key_use (
    key_id       uuid        primary key,
    last_used_at timestamptz not null
);

create table invitation (
    invitation_id uuid        primary key,
    workspace_id  uuid        not null,
    email         text        not null,
    role          text        not null,
    token_hash    text        not null,
    invited_by    uuid        not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    status        text        not null check (status in ('PENDING', 'ACCEPTED', 'REVOKED')),
    accepted_by   uuid,
    version       bigint      not null
);

create unique index invitation_by_token on invitation (token_hash);
create index invitation_by_workspace on invitation (workspace_id, created_at);

create table team (
    team_id      uuid        primary key,
    workspace_id uuid        not null,
    name         text        not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    version      bigint      not null
);

create index team_by_workspace on team (workspace_id, name);

create table team_member (
    team_id  uuid        not null,
    user_id  uuid        not null,
    added_at timestamptz not null,
    primary key (team_id, user_id)
);

create index team_member_by_user on team_member (user_id);

alter table device add column team_id uuid;
create index device_by_team on device (workspace_id, team_id);
