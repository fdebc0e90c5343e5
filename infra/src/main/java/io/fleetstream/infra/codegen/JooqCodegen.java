package io.fleetstream.infra.codegen;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Target;

/**
 * Build-time tool: applies Flyway migrations to a throw-away embedded PostgreSQL and generates jOOQ
 * classes from the real schema. jOOQ's H2-based DDLDatabase mis-reads PostgreSQL DDL (jsonb, GIN
 * indexes), so the classes come from the same server kind the services run against.
 *
 * <p>Arguments: {@code <migrations dir> <schema> <package> <target dir>}.
 */
public final class JooqCodegen {

    private JooqCodegen() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: JooqCodegen <migrations dir> <schema> <package> <target dir>");
        }
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-infra.xml");
        }
        Path migrations = Path.of(args[0]).toAbsolutePath();
        String schema = args[1];
        String packageName = args[2];
        Path target = Path.of(args[3]).toAbsolutePath();

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Flyway.configure()
                    .dataSource(postgres.getPostgresDatabase())
                    .locations("filesystem:" + migrations)
                    .schemas(schema)
                    .createSchemas(true)
                    .load()
                    .migrate();
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                GenerationTool tool = new GenerationTool();
                tool.setConnection(connection);
                tool.run(new Configuration().withGenerator(new Generator()
                        .withDatabase(new Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                .withInputSchema(schema)
                                .withExcludes("flyway_schema_history"))
                        .withGenerate(new Generate()
                                .withRecords(true)
                                .withPojos(false)
                                .withDaos(false)
                                .withJavaTimeTypes(true)
                                .withGeneratedAnnotation(false))
                        .withTarget(new Target()
                                .withPackageName(packageName)
                                .withDirectory(target.toString()))));
            }
        }
    }
}
