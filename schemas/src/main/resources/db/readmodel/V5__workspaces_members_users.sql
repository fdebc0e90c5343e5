-- Workspaces, their members and the people who use Fleetstream, built from fleet.events by the
-- projector's workspaces and users projections. No uniqueness is enforced here: that is the command
-- service's (slugs), and events of different aggregates may be applied in another order than written.
create table workspace (
    workspace_id uuid        primary key,
    name         text        not null,
    slug         text        not null,
    timezone     text        not null,
    status       text        not null check (status in ('ACTIVE', 'ARCHIVED', 'DELETED')),
    version      bigint      not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);

create index workspace_by_slug on workspace (slug);

create table workspace_member (
    workspace_id uuid        not null,
    user_id      uuid        not null,
    role         text        not null check (role in ('owner', 'admin', 'member', 'viewer')),
    joined_at    timestamptz not null,
    primary key (workspace_id, user_id)
);

create index workspace_member_by_user on workspace_member (user_id);

create table app_user (
    user_id           uuid        primary key,
    issuer            text        not null,
    subject           text        not null,
    email             text,
    email_verified    boolean     not null,
    claimed_name      text,
    name              text,
    default_workspace text,
    timezone          text,
    platform_admin    boolean     not null,
    version           bigint      not null,
    registered_at     timestamptz not null,
    updated_at        timestamptz not null
);

create index app_user_by_identity on app_user (issuer, subject);
create index app_user_by_email on app_user (lower(email));
