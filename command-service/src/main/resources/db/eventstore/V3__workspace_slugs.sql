-- Set-based rule: a slug names one workspace (see SlugClaims).
create table workspace_slug (
    slug         text primary key,
    workspace_id text not null
);
