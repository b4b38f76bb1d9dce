package dev.spool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The coordinator needs the shared model only (docs/DESIGN.md section 0): if a dependency on the
 * media or storage modules comes back, the 31 MB ffmpeg jar and the AWS SDK come back with it.
 * The test runs on the module's own test classpath, which is what Maven resolved for it.
 */
class CoordinatorClasspathTest {

    private static boolean present(String resource) {
        return CoordinatorClasspathTest.class.getClassLoader().getResource(resource) != null;
    }

    @Test
    void linksTheModelButNeitherFfmpegNorTheAwsSdk() {
        assertThat(present("dev/spool/model/SpoolError.class")).as("the model").isTrue();
        assertThat(present("org/bytedeco/ffmpeg/linux-x86_64-gpl/ffprobe")).as("the bundled ffmpeg").isFalse();
        assertThat(present("software/amazon/awssdk/services/s3/S3Client.class")).as("the AWS SDK").isFalse();
        assertThat(present("dev/spool/media/run/LadderRun.class")).as("spool-media").isFalse();
        assertThat(present("dev/spool/storage/S3ObjectStore.class")).as("spool-storage").isFalse();
    }
}
