package io.fleetstream.support.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetstream.schemas.CommandSpec;
import io.fleetstream.support.web.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalog is a contract: every code a service answers resolves to one entry with a status and a remedy. */
class ErrorCatalogTest {

    @Test
    void everyEntry_hasAStableCodeAnErrorStatusATitleAndARemedy() {
        List<ErrorCode> all = ErrorCatalog.all();
        assertThat(all).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.code()).matches("[a-z][a-z-]*(\\.[a-z][a-z-]*)+");
            assertThat(entry.status().value()).isBetween(400, 599);
            assertThat(entry.title()).isNotBlank();
            assertThat(entry.remedy()).isNotBlank();
        });
    }

    @Test
    void noCode_isDeclaredTwice() {
        Set<String> seen = new HashSet<>();
        assertThat(ErrorCatalog.all()).allSatisfy(entry -> assertThat(seen.add(entry.code()))
                .as("%s declared once", entry.code()).isTrue());
    }

    @Test
    void everyAggregateACommandDeclares_hasItsNotFoundAndExistsEntries() {
        assertThat(CommandSpec.all()).allSatisfy(spec -> {
            assertThat(ErrorCatalog.notFound(spec.aggregateType()).status().value()).isEqualTo(404);
            assertThat(ErrorCatalog.exists(spec.aggregateType()).status().value()).isEqualTo(409);
        });
    }

    @Test
    void everyCatalogClass_isListed() throws IOException {
        // a catalog class the registry does not list would answer codes nobody can look up
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/fleetstream/support/errors"))) {
            List<String> catalogs = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith("Errors.java")).map(name -> name.replace(".java", "")).toList();
            assertThat(catalogs).isNotEmpty();
            assertThat(ErrorCatalog.CATALOGS.stream().map(Class::getSimpleName)).containsAll(catalogs);
        }
    }

    /** Entries are made in the catalogs only: a service cannot answer a code of its own making. */
    @Test
    void noServiceMakesErrorCodesOfItsOwn() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(root)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/"))
                    .filter(f -> !f.toString().contains("/support/errors/") && !f.endsWith("CommonErrors.java")
                            && !f.endsWith("ErrorCode.java"))
                    .filter(f -> read(f).contains("ErrorCode.of("))
                    .map(f -> root.relativize(f).toString()).toList();
        }
        assertThat(offenders).as("make the entry in a catalog of io.fleetstream.support.errors").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
