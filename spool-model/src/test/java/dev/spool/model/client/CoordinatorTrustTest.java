package dev.spool.model.client;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --tls-ca files that cannot be trusted are one message naming the flag and the file. */
class CoordinatorTrustTest {
    @TempDir Path dir;

    @Test
    void aMissingFileIsNamedWithTheFlag() {
        Path missing = dir.resolve("ca.pem");
        assertThatThrownBy(() -> CoordinatorTrust.fromPem(missing)).isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("field", "--tls-ca").hasMessage("--tls-ca " + missing + ": does not exist");
    }

    @Test
    void aDirectoryIsNotACertificate() {
        assertThatThrownBy(() -> CoordinatorTrust.fromPem(dir)).hasMessage("--tls-ca " + dir + ": is a directory");
    }

    @Test
    void aFileWithoutPemCertificatesIsRefusedAsAnInputProblem() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> CoordinatorTrust.fromPem(junk)).isInstanceOf(SpoolError.class)
                .hasMessageStartingWith("--tls-ca " + junk + ": ").hasMessageNotContaining("Exception")
                .satisfies(e -> assertThat(((SpoolError) e).code()).isEqualTo(SpoolError.Code.INPUT_UNREADABLE));
    }
}
