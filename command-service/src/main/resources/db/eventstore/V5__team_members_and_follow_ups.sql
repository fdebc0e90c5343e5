-- Who is in which team, as the command service needs it to take a person who leaves a workspace out of
-- its teams (FollowUps). Filled from the events already stored at the first start of this version.
create table team_member_access (
    team_id  text        not null,
    user_id  text        not null,
    -- when they joined the team: a removal from the workspace takes them out of the teams joined before it
    added_at timestamptz not null,
    primary key (team_id, user_id)
);

-- the fills of later versions, each done once (the first fill, access_backfill, does them all)
create table access_backfill_step (
    step text primary key
);
