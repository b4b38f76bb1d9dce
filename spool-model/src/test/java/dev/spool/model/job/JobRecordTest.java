package dev.spool.model.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.encode.AudioEncoding;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.model.encode.EncodePlan;
import dev.spool.model.encode.VideoCodec;
import dev.spool.model.protocol.Wire;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRecordTest {
    private static final String REQUEST = """
            {"input":"in/a.mkv","output":"out/a","outputs":[{"resolution":"720p","bitrate":"2500k","codec":"hevc"},
             {"resolution":"360p"}],"hls_settings":{"segment_time":4},"audio_codec":"opus","audio_bitrate":"96k",
             "video_bitrate":"2M","labels":{"movie_id":"456"},"piece_seconds":8}""";
    /** As Spool wrote a job before spec_version: no version, no plan, and a label key today's API refuses. */
    private static final String VERSION_1 = """
            {"input":"in/a.mkv","output":"out/a","outputs":[{"resolution":"720p","bitrate":"2500k","codec":"hevc"},
             {"resolution":"360p"}],"hls_settings":{"master_playlist_name":"index.m3u8","segment_time":4},"format":"hls",
             "segment_format":"fmp4","priority":"NORMAL","labels":{"movie id":"456"},"piece_seconds":8,
             "video_bitrate":"2M","audio_codec":"opus","audio_bitrate":"96k"}""";

    private static JobSpec request(String json) {
        try {
            return Wire.JSON.readValue(json, JobSpec.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof SpoolError s) throw s;
            throw new AssertionError(e);
        }
    }

    private static JobRecord stored(String json) throws JsonProcessingException {
        return Wire.JSON.readValue(json, JobRecord.class);
    }

    @Test
    void aRequestBecomesARecordOfTheCurrentVersionCarryingThePlanItGivesAtSubmit() throws JsonProcessingException {
        JobRecord record = request(REQUEST).record();

        assertThat(record.version()).isEqualTo(JobRecord.CURRENT);
        EncodePlan plan = record.encode();
        assertThat(plan.codec()).isEqualTo(VideoCodec.HEVC);
        assertThat(plan.renditions()).containsExactlyInAnyOrder("720p", "360p");
        assertThat(plan.caps()).isEqualTo(Map.of("720p", 2500));
        assertThat(plan.hlsTime()).isEqualTo(4);
        assertThat(plan.audioCodec()).isEqualTo(AudioEncoding.Codec.OPUS);
        assertThat(plan.audioKbps()).isEqualTo(96);
        assertThat(plan.videoCapKbps()).isEqualTo(2000);
        assertThat(plan.encoder()).isEqualTo("libx265");
        assertThat(stored(Wire.JSON.writeValueAsString(record))).as("read back as stored").isEqualTo(record);
    }

    @Test
    void aRecordWrittenBeforeSpecVersionIsReadWithoutTodaysChecksAndGivesTheSamePlan() throws JsonProcessingException {
        assertThatThrownBy(() -> request(VERSION_1)).as("today's API refuses its label")
                .hasFieldOrPropertyWithValue("field", "labels");

        JobRecord old = stored(VERSION_1);

        assertThat(old.version()).isEqualTo(JobRecord.FIRST);
        assertThat(old.encode()).isNull();
        assertThat(old.labels()).containsEntry("movie id", "456");
        assertThat(old.plan()).isEqualTo(request(REQUEST).record().encode());
    }

    @Test
    void theJobViewAndOlderWorkersSeeTheRequestAsItWasAlwaysWritten() throws JsonProcessingException {
        JobSpec spec = request(REQUEST.replace("\"piece_seconds\":8", "\"piece_seconds\":8,\"idempotency_key\":\"k1\","
                + "\"webhook\":{\"url\":\"https://example.com/hook\",\"secret\":\"s3cret\"}"));
        JobRecord record = spec.record();

        JsonNode asked = Wire.JSON.valueToTree(record.asked());
        JsonNode request = Wire.JSON.valueToTree(spec);
        assertThat(asked).isEqualTo(request);
        assertThat(Wire.JSON.writeValueAsString(record.withoutSecrets())).doesNotContain("s3cret")
                .as("the URL's path secrets masked").contains("\"https://example.com/…\"").doesNotContain("/hook");
    }

    @Test
    void aStoredPlanIsTakenAsItIsAndOnlyTheMediaPipelineChecksWhatItCanEncode() throws JsonProcessingException {
        // a later, stricter rule (here: hls_time at most 60) must not make the stored job unreadable
        JobRecord record = stored("""
                {"spec_version":2,"input":"in/a.mkv","output":"out/a","hls_settings":{"segment_time":90},"piece_seconds":0,
                 "encode":{"codec":"H264","hls_time":90}}""");

        assertThat(record.plan().hlsTime()).isEqualTo(90);
        assertThatThrownBy(() -> record.plan().options()).isInstanceOf(SpoolError.class)
                .hasFieldOrPropertyWithValue("field", "hls_time");
    }

    @Test
    void aRecordFromANewerSpoolWithFieldsThisOneDoesNotKnowIsStillRead() throws JsonProcessingException {
        JobRecord record = stored("""
                {"spec_version":3,"input":"in/a.mkv","output":"out/a","deadline":"2027-01-01T00:00:00Z",
                 "encode":{"codec":"AV1","tune":"film"}}""");

        assertThat(record.version()).isEqualTo(3);
        assertThat(record.plan().codec()).isEqualTo(VideoCodec.AV1);
        assertThat(record.plan().options().format()).isEqualTo(EncodeOptions.OutputFormat.HLS);
        assertThat(record.splittable()).as("no piece_seconds stored: the job runs whole").isFalse();
    }

    @Test
    void theRequestStillNamesARenditionOrWebhookFieldAtFaultBeforeAnyOther() throws JsonProcessingException {
        assertThatThrownBy(() -> request("{\"outputs\":[{\"resolution\":\" \"}]}"))
                .hasFieldOrPropertyWithValue("field", "outputs[].resolution");
        assertThatThrownBy(() -> request("{\"outputs\":[{\"resolution\":\"720p\",\"bitrate\":\"fast\"}]}"))
                .hasFieldOrPropertyWithValue("field", "outputs[].bitrate");
        assertThatThrownBy(() -> request("{\"webhook\":{\"url\":\"ftp://example.com\"}}"))
                .hasFieldOrPropertyWithValue("field", "webhook.url");
        assertThatThrownBy(() -> request("{\"webhook\":{\"url\":\"https://\"}}"))
                .hasFieldOrPropertyWithValue("field", "webhook.url");
        assertThatThrownBy(() -> request("{\"webhook\":{\"url\":\"https://example.com/h\",\"events\":[\"completed\",\"exploded\"]}}"))
                .hasFieldOrPropertyWithValue("field", "webhook.events").hasMessageContaining("'exploded'");
        assertThatThrownBy(() -> request("{\"webhook\":{\"url\":\"https://example.com/h\",\"format\":\"telegram\"}}"))
                .hasFieldOrPropertyWithValue("field", "webhook.format").hasMessageContaining("json, discord, slack, ntfy");
        assertThat(new OutputSpec(" 720P ", null, null, null).resolution()).isEqualTo("720p");
        assertThat(stored("{\"input\":\"a\",\"output\":\"b\",\"outputs\":[{\"resolution\":\"720p\",\"bitrate\":\"2.5 Mbps\"}]}")
                .outputs()).extracting(OutputSpec::bitrate).containsExactly("2.5 Mbps");
    }
}
