package dev.spool.cli;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --require-worker-credentials} and its environment variable, SPOOL_REQUIRE_WORKER_CREDENTIALS. */
class RequireWorkerCredentialsTest {
    @Test
    void theFlagWinsAndTheEnvironmentDecidesWithoutIt() {
        assertThat(CoordinatorCommand.requireWorkerCredentials(true, null)).isTrue();
        assertThat(CoordinatorCommand.requireWorkerCredentials(true, "false")).as("the flag typed wins").isTrue();
        assertThat(CoordinatorCommand.requireWorkerCredentials(false, null)).isFalse();
        assertThat(CoordinatorCommand.requireWorkerCredentials(false, "")).isFalse();
        assertThat(CoordinatorCommand.requireWorkerCredentials(false, "true")).isTrue();
        assertThat(CoordinatorCommand.requireWorkerCredentials(false, " TRUE ")).isTrue();
        assertThat(CoordinatorCommand.requireWorkerCredentials(false, "false")).isFalse();
    }

    @Test
    void anotherValueIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> CoordinatorCommand.requireWorkerCredentials(false, "yes please"))
                .isInstanceOfSatisfying(SpoolError.class, e -> {
                    assertThat(e.field()).isEqualTo("SPOOL_REQUIRE_WORKER_CREDENTIALS");
                    assertThat(e.getMessage()).contains("must be true or false, not 'yes please'");
                });
    }
}
