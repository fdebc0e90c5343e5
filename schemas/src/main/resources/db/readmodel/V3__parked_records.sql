-- Records a projection could not apply, set aside so that it goes on with every other aggregate. A
-- record that failed is parked with its error; the later records of the same aggregate (same Kafka
-- key) are parked behind it, in order, until an operator retries or skips it (./fleet projections).
-- Keys and values are kept as bytes: they are exactly what Kafka delivered, whatever they contain.
-- A skipped record stays here, marked, so that a rebuild skips it too and gives the live rows.
create table parked_record (
    projection    text        not null,
    topic         text        not null,
    partition     integer     not null,
    record_offset bigint      not null,
    record_key    bytea,
    record_value  bytea,
    failed        boolean     not null,
    error         text,
    attempts      integer     not null default 0,
    skipped       boolean     not null default false,
    parked_at     timestamptz not null default now(),
    primary key (projection, topic, partition, record_offset)
);

create index parked_record_by_key on parked_record (projection, record_key);
