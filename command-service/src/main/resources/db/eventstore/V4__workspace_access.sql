-- Who may do what in each workspace, as the command service checks every command: written by the
-- workspace, user and API-key events in their commands' own transactions, so a change of access holds
-- from the next command on. Filled from the events already stored at the first start (Memberships).
create table workspace_access (
    workspace_id text not null,
    user_id      text not null,
    role         text not null,
    primary key (workspace_id, user_id)
);

create table workspace_state (
    workspace_id text primary key,
    status       text not null
);

create table platform_admin (
    user_id text primary key
);

create table api_key_access (
    key_id       text primary key,
    workspace_id text        not null,
    creator_id   text        not null,
    scopes       text        not null,
    expires_at   timestamptz,
    revoked      boolean     not null
);

create table access_backfill (
    done boolean primary key
);

-- the teams of each workspace, for the commands that name one (a device's team)
create table team_state (
    team_id      text primary key,
    workspace_id text    not null,
    deleted      boolean not null
);
