package dev.spool.model.protocol;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogTailTest {
    @Test
    void credentialsAndQueryStringsAreRedacted() {
        assertThat(LogTail.redact("Input #0, mov, from 'https://alice:s3cret@media.example/in.mp4':"))
                .isEqualTo("Input #0, mov, from 'https://***@media.example/in.mp4':")
                .doesNotContain("s3cret");
        assertThat(LogTail.redact("[https @ 0x1] Opening 'https://bucket.s3/in.mp4?X-Amz-Signature=abc&X-Amz-Credential=AK' for reading"))
                .isEqualTo("[https @ 0x1] Opening 'https://bucket.s3/in.mp4?***' for reading");
        assertThat(LogTail.redact("frame=  120 fps= 30 q=28.0 size=512kB")).isEqualTo("frame=  120 fps= 30 q=28.0 size=512kB");
        assertThat(LogTail.redact("token=abcdef used")).isEqualTo("token=*** used");
    }

    @Test
    void aWorkerSendsTheLastTwentyLinesCutToFit() {
        List<String> lines = IntStream.range(0, 30).mapToObj(i -> "line " + i).toList();
        List<String> tail = LogTail.of(lines);
        assertThat(tail).hasSize(20).first().isEqualTo("line 10");
        assertThat(LogTail.of(List.of("x".repeat(1000))).get(0)).hasSize(LogTail.MAX_CHARS);
    }

    @Test
    void theCoordinatorRefusesMoreThanTheCaps() {
        assertThatThrownBy(() -> LogTail.checked(Collections.nCopies(21, "x")))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.field()).isEqualTo("log_tail"));
        assertThatThrownBy(() -> LogTail.checked(List.of("y".repeat(301))))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.field()).isEqualTo("log_tail"));
        assertThat(LogTail.checked(List.of("from 'http://u:p@h/x'"))).containsExactly("from 'http://***@h/x'");
    }
}
