package dev.spool.storage;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRootsTest {
    @TempDir Path tmp;
    private Path media;
    private Path secret;
    private LocalRoots roots;

    @BeforeEach
    void makeRoots() throws Exception {
        media = Files.createDirectories(tmp.resolve("media"));
        secret = Files.writeString(tmp.resolve("secret.mp4"), "not yours");
        Files.writeString(media.resolve("film.mp4"), "a film");
        roots = new LocalRoots(List.of(media));
    }

    @Test
    void aFileInsideARootIsAllowedAndRelativePathsStartAtTheFirstRoot() throws Exception {
        assertThat(roots.input(media.resolve("film.mp4").toString())).isEqualTo(media.toRealPath().resolve("film.mp4"));
        assertThat(roots.input("film.mp4")).isEqualTo(media.toRealPath().resolve("film.mp4"));
    }

    @Test
    void dotDotCannotLeaveTheRoots() {
        assertThatThrownBy(() -> roots.input(media + "/../secret.mp4"))
                .isInstanceOf(SpoolError.class).hasFieldOrPropertyWithValue("field", "input")
                .hasMessageContaining("outside the worker's roots");
    }

    @Test
    void aSymlinkCannotLeadOutOfTheRoots() throws Exception {
        Path link = Files.createSymbolicLink(media.resolve("innocent.mp4"), secret);
        assertThatThrownBy(() -> roots.input(link.toString())).isInstanceOf(SpoolError.class)
                .hasMessageContaining("'" + link + "' is outside the worker's roots")
                .as("where the link leads and which roots the worker has are not told to whoever submitted the job")
                .hasMessageNotContaining(secret.getFileName().toString()).hasMessageNotContaining(media.toRealPath().toString() + " ")
                .hasMessageNotContaining("[");
        Path dirLink = Files.createSymbolicLink(media.resolve("elsewhere"), tmp);
        assertThatThrownBy(() -> roots.output(dirLink.resolve("ladder").toString())).isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("field", "output");
    }

    @Test
    void anOutputThatDoesNotExistYetIsJudgedByItsNearestExistingParent() throws Exception {
        assertThat(roots.output(media.resolve("new/deep/ladder").toString()))
                .isEqualTo(media.toRealPath().resolve("new/deep/ladder"));
        assertThatThrownBy(() -> roots.output(tmp.resolve("ladder").toString())).isInstanceOf(SpoolError.class);
    }

    @Test
    void withoutRootsEveryPathIsAllowed() {
        assertThat(LocalRoots.unrestricted().input(secret.toString())).isEqualTo(secret.toAbsolutePath());
    }
}
