-- A device's last-seen time comes from its telemetry, not from its events. It moves out of the device
-- row into a table of the telemetry projection's own, so that rebuilding the devices read model from
-- fleet.events never loses it, and telemetry arriving before the device row is not lost either.
create table device_activity (
    device_id    uuid        primary key,
    last_seen_at timestamptz not null
);

insert into device_activity (device_id, last_seen_at)
select device_id, last_seen_at from device where last_seen_at is not null;

alter table device drop column last_seen_at;
