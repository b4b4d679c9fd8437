package io.streammix.worker.media;

import org.bytedeco.ffmpeg.avfilter.AVFilter;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.ObjIntConsumer;

import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_time_base;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse2;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_link;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_pad_get_type;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * A filter graph made of sources only (testsrc, color, sine, aevalsrc ...), its labelled outputs ({@code [out0]},
 * {@code [out1]}) read frame by frame through libavfilter's buffersinks.
 *
 * <p>Why not FFmpeg's {@code lavfi} input format, which reads the same graphs: it lives in libavdevice, and the bundled
 * libavdevice links libpulse, libxcb and more system libraries. Loading it made every worker, and the README's first
 * command, need them; libavfilter needs glibc only. So the worker never loads libavdevice.
 *
 * <p>The outputs are read interleaved by time (the one furthest behind next), as the lavfi demuxer does, so a reader
 * that paces frames to real time gets audio and video together. Not thread-safe: one reader.
 */
public final class FilterGraphSource implements AutoCloseable {
    private final AVFilterGraph graph;
    private final List<Output> outputs;
    private final AVFrame frame = av_frame_alloc();

    private record Output(String label, int type, AVFilterContext sink, AVRational timeBase, double[] next) {
    }

    private FilterGraphSource(AVFilterGraph graph, List<Output> outputs) {
        this.graph = graph;
        this.outputs = outputs;
    }

    /**
     * @param description a graph with no unconnected input and one or more labelled outputs
     * @param name        how the input is named in error messages
     */
    public static FilterGraphSource open(String description, String name) {
        AVFilterGraph graph = avfilter_graph_alloc();
        Av.notNull(graph, name + ": cannot allocate a filter graph");
        // Zeroed: when parsing fails FFmpeg leaves them as they were, and avfilter_inout_free then frees what they hold.
        PointerPointer<AVFilterInOut> ins = new PointerPointer<AVFilterInOut>(1L).put(0, (org.bytedeco.javacpp.Pointer) null);
        PointerPointer<AVFilterInOut> outs = new PointerPointer<AVFilterInOut>(1L).put(0, (org.bytedeco.javacpp.Pointer) null);
        try {
            Av.check(avfilter_graph_parse2(graph, new org.bytedeco.javacpp.BytePointer(description), ins, outs),
                    name + ": invalid filter graph");
            if (ins.get(0) != null) {
                throw new MediaException(name + ": the filter graph has an unconnected input");
            }
            List<Output> list = new ArrayList<>();
            for (AVFilterInOut o = outs.get(AVFilterInOut.class, 0); o != null && !o.isNull(); o = o.next()) {
                list.add(sink(graph, o, list.size(), name));
            }
            if (list.isEmpty()) {
                throw new MediaException(name + ": the filter graph has no output");
            }
            Av.check(avfilter_graph_config(graph, null), name + ": cannot configure the filter graph");
            List<Output> configured = new ArrayList<>();
            for (Output o : list) {
                configured.add(new Output(o.label, o.type, o.sink, av_buffersink_get_time_base(o.sink), new double[1]));
            }
            configured.sort(Comparator.comparing(Output::label));
            return new FilterGraphSource(graph, configured);
        } catch (RuntimeException e) {
            avfilter_graph_free(graph);
            throw e;
        } finally {
            avfilter_inout_free(ins);
            avfilter_inout_free(outs);
        }
    }

    private static Output sink(AVFilterGraph graph, AVFilterInOut o, int i, String name) {
        int type = avfilter_pad_get_type(o.filter_ctx().output_pads(), o.pad_idx());
        if (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO) {
            throw new MediaException(name + ": a filter graph output is neither audio nor video");
        }
        AVFilter kind = avfilter_get_by_name(type == AVMEDIA_TYPE_VIDEO ? "buffersink" : "abuffersink");
        AVFilterContext sink = new AVFilterContext();
        Av.check(avfilter_graph_create_filter(sink, kind, "sink" + i, null, null, graph), name + ": cannot create a sink");
        Av.check(avfilter_link(o.filter_ctx(), o.pad_idx(), sink, 0), name + ": cannot link a sink");
        String label = o.name() == null || o.name().isNull() ? "out" + i : o.name().getString();
        return new Output(label, type, sink, null, null);
    }

    /** Index of the first output of that media type (AVMEDIA_TYPE_*), in label order, or -1. */
    public int bestStream(int mediaType) {
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).type == mediaType) {
                return i;
            }
        }
        return -1;
    }

    public AVRational timeBase(int index) {
        return outputs.get(index).timeBase;
    }

    /**
     * Reads the next frame of the output furthest behind and hands it to {@code sink} with its output index; the frame
     * is unreferenced after {@code sink} returns.
     *
     * @return false when that output ended
     */
    public boolean read(ObjIntConsumer<AVFrame> sink, String name) {
        Output behind = outputs.get(0);
        int index = 0;
        for (int i = 1; i < outputs.size(); i++) {
            if (outputs.get(i).next[0] < behind.next[0]) {
                behind = outputs.get(i);
                index = i;
            }
        }
        int ret = av_buffersink_get_frame(behind.sink, frame);
        if (ret == Av.EOF) {
            return false;
        }
        Av.check(ret, name, "the filter graph failed");
        try {
            if (frame.pts() != AV_NOPTS_VALUE) {
                double duration = frame.nb_samples() > 0 && frame.sample_rate() > 0
                        ? frame.nb_samples() / (double) frame.sample_rate() : Av.seconds(Math.max(frame.duration(), 0), behind.timeBase);
                behind.next[0] = Av.seconds(frame.pts(), behind.timeBase) + duration;
            }
            sink.accept(frame, index);
        } finally {
            av_frame_unref(frame);
        }
        return true;
    }

    /**
     * Reads until {@code stopped} or an output ends, each frame to {@code video} or {@code audio} with its time base.
     *
     * @return true when an output ended
     */
    public boolean pump(BooleanSupplier stopped, BiConsumer<AVFrame, AVRational> video, BiConsumer<AVFrame, AVRational> audio,
                        String name) {
        int vs = bestStream(AVMEDIA_TYPE_VIDEO);
        int as = bestStream(AVMEDIA_TYPE_AUDIO);
        while (!stopped.getAsBoolean()) {
            boolean more = read((f, i) -> {
                if (i == vs) {
                    video.accept(f, timeBase(vs));
                } else if (i == as) {
                    audio.accept(f, timeBase(as));
                }
            }, name);
            if (!more) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        avfilter_graph_free(graph);
        av_frame_free(frame);
    }
}
