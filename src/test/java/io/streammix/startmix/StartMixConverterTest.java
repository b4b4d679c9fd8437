package io.streammix.startmix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streammix.api.v1alpha1.AudioCodec;
import io.streammix.api.v1alpha1.Content;
import io.streammix.api.v1alpha1.MixTask;
import io.streammix.api.v1alpha1.MixTaskStatus;
import io.streammix.api.v1alpha1.PlayInfo;
import io.streammix.api.v1alpha1.RateControl;
import io.streammix.api.v1alpha1.RenderMode;
import io.streammix.api.v1alpha1.SeiMode;
import io.streammix.api.v1alpha1.VideoCodec;
import io.streammix.api.validation.SpecValidator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vendor's own example requests (seed 003), with their inconsistent letter cases and nulls, become valid MixTasks. */
class StartMixConverterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void documentedExampleMapsEveryField() throws Exception {
        StartMixConverter.Result r = StartMixConverter.convert(json("""
                {"timestamp":1562052086,"id_name":"u1","live_channel":"room1","appid":400840168,
                 "output_bg_color":4294967040,"with_sound_level":1,"userdata":"hello","seq":1,"task_id":"mult_output_task_id",
                 "version":1,"audio_channel_cnt":2,
                 "MixInput":[{"url":"","stream_id":"stream1","sound_level_id":0,"content_control":0,
                              "rect":{"layer":0,"top":0,"left":0,"bottom":640,"right":480},"render_mode":0},
                             {"url":"","stream_id":"stream2","content_control":2,"render_mode":1,
                              "rect":{"top":480,"left":320,"bottom":640,"right":480}}],
                 "MixOutput":[{"stream_id":"mix_stream1","mixurl":"","bitrate":400000,"fps":15,"height":640,"width":480,
                               "audio_enc_id":1,"audio_bitrate":64000,"audio_channel_cnt":1,"encode_mode":1,"encode_qua":23},
                              {"stream_id":"mix_stream2","mixurl":"","bitrate":400000,"fps":15,"height":640,"width":480}],
                 "watermark":{"image":"https://cdn.example/logo.png","rect":{"top":0,"bottom":10,"left":0,"right":10}},
                 "extra_params":[{"key":"video_encode","value":"h265"},{"key":"sei_mode","value":"1"},{"key":"x","value":"y"}]}
                """), "media");
        MixTask t = r.task();
        assertThat(t.getMetadata().getName()).startsWith("mult-output-task-id-").hasSize("mult-output-task-id-".length() + 32);
        assertThat(t.getMetadata().getNamespace()).isEqualTo("media");
        var s = t.getSpec();
        assertThat(s.roomId).isEqualTo("room1");
        assertThat(s.seq).isEqualTo(1L);
        assertThat(s.background.color).isEqualTo("#FFFFFF");
        assertThat(s.soundLevel).isTrue();
        assertThat(s.userData).isEqualTo("hello");
        assertThat(s.inputs).hasSize(2);
        assertThat(s.inputs.get(0).streamId).isEqualTo("stream1");
        assertThat(s.inputs.get(0).url).isNull();
        assertThat(s.inputs.get(0).rect.right).isEqualTo(480);
        assertThat(s.inputs.get(1).content).isEqualTo(Content.VideoOnly);
        assertThat(s.inputs.get(1).renderMode).isEqualTo(RenderMode.Fit);
        var o = s.outputs.get(0);
        assertThat(o.video.rateControl).isEqualTo(RateControl.CRF);
        assertThat(o.video.quality).isEqualTo(23);
        assertThat(o.video.codec).isEqualTo(VideoCodec.H265);
        assertThat(o.audio.codec).isEqualTo(AudioCodec.AAC_LC);
        assertThat(o.audio.channels).isEqualTo(1);
        assertThat(s.outputs.get(1).audio.codec).as("the vendor's default").isEqualTo(AudioCodec.HE_AAC);
        assertThat(s.outputs.get(1).audio.channels).as("top-level audio_channel_cnt").isEqualTo(2);
        assertThat(s.seiMode).isEqualTo(SeiMode.EveryFrame);
        assertThat(s.extraParams).singleElement().satisfies(p -> assertThat(p.key).isEqualTo("x"));
        assertThat(s.watermark.rect.right).isEqualTo(10);
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("extra_params.x")).anyMatch(w -> w.startsWith("timestamp: accepted, not used"));
        assertThat(SpecValidator.validate(s)).isEmpty();
    }

    @Test
    void phpExampleWithNullsEmptyStringsAndOtherLetterCases() throws Exception {
        StartMixConverter.Result r = StartMixConverter.convert(json("""
                {"appid":123456789,"id_name":"xxx","live_channel":"xxxxx","audio_channel_cnt":0,"output_bg_color":0,
                 "output_bg_image":"","output_audio_bitrate":0,"with_sound_level":0,"UserData":"","seq":0,"version":1,
                 "MixInput":[{"url":"","stream_id":"xxxxxxxx","sound_level_id":0,"content_control":0,
                              "rect":{"layer":0,"top":0,"left":0,"bottom":1,"right":1},"render_mode":0}],
                 "MixOutput":[{"stream_id":"xxxxx","mixurl":"xxxxxxxx","bitrate":1,"fps":1,"height":1,"width":1,
                               "audio_channel_cnt":0,"audio_enc_id":0,"audio_bitrate":0,"encode_mode":null,"encode_qua":null,
                               "output_bg_color":0,"output_bg_image":""}],
                 "task_id":"","watermark":null,"bypass":null}
                """), "default");
        var s = r.task().getSpec();
        assertThat(r.task().getMetadata().getName()).isEqualTo("xxx");
        assertThat(s.userData).isNull();
        assertThat(s.background.color).isEqualTo("#000000");
        assertThat(s.background.image).isNull();
        assertThat(s.watermark).isNull();
        assertThat(s.bypass).isNull();
        assertThat(s.soundLevel).isFalse();
        assertThat(s.outputs.get(0).hasVideo()).as("the 1x1 audio-only recipe").isFalse();
        assertThat(s.outputs.get(0).url).isNull();
        assertThat(s.outputs.get(0).audio.bitrate).as("0 means the default").isNull();
        assertThat(s.outputs.get(0).audio.channels).isEqualTo(1);
        assertThat(r.warnings()).anyMatch(w -> w.contains("mixurl: ignored because stream_id is given"))
                .anyMatch(w -> w.contains("MixOutput[0].output_bg_color"));
        assertThat(SpecValidator.validate(s)).isEmpty();
    }

    @Test
    void curlExampleAsSentMapsItsAvertpUrlsToStreamIdsAndSaysSo() throws Exception {
        // As sent: the vendor's private avertp:// transport names a stream; nothing here speaks avertp://, so the
        // URL's last part is the stream id (pulled through the input URL template, played by the worker), said in warnings.
        StartMixConverter.Result r = StartMixConverter.convert(seed("seed-curl.json"), "default");
        var s = r.task().getSpec();
        assertThat(r.task().getMetadata().getName()).isEqualTo("task1");
        assertThat(r.appid()).isEqualTo(3828875002L);
        assertThat(r.idName()).isEqualTo("test_mix");
        assertThat(s.inputs).singleElement().satisfies(in -> {
            assertThat(in.streamId).isEqualTo("mix-input-test-1000yanglei");
            assertThat(in.url).isNull();
        });
        assertThat(s.outputs).singleElement().satisfies(o -> {
            assertThat(o.streamId).isEqualTo("mix-output-test-1000yanglei");
            assertThat(o.url).isNull();
        });
        assertThat(s.background).isNull();
        assertThat(r.warnings())
                .contains("MixInput[0].url: avertp:// is the vendor's private transport; pulled as stream_id "
                        + "'mix-input-test-1000yanglei' (the URL's last part) instead")
                .contains("MixOutput[0].mixurl: avertp:// is the vendor's private transport; played as stream_id "
                        + "'mix-output-test-1000yanglei' (the URL's last part) instead")
                .anyMatch(w -> w.startsWith("output_bg_image"))
                .anyMatch(w -> w.startsWith("seq: missing"))
                .anyMatch(w -> w.startsWith("timestamp: accepted, not used"));
        assertThat(SpecValidator.validate(s)).isEmpty();
    }

    @Test
    void section3BodyMapsEveryValueItCarries() throws Exception {
        StartMixConverter.Result r = StartMixConverter.convert(seed("seed-section3.json"), "media");
        var s = r.task().getSpec();
        assertThat(r.task().getMetadata().getName()).startsWith("mult-output-task-id-");
        assertThat(r.idName()).as("'' is not given").isNull();
        assertThat(s.roomId).isNull();
        assertThat(s.background).as("'' colour and image: none").isNull();
        assertThat(s.inputs).extracting(i -> i.streamId).containsExactly("stream1", "stream2");
        assertThat(s.inputs).extracting(i -> i.url).as("placeholder URLs beside a stream id").containsOnlyNulls();
        assertThat(s.outputs).extracting(o -> o.streamId).containsExactly("mix_stream1", "mix_stream2");
        assertThat(s.outputs).extracting(o -> o.video.codec).containsOnly(VideoCodec.H265);
        assertThat(s.outputs.get(0).audio.bitrate).isEqualTo(64000);
        assertThat(s.watermark).as("'iamge-id' is an image id of the vendor's, not a URL").isNull();
        assertThat(s.seiMode).isEqualTo(SeiMode.EveryFrame);
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("watermark.image: 'iamge-id' is not a URL"))
                .anyMatch(w -> w.startsWith("MixOutput[0].mixurl: ignored because stream_id is given"));
        assertThat(SpecValidator.validate(s)).isEmpty();
    }

    @Test
    void javaSampleStreamIdAndMixurlPushToTheUrlUnderTheStreamIdsName() throws Exception {
        StartMixConverter.Result r = StartMixConverter.convert(seed("seed-java.json"), "default");
        var s = r.task().getSpec();
        assertThat(r.task().getMetadata().getName()).as("no task_id: id_name names it").isEqualTo("xxx");
        assertThat(s.outputs).singleElement().satisfies(o -> {
            assertThat(o.url).isEqualTo("rtmp://127.0.0.1/xxx/os");
            assertThat(o.name).isEqualTo("os");
            assertThat(o.streamId).isNull();
        });
        assertThat(s.inputs).extracting(i -> i.streamId).as("url \"\" beside a stream id").containsExactly("is1", "is2");
        assertThat(r.warnings()).noneMatch(w -> w.contains("mixurl"));
        assertThat(SpecValidator.validate(s)).isEmpty();
        // A stream id that is no DNS label still names the output, stably.
        var odd = StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"Mix_Stream.1","mixurl":"rtmp://cdn/live/Mix_Stream.1","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default").task().getSpec().outputs.get(0);
        assertThat(odd.name).matches("mix-stream-1-[0-9a-f]{8}");
        assertThat(SpecValidator.validate(StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"Mix_Stream.1","mixurl":"rtmp://cdn/live/Mix_Stream.1","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default").task().getSpec())).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnoredAndListedWrongTypesAndValuesRefusedNamingThePath() throws Exception {
        // The vendor ignores what it does not define; here it is ignored too, and said, never dropped silently.
        StartMixConverter.Result r = StartMixConverter.convert(json("""
                {"task_id":"t","biztype":"live","stream_id":"s","version":1,"testenv":0,"foo":1,
                 "MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1,"z":3}}],
                 "MixOutput":[{"stream_id":"o","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default");
        assertThat(r.warnings()).contains("foo: unknown field, ignored (not part of the start-mix request; see docs/start-mix-mapping.md)",
                "MixInput[0].rect.z: unknown field, ignored (not part of the start-mix request; see docs/start-mix-mapping.md)")
                .anyMatch(w -> w.startsWith("biztype: 'live' accepted, not used"))
                .anyMatch(w -> w.startsWith("stream_id: accepted, not used"))
                .anyMatch(w -> w.startsWith("version: 1 accepted, not used"))
                .anyMatch(w -> w.startsWith("testenv: 0 accepted"))
                .anyMatch(w -> w.startsWith("MixOutput[0].audio_enc_id: not given, the vendor's default HE-AAC is encoded as AAC-LC"));
        // A misspelt list is ignored, and then the list is missing: the error says both.
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","MixInputs":[]}
                """), "default")).hasMessage("MixInput: at least one input is required (ignored, not start-mix fields: MixInputs)");
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","testenv":1,"MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"o","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default")).hasMessageStartingWith("testenv: 1 asks for the vendor's test environment");
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","with_sound_level":2,"MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"o","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default")).hasMessage("with_sound_level: must be 0 or 1 (got 2)");
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"o","bitrate":1,"fps":1,"width":1,"height":1,"audio_enc_id":3}]}
                """), "default")).hasMessage("MixOutput[0].audio_enc_id: must be 0 (HE-AAC), 1 (LC-AAC) or 2 (MP3) (got 3)");
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"o","bitrate":"fast","fps":1,"width":1,"height":1}]}
                """), "default")).hasMessage("MixOutput[0].bitrate: must be a number (got 'fast')");
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"o","bitrate":99999999999,"fps":1,"width":1,"height":1}]}
                """), "default")).hasMessage("MixOutput[0].bitrate: is out of range (got 99999999999)");
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a","rect":[0,0,1,1]}],
                 "MixOutput":[{"stream_id":"o","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default")).hasMessage("MixInput[0].rect: must be a JSON object");
    }

    @Test
    void specFieldsAreNamedBackInTheRequestsTerms() {
        assertThat(StartMixNames.vendorField("spec.outputs[0].video.bitrate")).isEqualTo("MixOutput[0].bitrate");
        assertThat(StartMixNames.vendorField("spec.outputs[1].video.fps")).isEqualTo("MixOutput[1].fps");
        assertThat(StartMixNames.vendorField("spec.outputs[0].video.rateControl")).isEqualTo("MixOutput[0].encode_mode");
        assertThat(StartMixNames.vendorField("spec.outputs[0].audio.channels")).isEqualTo("MixOutput[0].audio_channel_cnt");
        assertThat(StartMixNames.vendorField("spec.outputs[2].url")).isEqualTo("MixOutput[2].mixurl");
        assertThat(StartMixNames.vendorField("spec.inputs[3].rect")).isEqualTo("MixInput[3].rect");
        assertThat(StartMixNames.vendorField("spec.inputs[0].streamId")).isEqualTo("MixInput[0].stream_id");
        assertThat(StartMixNames.vendorField("spec.background.color")).isEqualTo("output_bg_color");
        assertThat(StartMixNames.vendorField("spec.userData")).isEqualTo("userdata");
        assertThat(StartMixNames.vendorField("spec.watermark.rect")).isEqualTo("watermark.rect");
    }

    static JsonNode seed(String name) throws Exception {
        return JSON.readTree(StartMixConverterTest.class.getResourceAsStream(name));
    }

    @Test
    void errorsNameTheVendorField() {
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a"}],"MixOutput":[{"stream_id":"o","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default")).isInstanceOf(StartMixException.class).hasMessage("MixInput[0].rect: is required");
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1},"content_control":7}],
                 "MixOutput":[{"stream_id":"o","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default")).hasMessageStartingWith("MixInput[0].content_control: must be 0, 1 or 2");
        assertThatThrownBy(() -> StartMixConverter.convert(json("""
                {"task_id":"t","MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"o","fps":1,"width":1,"height":1}]}
                """), "default")).hasMessage("MixOutput[0].bitrate: is required");
    }

    @Test
    void responseCarriesPlayUrlsAndDurationFromStatus() throws Exception {
        MixTask t = StartMixConverter.convert(json("""
                {"task_id":"t","live_channel":"r","seq":3,"MixInput":[{"stream_id":"a","rect":{"top":0,"left":0,"bottom":1,"right":1}}],
                 "MixOutput":[{"stream_id":"o","bitrate":1,"fps":1,"width":1,"height":1}]}
                """), "default").task();
        MixTaskStatus st = new MixTaskStatus();
        PlayInfo p = new PlayInfo();
        p.streamId = "o";
        p.flvUrl = "http://w/live/o.flv";
        p.hlsUrl = "http://w/live/o/index.m3u8";
        st.play = List.of(p);
        st.mixDuration = 213L;
        st.appliedSeq = 3L;
        t.setStatus(st);
        JsonNode body = JSON.valueToTree(StartMixResponse.of(t, "u1"));
        assertThat(body.at("/code").asInt()).isZero();
        assertThat(body.at("/data/play/0/hdl_url").asText()).isEqualTo("http://w/live/o.flv");
        assertThat(body.at("/data/play/0/stream_alias").asText()).isEqualTo("o");
        assertThat(body.at("/data/mix_duration").asLong()).isEqualTo(213);
        assertThat(body.at("/data/seq").asLong()).isEqualTo(3);
        assertThat(body.at("/data/live_channel").asText()).isEqualTo("r");
    }
}
