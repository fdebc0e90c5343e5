package io.fleetstream.projector;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Each top-level package is a feature; features depend on each other only through their API and never in a cycle. */
class ModularityTest {

    @Test
    void features_dependOnEachOtherOnlyThroughTheirApi_andWithoutCycles() {
        ApplicationModules.of(ProjectorApplication.class).verify();
    }
}
